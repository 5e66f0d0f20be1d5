"""The report: one self-contained HTML file (no script, style or data loaded from anywhere),
with the headline first and a section for every scenario, shipped fit and data set there is."""

import json
import re

import numpy as np
import pytest

from takeoff.cli import main
from takeoff.data import DATASETS
from takeoff.forecast.scenario import builtin_names
from takeoff.report.assemble import shipped_by_fit
from takeoff.report.html import _compact

FIGURE = re.compile(r'<script type="application/json" data-figure="(fig-\d+)">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def text(report_file):
    return report_file.read_text()


def test_nothing_is_loaded_from_elsewhere(text):
    from plotly.offline import get_plotlyjs

    text = text.replace(get_plotlyjs(), "")  # the document around the inlined library
    assert not re.search(r"<script[^>]*\ssrc=", text)
    assert not re.search(r"<link\b", text)
    assert not re.search(r"<img\b", text)
    assert not re.search(r"<iframe\b", text)
    assert "@import" not in text and "url(http" not in text
    # every external address is a link a reader may follow, never fetched by the page
    for m in re.finditer(r'(?:src|href)="(https?://[^"]+)"', text):
        assert text[: m.start()].rstrip().endswith("<a"), m.group(0)


def test_plotly_js_is_inlined_exactly_once_and_every_figure_has_its_div(text):
    from plotly.offline import get_plotlyjs

    plotly = get_plotlyjs()
    assert text.count(plotly[:2000]) == 1
    figures = FIGURE.findall(text)
    assert len(figures) >= len(builtin_names())
    for ident, spec in figures:
        assert f'<div id="{ident}" class="plot"' in text
        parsed = json.loads(spec.replace("<\\/", "</"))
        assert parsed["data"] and parsed["config"]["toImageButtonOptions"]["format"] == "png"
        assert parsed["config"]["displaylogo"] is False


def test_size_is_small_enough_to_e_mail(report_file):
    from plotly.offline import get_plotlyjs

    size = report_file.stat().st_size
    assert size < 8e6, size
    assert size - len(get_plotlyjs()) < 2.5e6  # the figures' data, tables and text


def test_the_headline_comes_first_with_a_row_per_scenario(text):
    body = text.split("<main>", 1)[1]
    first_section = body.split("<section", 2)[1]
    assert first_section.startswith(' id="headline"')
    for name in builtin_names():
        assert f"<td>{name}</td>" in first_section


def test_the_headline_shows_the_forecasts_first_and_the_essays_after_them(text):
    body = text.split("<main>", 1)[1]
    headline = body.split("<section", 2)[1]
    forecasts = headline.index("Headline: Trajectory forecasts. Takeoff = METR 50% task horizon")
    essays = headline.index("Headline: Positions of the essays (abstract units, not forecasts)")
    assert forecasts < essays
    for name in ("sie_published", "aifm_fitted"):  # every forecast table before the essays
        assert headline.index(f"<td>{name}</td>") < essays
    for name in ("foom", "keyhole", "software_explosion"):
        assert headline.index(f"<td>{name}</td>") > essays
    assert re.search(r"<td>\d+(\.\d)?% \(no feedback [^;]+; labelled priors [^)]+\)</td>", headline)


def test_every_scenario_fit_and_data_set_has_its_section(text):
    for name in builtin_names():
        assert f'id="scenario-{name}"' in text
    shipped = shipped_by_fit()
    assert shipped  # the package ships posteriors
    for fit in shipped:
        assert f'id="fit-{fit}"' in text
    for name in DATASETS:
        assert f'id="data-{name}"' in text
    assert 'id="sensitivity"' in text and 'id="reproducibility"' in text


def test_reproducibility_names_versions_seeds_and_hashes(text, builtin_results):
    import hashlib

    from takeoff import __version__

    section = text.split('id="reproducibility"', 1)[1]
    assert f"<td>takeoff</td><td>{__version__}</td>" in section
    for r in builtin_results:
        digest = hashlib.sha256(r.scenario.text.encode()).hexdigest()
        assert f"<td>{r.scenario.name}</td>" in section and digest in section
    assert "<td>500</td><td>3</td>" in section  # draws and seed


def test_the_metr_fan_carries_the_metr_points(text):
    section = text.split('id="scenario-metr_trend"', 1)[1].split("</section>", 1)[0]
    _ident, spec = FIGURE.findall(section)[0]
    names = [trace.get("name", "") for trace in json.loads(spec.replace("<\\/", "</"))["data"]]
    assert "observed: metr_horizons (fitted by horizon_dynamics)" in names


def test_figure_data_are_written_compactly():
    small = _compact({"x": np.linspace(0, 1, 50), "y": [0.5] * 20, "z": np.array([1e300, 1.0])})
    assert small["x"].dtype == np.float32 and small["y"].dtype == np.float32
    assert small["z"].dtype == np.float64  # a float32 would turn 1e300 into inf


def test_report_command_writes_the_file_and_says_its_size(capsys, tmp_path):
    out = tmp_path / "mine.html"
    args = ["report", "foom", "sie_published", "--draws", "300", "--sobol", "0", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Headline: 2 scenarios, 300 draws each, seed 0")
    size = out.stat().st_size / 1e6
    assert printed.rstrip().endswith(
        f"wrote {out} ({size:.1f} MB, self-contained: open it in any browser)"
    )
    text = out.read_text()
    assert 'id="scenario-foom"' in text and 'id="scenario-sie_published"' in text
    assert 'id="scenario-keyhole"' not in text  # only the scenarios asked for


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "r.txt"], "error: --out must name a .html file; got 'r.txt'"),
        (["--sobol", "10"], "error: --sobol must be 0 or a power of 2 of at least 16; got 10"),
        (["--draws", "0"], "error: --draws must be a positive integer; got 0"),
    ],
)
def test_bad_report_options_are_one_line_errors(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "foom", *args]) == 2
    err = capsys.readouterr().err
    assert err.strip() == message
    assert not any(tmp_path.iterdir())


def test_the_report_reads_the_shipped_fits_without_importing_pymc(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from takeoff.cli import main; "
        f"main(['report', 'keyhole', '--draws', '200', '--sobol', '0', '--out', "
        f"r'{tmp_path / 'r.html'}']); print('pymc loaded:', 'pymc' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().endswith("pymc loaded: False")
    assert 'id="fit-horizon_dynamics"' in (tmp_path / "r.html").read_text()
