"""Compile once per model, not per data set: a second fit of the same model on data of another
length reuses the compiled model (no C compilation, no numba compilation), and nothing of the
first data set is left in the graph (centring means and data-scaled priors are data too)."""

import time

import numpy as np
import pandas as pd
import pytest

from takeoff.models.fits import FitOptions, fit

pytest.importorskip("pymc")
SMALL = {"draws": 150, "tune": 150, "chains": 2, "progress": False}


class CompileCounter:
    """Counts real C compilations (PyTensor's gcc calls) and numba compilations."""

    def __init__(self, monkeypatch):
        from numba.core import event
        from pytensor.link.c import cmodule

        self.gcc = self.numba = 0
        original = cmodule.GCC_compiler.compile_str

        def counted(*args, **kwargs):
            self.gcc += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(cmodule.GCC_compiler, "compile_str", staticmethod(counted))
        counter = self

        class Listener(event.Listener):
            depth = 0

            def on_start(self, ev):
                self.depth += 1

            def on_end(self, ev):
                self.depth -= 1
                if self.depth == 0:
                    counter.numba += 1

        self.listener = Listener()
        event.register("numba:compile", self.listener)

    def close(self):
        from numba.core import event

        event.unregister("numba:compile", self.listener)


@pytest.mark.parametrize("sampler", ["nutpie-c", "nutpie", "pymc"])
def test_a_second_fit_on_other_data_compiles_nothing(monkeypatch, sampler):
    first = fit("compute_trend", sampler=sampler, seed=1, **SMALL)  # compiles (or finds caches)
    counter = CompileCounter(monkeypatch)
    try:
        start = time.perf_counter()
        second = fit(
            "compute_trend", options=FitOptions(since=2016.0), sampler=sampler, seed=2, **SMALL
        )
        seconds = time.perf_counter() - start
    finally:
        counter.close()
    assert (counter.gcc, counter.numba) == (0, 0), f"{sampler} compiled again ({seconds:.1f} s)"
    n1, n2 = first.observed_data.sizes["obs"], second.observed_data.sizes["obs"]
    assert n2 < n1 and second.log_likelihood.sizes["obs"] == n2
    assert second.posterior_predictive["log10_y"].sizes["obs"] == n2
    # the second fit saw its own rows: its centring date and data differ from the first's
    t_ref = float(second.posterior.attrs["const_t_ref"])
    np.testing.assert_allclose(second.constant_data["dt"].values + t_ref >= 2016.0, True)


def test_reused_models_take_the_new_constants():
    """chinchilla's A = exp(log_term_n + alpha * mean ln N) uses the centring mean of the data it
    was fitted on, also when the compiled model was first built for another data set."""
    from takeoff.data import load

    frame = load("chinchilla").rename(columns=str)[["N", "D", "loss"]]
    fit("chinchilla", frame, seed=1, **SMALL)
    small = frame[frame["N"] < frame["N"].median() * 3].reset_index(drop=True)
    idata = fit("chinchilla", small, seed=2, **SMALL)
    post = idata.posterior
    mean_log_n = float(np.mean(np.log(small["N"])))
    assert float(post.attrs["const_mean_log_n"]) == pytest.approx(mean_log_n)
    want = np.exp(post["log_term_n"] + post["alpha"] * mean_log_n)
    np.testing.assert_allclose(post["A"].values, want.values, rtol=1e-10)
    assert isinstance(small, pd.DataFrame) and len(small) < len(frame)
