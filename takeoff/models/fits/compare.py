"""LOO comparison of fits of the same data, e.g. a nested regime (eps = 0) against the free one."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import pandas as pd

from takeoff.errors import TakeoffError


def label(idata) -> str:
    """The fit's name with what it held fixed and (for a structural regime) its variant."""
    attrs = idata.posterior.attrs
    fixed = attrs.get("fixed", "none")
    parts = [] if fixed == "none" else [fixed]
    if "variant=" in str(attrs.get("options", "")):
        parts.append(f"variant {attrs.get('variant')}")
    return f"{attrs.get('fit_name', 'fit')}" + (f" [{'; '.join(parts)}]" if parts else "")


def compare(fits: Mapping[str, object]) -> pd.DataFrame:
    """PSIS-LOO comparison (ArviZ) with stacking weights: one row per fit, best first, with
    elpd_loo, its difference from the best (elpd_diff) and standard errors, and the count of
    observations with Pareto k > 0.7 (where LOO is unreliable)."""
    import arviz as az

    if len(fits) < 2:
        raise TakeoffError("compare needs at least two fits")
    hashes = {idata.posterior.attrs.get("data_hash") for idata in fits.values()}
    sizes = {
        idata.observed_data[next(iter(idata.observed_data.data_vars))].size
        for idata in fits.values()
    }
    if len(hashes) > 1 or len(sizes) > 1:
        raise TakeoffError(
            "the fits were made on different data; LOO compares fits of the same observations only"
        )
    for name, idata in fits.items():
        if "log_likelihood" not in idata.groups():
            raise TakeoffError(f"fit '{name}' has no log_likelihood group; refit with takeoff fit")
    with warnings.catch_warnings():  # the Pareto-k warning is reported as a column instead
        warnings.simplefilter("ignore", UserWarning)
        table = az.compare(dict(fits), ic="loo", method="stacking")
        bad_k = {}
        for name, idata in fits.items():
            loo = az.loo(idata, pointwise=True)
            bad_k[name] = int((loo.pareto_k.values > 0.7).sum())
    table["pareto_k_over_0.7"] = pd.Series(bad_k)
    return table


def format_comparison(table: pd.DataFrame) -> str:
    cols = ["rank", "elpd_loo", "p_loo", "elpd_diff", "dse", "weight", "pareto_k_over_0.7"]
    text = table[cols].to_string(float_format=lambda x: f"{x:.3g}")
    best = table.index[0]
    lines = [text, f"best by LOO: {best} (stacking weight {table.loc[best, 'weight']:.2f})"]
    runner = table.index[1]
    diff, dse = table.loc[runner, "elpd_diff"], table.loc[runner, "dse"]
    verdict = "clearly" if diff > 2 * dse else "not clearly"
    lines.append(
        f"{best} is {verdict} better than {runner}: elpd difference {diff:.2f} "
        f"± {dse:.2f} (differences under ~2 standard errors are within noise)"
    )
    return "\n".join(lines)
