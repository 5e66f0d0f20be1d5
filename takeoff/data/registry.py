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
    decreases down the file; ``ordered`` lists column groups whose values must not decrease
    across each row (e.g. CI low <= estimate <= CI high).
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
        column = frame[info.sorted_by].to_numpy()
        drops = column[1:] < column[:-1]
        if drops.any():
            i = int(np.argmax(drops)) + 1
            raise TakeoffError(
                f"'{info.file}' is not sorted by {info.sorted_by} at {table.where(i)}"
            )
    for group in info.ordered:
        values = frame[list(group)].to_numpy()
        bad = (np.diff(values, axis=1) < 0).any(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            raise TakeoffError(f"{table.where(i)} of '{info.file}' breaks {' <= '.join(group)}")
    return frame
