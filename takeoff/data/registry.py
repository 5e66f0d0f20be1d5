"""The bundled data sets by name: what each column means and its units, and the loader.

Each data set is one CSV in its own folder under ``takeoff/data/`` with a PROVENANCE.md beside
it (the original source's provenance plus how it was trimmed for takeoff). Files are found with
``importlib.resources``, so they load the same from a source tree and from an installed wheel.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.data.validate import DATE_KINDS, Check, convert, read_table
from takeoff.errors import TakeoffError

COLUMN_KINDS = ("number", "positive", "date", "text", "bool", "year")


@dataclass(frozen=True)
class Column:
    """A column of a bundled data set: name, unit ("" if none), meaning and kind.

    ``kind`` is one of "number", "positive" (> 0; logarithms are taken), "date" (ISO date,
    loaded as datetime64 with a ``<name>_year`` decimal-year column beside it), "text", "bool"
    or "year" (calendar year as a number, negative = BCE). ``nullable`` columns may have empty
    cells (NaN once loaded); ``valid`` is an optional plausible range [low, high] that catches
    unit slips.
    """

    name: str
    unit: str
    description: str
    kind: str = "number"
    nullable: bool = False
    valid: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise TakeoffError(
                f"unknown kind '{self.kind}' for column '{self.name}'; "
                f"choose one of: {', '.join(COLUMN_KINDS)}"
            )

    def describe(self) -> str:
        unit = f" [{self.unit}]" if self.unit else ""
        extra = f"{self.kind}, may be empty" if self.nullable else self.kind
        return f"{self.name}{unit}: {self.description} ({extra})"


@dataclass(frozen=True)
class DatasetInfo:
    """A bundled data set: its file and provenance (package-relative paths), columns with
    units, where it comes from, and the facts the loader checks.

    ``rows`` is the documented number of data rows; ``key`` names columns whose values
    together identify a row (checked unique); ``sorted_by`` names a column that never
    decreases down the file (empty cells are skipped), or, when ``sorted_within`` names a
    grouping column, never decreases down the rows of each group; ``ordered`` lists column
    groups whose values must not decrease across each row (e.g. CI low <= estimate <= CI high).
    """

    name: str
    title: str
    description: str
    file: str
    columns: tuple[Column, ...]
    source: str
    citation: str
    provenance: str
    rows: int
    key: tuple[str, ...] = ()
    sorted_by: str | None = None
    sorted_within: str | None = None
    ordered: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def units(self) -> dict[str, str]:
        return {c.name: c.unit for c in self.columns}

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise TakeoffError(
            f"unknown column '{name}' in data set {self.name}; "
            f"columns: {', '.join(self.column_names)}"
        )

    def path(self) -> Traversable:
        """The CSV inside the installed package."""
        return _resource(self.file)

    def provenance_path(self) -> Traversable:
        return _resource(self.provenance)


def _resource(relative: str) -> Traversable:
    node = resources.files("takeoff.data")
    for part in relative.split("/"):
        node = node / part
    return node


MINUTES = "minutes of human expert time"
EPOCH_MODELS = "Epoch AI, Data on AI Models (epoch.ai/data/ai-models), CC BY 4.0"

DATASETS: dict[str, DatasetInfo] = {
    d.name: d
    for d in (
        DatasetInfo(
            name="chinchilla",
            title="Chinchilla final loss vs parameters and training tokens",
            description="Final training loss of the Chinchilla scaling runs against model size N "
            "and training compute C, read off Figure 4 of Hoffmann et al. (2022) by Epoch AI; "
            "tokens D = C / (6 N). For L(N, D) = E + A N^-alpha + B D^-beta.",
            file="chinchilla/chinchilla.csv",
            columns=(
                Column("N", "parameters", "model size", "positive", valid=(1e6, 1e12)),
                Column("C", "FLOP", "training compute", "positive", valid=(1e15, 1e26)),
                Column("D", "tokens", "training tokens, derived D = C / (6 N)", "positive"),
                Column(
                    "loss",
                    "nats/token",
                    "final training loss (cross-entropy on MassiveText), decoded from colour",
                    "positive",
                    valid=(1.0, 10.0),
                ),
            ),
            source="Hoffmann et al. 2022, Fig. 4, as reconstructed by Epoch AI (Besiroglu et al. "
            "2024)",
            citation="Hoffmann, Borgeaud, Mensch et al. (2022), Training Compute-Optimal Large "
            "Language Models, arXiv:2203.15556; Besiroglu, Erdil, Barnett, You (2024), "
            "Chinchilla Scaling: A replication attempt, arXiv:2404.10102 "
            "(epoch-research/analyzing-chinchilla)",
            provenance="chinchilla/PROVENANCE.md",
            rows=245,
            key=("N", "C"),
        ),
        DatasetInfo(
            name="metr_horizons",
            title="METR 50% and 80% task time horizons by model and release date",
            description="Length of task (in human expert time) a model completes with 50% and "
            "80% success, with 95% bootstrap intervals, for Time Horizon 1.0 (33 models) and "
            "1.1 (25 models). The two versions use different task suites: do not pool them "
            "without a version effect.",
            file="metr_horizons/metr_horizons.csv",
            columns=(
                Column("version", "", "METR time-horizon suite: '1.0' or '1.1'", "text"),
                Column("model", "", "METR's model key (_inspect: re-run on Inspect)", "text"),
                Column("release_date", "date", "public release date, as given by METR", "date"),
                Column("is_sota", "", "METR flag: state of the art at release", "bool"),
                Column("p50_minutes", MINUTES, "50% time horizon", "positive", valid=(1e-4, 1e6)),
                Column("p50_ci_low", MINUTES, "2.5% quantile of the 50% horizon", "positive"),
                Column("p50_ci_high", MINUTES, "97.5% quantile of the 50% horizon", "positive"),
                Column("p80_minutes", MINUTES, "80% time horizon", "positive", valid=(1e-4, 1e6)),
                Column("p80_ci_low", MINUTES, "2.5% quantile of the 80% horizon", "positive"),
                Column("p80_ci_high", MINUTES, "97.5% quantile of the 80% horizon", "positive"),
            ),
            source="METR time-horizon results files, TH 1.0 and 1.1 (2026)",
            citation="Kwa, West, Becker et al. (METR, 2025), Measuring AI Ability to Complete "
            "Long Tasks, arXiv:2503.14499; METR benchmark_results_1_0.yaml and "
            "benchmark_results_1_1.yaml",
            provenance="metr_horizons/PROVENANCE.md",
            rows=58,
            key=("version", "model"),
            ordered=(
                ("p50_ci_low", "p50_minutes", "p50_ci_high"),
                ("p80_ci_low", "p80_minutes", "p80_ci_high"),
            ),
        ),
        DatasetInfo(
            name="epoch_models",
            title="Training compute of frontier and notable AI models vs publication date",
            description="Epoch AI's frontier models (July 2025 list, frontier = True) and the "
            "other notable models of its June 2025 database (frontier = False), every row with a "
            "publication date and a training-compute estimate. For the frontier compute trend.",
            file="epoch_models/epoch_models.csv",
            columns=(
                Column("model", "", "model name, as in Epoch's database", "text"),
                Column("organization", "", "developer(s)", "text", nullable=True),
                Column("publication_date", "date", "first publication or release", "date"),
                Column(
                    "training_compute_flop",
                    "FLOP",
                    "training compute estimate (pre-training)",
                    "positive",
                    valid=(1.0, 1e30),
                ),
                Column(
                    "parameters", "parameters", "trainable parameters", "positive", nullable=True
                ),
                Column(
                    "dataset_size",
                    "datapoints",
                    "training set size (tokens for most language models; words, images, ... "
                    "otherwise)",
                    "positive",
                    nullable=True,
                ),
                Column("domain", "", "e.g. Language, Vision, Games", "text", nullable=True),
                Column("confidence", "", "Epoch's confidence in the compute estimate", "text"),
                Column("frontier", "", "on Epoch's frontier-model list (July 2025)", "bool"),
            ),
            source="Epoch AI, Data on AI Models: frontier list (Jul 2025) and full view (Jun 2025)",
            citation=EPOCH_MODELS + "; Sevilla et al. (2022), Compute Trends Across Three Eras "
            "of Machine Learning, arXiv:2202.05924",
            provenance="epoch_models/PROVENANCE.md",
            rows=501,
            key=("model",),
            sorted_by="publication_date",
        ),
        DatasetInfo(
            name="epoch_chips",
            title="Chip FP32 FLOP/s per release-price dollar vs release date",
            description="Chips of Epoch AI's hardware database with a release date, a release "
            "(list) price and an FP32 throughput, with FLOP/s per dollar = FP32 FLOP/s / release "
            "price (nominal USD). Mostly consumer GPUs; for the price-performance trend.",
            file="epoch_chips/epoch_chips.csv",
            columns=(
                Column("hardware", "", "chip name", "text"),
                Column("manufacturer", "", "e.g. NVIDIA, AMD", "text", nullable=True),
                Column("type", "", "GPU, ... (often missing)", "text", nullable=True),
                Column("release_date", "date", "release date", "date"),
                Column("release_price_usd", "USD", "list price at launch, nominal", "positive"),
                Column("fp32_flops", "FLOP/s", "peak FP32 (single precision)", "positive"),
                Column(
                    "fp16_flops",
                    "FLOP/s",
                    "peak FP16 (half precision, non-tensor)",
                    "positive",
                    nullable=True,
                ),
                Column(
                    "tensor_fp16_flops",
                    "FLOP/s",
                    "peak tensor-core FP16/BF16",
                    "positive",
                    nullable=True,
                ),
                Column(
                    "flop_per_dollar",
                    "FLOP/s per USD",
                    "fp32_flops / release_price_usd",
                    "positive",
                ),
            ),
            source="Epoch AI hardware database (training-cost-trends, June 2025)",
            citation="Epoch AI, Data on Machine Learning Hardware; Cottier et al. (2024), The "
            "rising costs of training frontier AI models, arXiv:2405.21015",
            provenance="epoch_chips/PROVENANCE.md",
            rows=310,
            key=("hardware",),
            sorted_by="release_date",
        ),
        DatasetInfo(
            name="eci",
            title="Epoch Capabilities Index by model version, with training compute",
            description="Epoch Capabilities Index (a latent capability score stitched across "
            "~40 benchmarks) per model version, with release date and, where Epoch has it, "
            "training compute. All versions of a model share the model's score.",
            file="eci/eci.csv",
            columns=(
                Column("model_version", "", "API / version id", "text"),
                Column("model", "", "model name (all its versions share one score)", "text"),
                Column("organization", "", "developer", "text"),
                Column("release_date", "date", "release date of the version", "date"),
                Column("eci", "ECI points", "Epoch Capabilities Index", valid=(0.0, 300.0)),
                Column(
                    "training_compute_flop",
                    "FLOP",
                    "training compute estimate (from Epoch's models database)",
                    "positive",
                    nullable=True,
                ),
            ),
            source="Epoch AI, Epoch Capabilities Index (snapshot of 2026-03-09)",
            citation="Epoch AI (2025), A Rosetta Stone for AI Benchmarks (benchmark stitching, "
            "epoch.ai/benchmarks/eci)",
            provenance="eci/PROVENANCE.md",
            rows=295,
            key=("model_version",),
            sorted_by="release_date",
        ),
        DatasetInfo(
            name="roodman_gwp",
            title="Gross world product and population, 1,000,000 BCE to 2019",
            description="Roodman's (2020) constructed long-run series of world output and "
            "population. Years BCE are negative; 1900 and 1920 have population only.",
            file="roodman_gwp/roodman_gwp.csv",
            columns=(
                Column(
                    "year", "year", "calendar year (negative = BCE)", "year", valid=(-2e6, 2100.0)
                ),
                Column(
                    "gwp",
                    "billion 1990 international $",
                    "gross world product",
                    "positive",
                    nullable=True,
                ),
                Column("population", "millions", "world population", "positive"),
            ),
            source="Roodman 2020, Modeling the Human Trajectory (GWP.xlsx, Data presentation)",
            citation="Roodman, David (2020), Modeling the Human Trajectory, Open Philanthropy "
            "(droodman/Modeling-Human-Trajectory, GWP.xlsx)",
            provenance="roodman_gwp/PROVENANCE.md",
            rows=103,
            key=("year",),
            sorted_by="year",
        ),
        DatasetInfo(
            name="aifutures_progress",
            title="AI Futures Model default inputs: AI-research labour and compute, 2012-2050",
            description="The exogenous input series of the AI Futures Project's AI-progress model "
            "(brendanhalstead/ai-progress-rates, input_data.csv): human AI-research labour, "
            "inference and experiment compute, training-compute growth. Model input built from "
            "estimates (years after 2025 are projections), not measurements; levels in "
            "undocumented relative units. Used by the aifm family.",
            file="aifutures_progress/input_data.csv",
            columns=(
                Column("time", "year", "decimal year", "number", valid=(2000.0, 2100.0)),
                Column("L_HUMAN", "relative", "human labour on AI software R&D", "positive"),
                Column(
                    "inference_compute", "H100e (relative)", "compute for AI labour", "positive"
                ),
                Column(
                    "experiment_compute", "H100e (relative)", "compute for experiments", "positive"
                ),
                Column(
                    "training_compute_growth_rate",
                    "OOMs/yr",
                    "growth rate of frontier training compute",
                    "number",
                    valid=(0.0, 2.0),
                ),
            ),
            source="brendanhalstead/ai-progress-rates @ 786c6655 (2025-10-15), input_data.csv",
            citation="AI Futures Project (2025), AI Futures Model development repository "
            "brendanhalstead/ai-progress-rates, commit 786c6655cff1f0221318da47624059371aac319e",
            provenance="aifutures_progress/PROVENANCE.md",
            rows=40,
            key=("time",),
            sorted_by="time",
        ),
        DatasetInfo(
            name="lm_algorithmic_progress",
            title="Language models 2012-2023: parameters, data, date and benchmark perplexity",
            description="The data set of Ho et al. (2024), Algorithmic progress in language "
            "models: one row per model (and evaluation) with parameters N, dataset tokens D, "
            "epochs, publication date and test perplexity on WikiText-103, WikiText-2 and Penn "
            "Treebank, with the authors' include/outlier/uncertain flags. Their selection: N and "
            "D present, include not false, outlier false, uncertain false, a perplexity; "
            "perplexities on different benchmarks are not comparable (benchmark offsets).",
            file="lm_algorithmic_progress/lm_algorithmic_progress.csv",
            columns=(
                Column("source_row", "", "row index in the source dataset.csv", valid=(0, 1e4)),
                Column("system", "", "model name, as in the source (not unique)", "text"),
                Column("reference", "", "title of the paper reporting the model", "text"),
                Column("publication_date", "date", "publication date of the paper", "date"),
                Column(
                    "parameters",
                    "parameters",
                    "model size N (empty where the source has UNK)",
                    "positive",
                    nullable=True,
                    valid=(1e3, 1e13),
                ),
                Column(
                    "dataset_tokens",
                    "tokens",
                    "training set size D (word tokens for the WikiText/PTB corpora); empty "
                    "where the source has 0",
                    "positive",
                    nullable=True,
                    valid=(1e4, 1e14),
                ),
                Column(
                    "epochs",
                    "passes",
                    "passes over the training set (empty where unreported or UNK; the authors "
                    "take 1); data seen D' = D x epochs",
                    "positive",
                    nullable=True,
                    valid=(0.1, 1e4),
                ),
                Column(
                    "training_compute_flop",
                    "FLOP",
                    "training compute as reported, where known",
                    "positive",
                    nullable=True,
                    valid=(1e10, 1e27),
                ),
                Column(
                    "ppl_wt103",
                    "perplexity",
                    "test perplexity on WikiText-103",
                    "positive",
                    nullable=True,
                    valid=(1.0, 1e4),
                ),
                Column(
                    "ppl_wt2",
                    "perplexity",
                    "test perplexity on WikiText-2",
                    "positive",
                    nullable=True,
                    valid=(1.0, 1e4),
                ),
                Column(
                    "ppl_ptb",
                    "perplexity",
                    "test perplexity on Penn Treebank",
                    "positive",
                    nullable=True,
                    valid=(1.0, 1e4),
                ),
                Column(
                    "zero_shot",
                    "",
                    "evaluated without fine-tuning on the benchmark: 1 yes, 0 no (0.5 in 19 "
                    "rows, as in the source)",
                    valid=(0.0, 1.0),
                ),
                Column(
                    "include",
                    "",
                    "the authors' inclusion flag (one row empty: kept by their rule)",
                    "bool",
                    nullable=True,
                ),
                Column("outlier", "", "the authors' outlier flag", "bool"),
                Column("uncertain", "", "the authors' flag: N or D uncertain", "bool"),
                Column("architecture", "", "e.g. Transformer, Recurrent", "text", nullable=True),
                Column("tokenizer", "", "tokenizer, where given", "text", nullable=True),
                Column(
                    "vocabulary",
                    "tokens",
                    "vocabulary size, where given",
                    "positive",
                    nullable=True,
                    valid=(10.0, 1e7),
                ),
            ),
            source="Ho et al. 2024 data set (Epoch AI; parkerwhitfill/algo_progress "
            "papers/dataset.csv)",
            citation="Ho, Besiroglu, Erdil, Owen, Rahman, Guo, Atkinson, Thompson, Sevilla "
            "(2024), Algorithmic progress in language models, arXiv:2403.05812 (NeurIPS 2024); "
            "data MIT, Epoch AI",
            provenance="lm_algorithmic_progress/PROVENANCE.md",
            rows=408,
            key=("source_row",),
            sorted_by="publication_date",
        ),
        DatasetInfo(
            name="nanogpt_speedrun",
            title="NanoGPT speedrun world records: time to a fixed loss on fixed 8x H100",
            description="World records of the modded-nanogpt speedrun: wall-clock time to "
            "train to a fixed FineWeb validation loss on the same hardware (8x H100), track 1 "
            "(loss <= 3.28, GPT-2 small) and track 2 (loss <= 2.92, GPT-2 medium), with the "
            "contributors credited. Hardware and target are fixed, so the falling time is "
            "software progress. Re-timings repeat a record number (retime = true).",
            file="nanogpt_speedrun/nanogpt_speedrun.csv",
            columns=(
                Column("track", "", "gpt2_small_3.28 or gpt2_medium_2.92", "text"),
                Column(
                    "record",
                    "",
                    "record number in the README (re-timings repeat it)",
                    valid=(1, 1000),
                ),
                Column(
                    "minutes",
                    "minutes",
                    "wall-clock training time to the target loss",
                    "positive",
                    valid=(0.01, 1e4),
                ),
                Column(
                    "date",
                    "date",
                    "date of the record (one track-2 row has none in the source)",
                    "date",
                    nullable=True,
                ),
                Column("description", "", "what changed", "text"),
                Column(
                    "contributors",
                    "",
                    "handles credited, ';'-separated (empty for re-timings and 3 other rows)",
                    "text",
                    nullable=True,
                ),
                Column(
                    "n_contributors",
                    "people",
                    "number of handles credited",
                    valid=(0, 100),
                ),
                Column(
                    "retime",
                    "",
                    "the previous record re-timed under new rules or a new PyTorch, not a new "
                    "record",
                    "bool",
                ),
                Column(
                    "coordinate_descent_tuning",
                    "",
                    "time marked * in the README (a compiler setting allowed then)",
                    "bool",
                ),
            ),
            source="modded-nanogpt README world-record tables (KellerJordan, commit f411b3d3, "
            "2026-08-01)",
            citation="Jordan, Keller et al., modded-nanogpt: NanoGPT (124M) speedrun, "
            "github.com/KellerJordan/modded-nanogpt (MIT)",
            provenance="nanogpt_speedrun/PROVENANCE.md",
            rows=109,
            key=("track", "record", "date"),
            sorted_by="date",
            sorted_within="track",
        ),
        DatasetInfo(
            name="returns_domains",
            title="Research input and software-efficiency growth in four software domains",
            description="Erdil, Besiroglu & Ho (2024): research input I per year (unique "
            "authors publishing) and the growth factor of software efficiency A over the "
            "window (endpoints only) for computer vision, SAT solvers, linear programming and "
            "Atari RL. Year indices from 0 (calendar years not given). For returns to research.",
            file="returns_domains/research_input_domains.csv",
            columns=(
                Column("domain", "", "CV + DL, SAT, LP or Atari (RL)", "text"),
                Column("year_index", "years", "years since the domain's first", valid=(0, 100)),
                Column("research_input_I", "authors", "research input per year", "positive"),
                Column(
                    "A_total_growth_over_T",
                    "factor",
                    "A(T) / A(0) over the window (on the domain's first row)",
                    "positive",
                    nullable=True,
                    valid=(1e-3, 1e9),
                ),
                Column(
                    "T_years", "years", "window length (first row)", nullable=True, valid=(1, 100)
                ),
            ),
            source="ege-erdil/estimating-returns-to-rnd @ cbd19e55, returns_to_software_rnd_"
            "bayesian_update.ipynb (categories table)",
            citation="Erdil, Besiroglu & Ho (2024), Estimating idea production: a methodological "
            "survey, arXiv:2405.10494",
            provenance="returns_domains/PROVENANCE.md",
            rows=58,
            key=("domain", "year_index"),
            sorted_by="year_index",
            sorted_within="domain",
        ),
    )
}


def get_dataset(name: str | DatasetInfo) -> DatasetInfo:
    """The bundled data set with this name (a DatasetInfo passes through)."""
    if isinstance(name, DatasetInfo):
        return name
    try:
        return DATASETS[name]
    except KeyError:
        raise TakeoffError(
            f"unknown data set '{name}'; choose one of: {', '.join(DATASETS)}"
        ) from None


def load(name: str) -> pd.DataFrame:
    """A bundled data set as a validated DataFrame.

    Runs the checks a user's CSV gets (types, positivity, dates, missing cells, duplicate rows)
    plus the data set's own (header, row count, unique key, order, CI ordering). Dates are
    datetime64[ns] with a ``<column>_year`` decimal-year column after each. ``attrs`` holds
    ``name``, ``title``, ``units`` (column -> unit), ``source``, ``citation`` and ``hash``
    (sha256 of the CSV file's bytes).
    """
    info = get_dataset(name)
    data = info.path().read_bytes()
    try:
        frame = validate_bundled(info, data)
    except TakeoffError as exc:
        raise TakeoffError(
            f"bundled data set '{info.name}' failed validation ({exc}); reinstall takeoff"
        ) from None
    units = info.units
    for c in info.columns:
        if c.kind in DATE_KINDS:
            units[f"{c.name}_year"] = "decimal year"
    frame.attrs.update(
        name=info.name,
        title=info.title,
        units=units,
        source=info.source,
        citation=info.citation,
        hash=hashlib.sha256(data).hexdigest(),
    )
    return frame


def provenance(name: str) -> str:
    """The text of a data set's PROVENANCE.md."""
    return get_dataset(name).provenance_path().read_text(encoding="utf-8")


def validate_bundled(info: DatasetInfo, data: bytes) -> pd.DataFrame:
    """Check the bytes of a bundled CSV against its registry entry; returns the frame."""
    table = read_table(Path(info.file), f"'{info.file}'", data)
    if table.header != info.column_names:
        raise TakeoffError(
            f"'{info.file}' has columns {', '.join(table.header)} but the registry declares "
            f"{', '.join(info.column_names)}"
        )
    checks = [Check(c.name, c.name, c.kind, c.nullable, c.valid) for c in info.columns]
    frame = convert(table, checks)
    if len(frame) != info.rows:
        raise TakeoffError(f"'{info.file}' has {len(frame)} rows, not the documented {info.rows}")
    if info.key:
        repeated = frame.duplicated(list(info.key))
        if repeated.any():
            i = int(np.argmax(repeated.to_numpy()))
            values = ", ".join(f"{k}={frame[k].iloc[i]}" for k in info.key)
            raise TakeoffError(f"{table.where(i)} of '{info.file}' repeats the key {values}")
    if info.sorted_by is not None:
        _check_sorted(info, frame, table)
    for group in info.ordered:
        values = frame[list(group)].to_numpy()
        bad = (np.diff(values, axis=1) < 0).any(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            raise TakeoffError(f"{table.where(i)} of '{info.file}' breaks {' <= '.join(group)}")
    return frame


def _check_sorted(info: DatasetInfo, frame: pd.DataFrame, table) -> None:
    """``sorted_by`` never decreases down the file (or within each ``sorted_within`` group);
    rows with an empty cell in it are skipped."""
    present = frame[info.sorted_by].notna().to_numpy()
    if info.sorted_within is None:
        groups = [np.flatnonzero(present)]
        within = ""
    else:
        labels = frame[info.sorted_within].to_numpy()
        groups = [np.flatnonzero(present & (labels == g)) for g in dict.fromkeys(labels)]
        within = f" within each {info.sorted_within}"
    column = frame[info.sorted_by].to_numpy()
    for rows in groups:
        values = column[rows]
        drops = values[1:] < values[:-1]
        if drops.any():
            i = int(rows[int(np.argmax(drops)) + 1])
            raise TakeoffError(
                f"'{info.file}' is not sorted by {info.sorted_by}{within} at {table.where(i)}"
            )
