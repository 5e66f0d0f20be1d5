"""The report's "Track record" section: the shipped rolling-origin backtest (read from
takeoff/data/track_record, never refitted here), led by its one-line verdict, then the scores
table per series, the feedback difference, the PIT histogram, the fan each model drew at each
origin with the points that came after, and the choices made knowing the later data."""

from __future__ import annotations

from takeoff.plots.blocks import Details, Figure, Section, TableBlock, Text

TITLE = "Track record"
ANCHOR = "track-record"


def is_bad(verdict: str) -> bool:
    """Whether a verdict says the loop fails the bar (does not beat the trend, or is off)."""
    return "NOT" in verdict or "off by" in verdict


def track_record_section(record=None) -> Section:
    """The section from ``record`` (default: the shipped track record)."""
    from takeoff.forecast import track_record as tr
    from takeoff.forecast.track_context import UPLIFT, metr_table
    from takeoff.plots import track_charts

    record = record if record is not None else tr.shipped()
    if record is None:
        return Section(
            TITLE,
            [
                Text(
                    "No track record is shipped: run takeoff backtest takeoff_from_data with "
                    "--out takeoff/data/track_record.",
                    kind="warning",
                )
            ],
            anchor=ANCHOR,
        )
    verdict = record.verdict()
    blocks: list = [
        Text(verdict, kind="warning" if is_bad(verdict) else "numbers"),
        Text(
            f"Rolling-origin backtests of {record.scenario} from {', '.join(f'{o:g}' for o in record.origins)}: "  # noqa: E501
            "at each origin every dated fit is refitted on the data before it "
            f"({', '.join(tr.DATED)}), and the loop with and without its AI feedback, the "
            "exponential and superexponential METR trends, the loss-to-horizon read-out and the "
            "compute trend predict the same later points; the measured AI uplift (role "
            "measurement only) is scored for the loop and a no-uplift baseline under the "
            "measurement model's bias and scatter priors. Scores: log predictive density "
            "(ELPD, the mixture over posterior draws of each fit's Student-t noise), CRPS, "
            "coverage of the central 50% and 90% intervals, PIT."
        ),
    ]
    blocks += [TableBlock(t) for t in tr.score_tables(record)]
    if record.meta.get("not_available", "none") != "none":
        blocks.append(
            Text(
                "Not scored: "
                + "; ".join(
                    f"{record.labels.get(n, n)}: not available: {why}"
                    for n, why in (
                        e.split(": ", 1) for e in record.meta["not_available"].split("; ")
                    )
                )
                + "."
            )
        )
    blocks.append(
        Figure(
            track_charts.pit_histogram(record.pit_counts(), labels=record.labels),
            name="track_record_pit",
            caption="METR horizons. A calibrated model's PIT values are uniform (a flat "
            "histogram); piled at the right, the observations came above its forecasts; at both "
            "ends, its bands were too narrow.",
        )
    )
    uplift_counts = record.pit_counts(UPLIFT)
    if not uplift_counts.empty:
        blocks.append(
            Figure(
                track_charts.pit_histogram(
                    uplift_counts, labels=record.labels, what="uplift measurement"
                ),
                name="track_record_pit_uplift",
                caption="The uplift measurements (8 per origin at most, the same points at "
                "every origin before 2025.2: far from independent).",
            )
        )
    observed = metr_table()
    for origin in record.origins:
        blocks.append(
            Figure(
                track_charts.origin_fan(record.fans, observed, origin, labels=record.labels),
                name=f"track_record_fan_{origin:g}",
            )
        )
    blocks.append(
        Details(
            "Chosen knowing the later data (hindsight in these backtests)",
            "\n".join(f"- {h}" for h in tr.HINDSIGHT),
        )
    )
    meta = "\n".join(f"{k}: {v}" for k, v in record.meta.items())
    problems = "\n".join(f"origin {o:g}: {f}: {p}" for o, f, p in record.problems)
    blocks.append(
        Details(
            "How it was run",
            meta
            + (
                "\n\nconvergence problems:\n" + problems
                if problems
                else "\n\nevery refit converged"
            ),
        )
    )
    return Section(TITLE, blocks, anchor=ANCHOR)
