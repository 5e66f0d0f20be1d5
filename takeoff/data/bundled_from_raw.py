"""Maintainers only: rebuild the bundled CSVs from the raw public copies they were trimmed from.

    takeoff data build /path/to/shared/data

``/path/to/shared/data`` holds the unmodified source folders (``chinchilla_epoch_replication``,
``metr_time_horizons``, ``epoch_ai_models``, ``epoch_hardware``, ``epoch_benchmarks``,
``roodman_gwp``, ``lm_algorithmic_progress``, ``nanogpt_speedrun``, ``aifutures_progress_inputs``,
``returns_domains``), each with its original
PROVENANCE.md. Each function below is the exact recipe
a data set's PROVENANCE.md ("Trimmed for takeoff") describes; nothing is downloaded. The
loaders never import this module; users do not need it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent

# Full-view names (June 2025 snapshot) that are the same model as a differently named row of the
# frontier list (July 2025 snapshot): same organisation, same publication date and the same (or,
# for GPT-4 Turbo, a missing) compute estimate. Found by hand; see epoch_models/PROVENANCE.md.
FULL_VIEW_ALIASES = {
    "Grok-3": "Grok 3",
    "GPT-4": "GPT-4 (Mar 2023)",
    "GPT-4 Turbo": "GPT-4 Turbo (Nov 2023)",
    "Handwritten Digit Recognition System": "Handwritten digit recognition network",
    "Back-propagation": "MLP with back-propagation",
}


def chinchilla(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "chinchilla_epoch_replication" / "svg_extracted_data.csv")
    out = pd.DataFrame({"N": raw["Model Size"], "C": raw["Training FLOP"], "loss": raw["loss"]})
    out.insert(2, "D", out["C"] / (6.0 * out["N"]))
    return out  # source row order kept


def metr_horizons(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "metr_time_horizons" / "metr_time_horizons_flat.csv")
    out = pd.DataFrame(
        {
            "version": raw["time_horizon_version"].map(lambda v: f"{float(v):.1f}"),
            "model": raw["model_id"].str.strip(),
            "release_date": raw["release_date"],
        }
    )
    out["is_sota"] = raw["is_sota"].astype(bool)
    for p in ("p50", "p80"):
        out[f"{p}_minutes"] = raw[f"{p}_minutes"]
        out[f"{p}_ci_low"] = raw[f"{p}_ci_low"]
        out[f"{p}_ci_high"] = raw[f"{p}_ci_high"]
    return out  # source row order kept: version, then release date


def epoch_models(src: Path) -> pd.DataFrame:
    folder = src / "epoch_ai_models"
    frontier = pd.read_csv(folder / "frontier_ai_models.csv")
    full = pd.read_csv(folder / "All ML Systems - full view.csv")
    for table in (frontier, full):
        for col in ("Model", "Organization"):
            table[col] = table[col].str.strip()
    date, compute = "Publication date", "Training compute (FLOP)"

    f = frontier[frontier[date].notna() & frontier[compute].notna()]
    front = pd.DataFrame(
        {
            "model": f["Model"],
            "organization": f["Organization"],
            "publication_date": f[date],
            "training_compute_flop": f[compute],
            "parameters": f["Parameters"],
            # the frontier export's "Training dataset size" column holds model-family names;
            # the numeric size is in "Training dataset size (total)"
            "dataset_size": f["Training dataset size (total)"],
            "domain": f["Domain"],
            "confidence": f["Confidence"],
            "frontier": True,
        }
    )

    frontier_names = set(frontier["Model"])  # all 137, with or without compute
    n = full[full["Notability criteria"].notna() & full[date].notna() & full[compute].notna()]
    n = n[~n["Model"].isin(frontier_names) & ~n["Model"].isin(FULL_VIEW_ALIASES)]
    notable = pd.DataFrame(
        {
            "model": n["Model"],
            "organization": n["Organization"],
            "publication_date": n[date],
            "training_compute_flop": n[compute],
            "parameters": n["Parameters"],
            "dataset_size": n["Training dataset size (datapoints)"],
            "domain": n["Domain"],
            "confidence": n["Confidence"],
            "frontier": False,
        }
    )
    out = pd.concat([front, notable], ignore_index=True)
    # FunSearch's dataset size is given as 0 (no training data); a size is logged, so leave it empty
    out.loc[out["dataset_size"] <= 0, "dataset_size"] = float("nan")
    for col in ("domain", "confidence"):
        out[col] = out[col].str.strip()
    return out.sort_values(["publication_date", "model"], kind="stable", ignore_index=True)


def epoch_chips(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "epoch_hardware" / "Chip dataset-Grid view.csv")
    price = pd.to_numeric(
        raw["Release price (USD)"].str.replace(r"[$,]", "", regex=True), errors="raise"
    )
    fp32 = raw["FP32 (single precision) performance (FLOP/s)"]
    keep = raw["Release date"].notna() & price.notna() & fp32.notna()
    r = raw[keep]
    out = pd.DataFrame(
        {
            "hardware": r["Hardware name"].str.strip(),
            "manufacturer": r["Manufacturer"].str.strip(),
            "type": r["Type"].str.strip(),
            "release_date": r["Release date"],
            "release_price_usd": price[keep],
            "fp32_flops": fp32[keep],
            "fp16_flops": r["FP16 (half precision) performance (FLOP/s)"],
            "tensor_fp16_flops": r["Tensor-FP16/BF16 performance (FLOP/s)"],
        }
    )
    out["flop_per_dollar"] = out["fp32_flops"] / out["release_price_usd"]
    return out.sort_values(["release_date", "hardware"], kind="stable", ignore_index=True)


def eci(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "epoch_benchmarks" / "epoch_capabilities_index.csv")
    r = raw[raw["ECI Score"].notna() & raw["Release date"].notna()]
    out = pd.DataFrame(
        {
            "model_version": r["Model version"].str.strip(),
            "model": r["Model name"].str.strip(),
            "organization": r["Organization"].str.strip(),
            "release_date": r["Release date"],
            "eci": r["ECI Score"],
            "training_compute_flop": r["Training compute (FLOP)"],
        }
    )
    return out.sort_values(["release_date", "model_version"], kind="stable", ignore_index=True)


def roodman_gwp(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "roodman_gwp" / "GWP_data_presentation.csv")
    return pd.DataFrame(
        {
            "year": raw["year"],
            "gwp": raw["gwp_billion_1990_intl_dollars"],
            "population": raw["population_millions"],
        }
    )


def _number_or_empty(column: pd.Series) -> pd.Series:
    """Numbers as float; the source's placeholders for "unknown" ("UNK", "?", "") as empty."""
    text = column.astype("string").str.strip()
    unknown = text.isna() | text.isin(["", "UNK", "?"])
    values = pd.to_numeric(text.mask(unknown), errors="raise")
    return values.astype(float)


