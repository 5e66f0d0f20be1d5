// takeoff's live chart: a Plotly figure drawn once, then updated in place with Plotly.react
// on every rerun that changes it (st.plotly_chart draws a changed figure anew with newPlot).
// Mounted in the page's own DOM (no iframe); plotly.js is the copy bundled with the installed
// plotly Python package, served by the dashboard itself (data.plotly), loaded once per page.
function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__takeoffPlotly) {
    window.__takeoffPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("could not load " + url));
      document.head.appendChild(script);
    });
  }
  return window.__takeoffPlotly;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let holder = parentElement.querySelector(".takeoff-live-chart");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "takeoff-live-chart";
    holder.style.width = "100%";
    parentElement.appendChild(holder);
  }
  holder.dataset.key = data.key;
  holder.__next = data;  // only the newest figure is drawn when several arrive at once
  if (holder.__busy) return;
  holder.__busy = true;
  const draw = (Plotly) => {
    const next = holder.__next;
    holder.__next = null;
    const figure = JSON.parse(next.figure);
    const t0 = performance.now();
    const how = holder.__drawn ? "react" : "newPlot";
    const done = Plotly[how](holder, figure.data, figure.layout, next.config);
    return Promise.resolve(done).then(() => {
      holder.__drawn = true;
      const log = (window.__takeoffDraws = window.__takeoffDraws || []);
      log.push({ key: next.key, how: how, ms: performance.now() - t0 });
      if (holder.__next) return draw(Plotly);
      holder.__busy = false;
      // drawn the quick answer: ask for the full one (a rerun with the same values)
      if (next.refine) setStateValue("refined", next.refine);
    });
  };
  loadPlotly(data.plotly)
    .then(draw)
    .catch((error) => {
      holder.__busy = false;
      holder.textContent = "The chart could not be drawn: " + error.message;
    });
}
