"""Bundled real data sets (CSV + PROVENANCE), validating loaders and shipped posteriors.

>>> from takeoff.data import load, DATASETS
>>> df = load("metr_horizons")          # validated; dates as datetime64 + release_date_year
>>> df.attrs["units"]["p50_minutes"]
'minutes of human expert time'

``read_user_csv`` puts a user's CSV through the same checks, with one-line error messages.
"""

from takeoff.data.registry import (
    DATASETS,
    Column,
    DatasetInfo,
    get_dataset,
    load,
    provenance,
)
from takeoff.data.validate import KINDS, data_hash, read_user_csv, to_decimal_year

__all__ = [
    "DATASETS",
    "KINDS",
    "Column",
    "DatasetInfo",
    "data_hash",
    "get_dataset",
    "load",
    "provenance",
    "read_user_csv",
    "to_decimal_year",
]