def lm_algorithmic_progress(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(
        src / "lm_algorithmic_progress" / "dataset.csv", dtype=str, keep_default_na=False
    )
    dataset_tokens = _number_or_empty(raw["Dataset Size"])
    # five rows give a dataset size of 0 (not reported); a size is logged, so leave it empty
    dataset_tokens[dataset_tokens <= 0] = float("nan")
    out = pd.DataFrame(
        {
            "source_row": pd.to_numeric(raw["Unnamed: 0"], errors="raise"),
            "system": raw["System"].str.strip(),
            "reference": raw["Reference"].str.strip(),
            "publication_date": pd.to_datetime(
                raw["Publication date"], format="%Y/%m/%d"
            ).dt.strftime("%Y-%m-%d"),
            "parameters": _number_or_empty(raw["Parameters"]),
            "dataset_tokens": dataset_tokens,
            "epochs": _number_or_empty(raw["Epoch"]),
            "training_compute_flop": _number_or_empty(raw["Training Compute"]),
            "ppl_wt103": _number_or_empty(raw["Perplexity (WT103)"]),
            "ppl_wt2": _number_or_empty(raw["Perplexity (WT2)"]),
            "ppl_ptb": _number_or_empty(raw["Perplexity (PTB)"]),
            "zero_shot": _number_or_empty(raw["Zero-shot?"]),
            # flags as booleans; the one empty `Include?` cell stays empty (the authors' rule
            # `Include? != 0` keeps such a row)
            "include": _number_or_empty(raw["Include?"]).map({1.0: True, 0.0: False}),
            "outlier": _number_or_empty(raw["Outlier?"]).map({1.0: True, 0.0: False}),
            "uncertain": _number_or_empty(raw["uncertain"]).map({1.0: True, 0.0: False}),
            "architecture": raw["Architecture"].str.strip().replace("", None),
            "tokenizer": raw["Tokenizer"].str.strip().replace(["", "?"], None),
            "vocabulary": _number_or_empty(raw["Vocabulary"]),
        }
    )
    return out.sort_values(["publication_date", "source_row"], kind="stable", ignore_index=True)


def nanogpt_speedrun(src: Path) -> pd.DataFrame:
    raw = pd.read_csv(src / "nanogpt_speedrun" / "records.csv", dtype=str, keep_default_na=False)
    out = pd.DataFrame(
        {
            "track": raw["track"].str.strip(),
            "record": pd.to_numeric(raw["record"], errors="raise"),
            "minutes": pd.to_numeric(raw["minutes"], errors="raise"),
            "date": raw["date"].str.strip().replace("", None),
            "description": raw["description"].str.strip(),
            "contributors": raw["contributors"].str.strip().replace("", None),
            "n_contributors": pd.to_numeric(raw["n_contributors"], errors="raise"),
            "retime": raw["retime"].map({"1": True, "0": False}),
            "coordinate_descent_tuning": raw["coordinate_descent_tuning"].map(
                {"1": True, "0": False}
            ),
        }
    )
    if out[["retime", "coordinate_descent_tuning"]].isna().any().any():
        raise ValueError("nanogpt_speedrun: a 0/1 flag holds something else")
    return out  # source row order kept: track 1 then track 2, each by record number


def aifutures_progress(src: Path) -> pd.DataFrame:
    """The AI Futures Model's input series, unmodified (read and written as text)."""
    return pd.read_csv(
        src / "aifutures_progress_inputs" / "input_data.csv", dtype=str, keep_default_na=False
    )


def returns_domains(src: Path) -> bytes:
    """Erdil, Besiroglu & Ho's (2024) domains table, unmodified: its bytes (CRLF line ends)."""
    return (src / "returns_domains" / "research_input_domains.csv").read_bytes()


BUILDERS = {
    "chinchilla": chinchilla,
    "metr_horizons": metr_horizons,
    "epoch_models": epoch_models,
    "epoch_chips": epoch_chips,
    "eci": eci,
    "roodman_gwp": roodman_gwp,
    "aifutures_progress": aifutures_progress,
    "lm_algorithmic_progress": lm_algorithmic_progress,
    "nanogpt_speedrun": nanogpt_speedrun,
    "returns_domains": returns_domains,
}


def build(src: Path, out: Path = HERE) -> dict[str, int]:
    """Write every bundled CSV under ``out``; returns the row count of each. A builder returns a
    table (written as CSV) or the bytes of a file copied unmodified."""
    counts = {}
    from takeoff.data.registry import DATASETS

    for name, builder in BUILDERS.items():
        table = builder(src)
        path = out / DATASETS[name].file
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(table, bytes):
            path.write_bytes(table)
            counts[name] = len(table.splitlines()) - 1  # the header
            continue
        table.to_csv(path, index=False, lineterminator="\n")
        counts[name] = len(table)
    return counts
