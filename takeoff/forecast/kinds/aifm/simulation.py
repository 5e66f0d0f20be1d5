"""The aifm kind's simulation: a block of draws mapped through the links to the model's
parameters and run (each distinct draw once), and the outputs a sensitivity analysis reads."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from takeoff.errors import TakeoffError
from takeoff.forecast.kind import SensitivityOutput
from takeoff.forecast.kinds.aifm.links import (
    horizon_link,
    software_rate_link,
    training_compute_link,
)
from takeoff.forecast.kinds.aifm.quantities import (
    LINK_FAILED,
    MILESTONE_LABELS,
    PATHS,
    SENSITIVITY_MILESTONES,
)
from takeoff.forecast.kinds.aifm.scenario import (
    AifmScenario,
    declared_parameter,
)
from takeoff.models import aifm


@dataclass
class AifmBlock:
    """One block of simulated draws."""

    dates: np.ndarray  # (n, milestones): decimal years; inf not reached by the end; NaN failed
    status: np.ndarray  # (n,) codes of STATUSES
    paths: np.ndarray  # (len(PATHS), n, times), NaN for failed draws
    clamped: np.ndarray  # (n,) research stock held at the 1e30 clamp (as the peer) by the end
    times: np.ndarray
    values: dict[str, np.ndarray]  # every source, and the parameters the links set


def model_parameters(scenario: AifmScenario, draws: dict[str, np.ndarray]):
    """The model's parameters of a block of draws (links mapped) and the draws a link could not
    map (their parameters at the published defaults, to be marked failed)."""
    n = next(iter(draws.values())).shape[0]
    params = {k: np.asarray(v, dtype=float) for k, v in draws.items() if not k.startswith("link.")}
    link_failed = np.zeros(n, dtype=bool)
    for use in scenario.links:
        if use.name == "horizon":
            T0, H0, eps, H = (draws[k] for k in use.sources)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_h = np.log(H)
            horizon, doubling, factor, ok = horizon_link(
                T0, H0, eps, log_h, use.t_ref, params["present_day"], use.ratio
            )
            link_failed |= ~ok
            params["present_horizon"] = np.where(ok, horizon, aifm.DEFAULTS["present_horizon"])
            params["present_doubling_time"] = np.where(
                ok, doubling, aifm.DEFAULTS["present_doubling_time"]
            )
            params["doubling_difficulty_growth_factor"] = factor
        elif use.name == "software_rate":
            (key,) = use.sources
            (name,) = use.spec.sets
            params[name] = software_rate_link(draws[key])
        else:
            (name,) = use.sources
            params[name] = training_compute_link(draws[name])
    return params, link_failed


def simulate_aifm_block(scenario: AifmScenario, draws: dict[str, np.ndarray]) -> AifmBlock:
    """Run the model for every draw of the block: the distinct draws once each (every draw is
    simulated on its own, so the result of a draw does not depend on the others)."""
    params, link_failed = model_parameters(scenario, draws)
    n = link_failed.shape[0]
    for key, values in params.items():
        p = declared_parameter(key)
        bad = np.isnan(values) | ~p.valid.contains(values)
        if bad.any():
            raise TakeoffError(
                f"scenario {scenario.name}: parameters {key} drew {values[bad][0]:g}, outside "
                f"its valid range {p.valid}; use a distribution or transform that stays inside it"
            )
    names = sorted(params)
    matrix = np.stack([params[k] for k in names], axis=1)
    unique, inverse = np.unique(matrix, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    times = scenario.output_times()
    try:
        run = aifm.simulate(
            {k: unique[:, j] for j, k in enumerate(names)},
            times=times,
            t_start=scenario.start,
            t_end=scenario.end,
        )
    except TakeoffError as exc:
        raise TakeoffError(f"scenario {scenario.name}: {exc}") from None
    dates = run.milestones[inverse]
    status = run.status[inverse].astype(np.int64)
    status[link_failed] = LINK_FAILED
    paths = np.stack([run.paths[p][inverse] for p, _, _ in PATHS])
    failed = status != aifm.OK
    dates[failed] = np.nan
    paths[:, failed] = np.nan
    clamped = np.asarray(run.calibration["rs_clamped"], dtype=bool)[inverse] & ~failed
    values = dict(draws)
    values.update({k: params[k] for u in scenario.links for k in u.spec.sets})
    assert dates.shape[0] == n
    return AifmBlock(dates, status, paths, clamped, times, values)


def sensitivity_outputs(scenario: AifmScenario) -> tuple[SensitivityOutput, ...]:
    """The dates of AC, SAR and SIAR; not reached by the end is censored at the end."""

    def date_of(m: str):
        j = aifm.MILESTONES.index(m)
        return lambda block: block.dates[:, j]

    return tuple(
        SensitivityOutput(
            f"{m}_date",
            "decimal year",
            f"the {MILESTONE_LABELS[m]} ({m}) date",
            date_of(m),
            censor_at=scenario.end,
            never=f"{m} is not reached",
        )
        for m in SENSITIVITY_MILESTONES
    )
