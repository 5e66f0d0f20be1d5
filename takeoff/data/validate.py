"""Reading and validating CSV tables: the user's files and the bundled data sets alike.

One reader serves both, so a bundled file passes exactly the checks a user's file must pass:
the file exists and is UTF-8 comma-separated text, every requested column is present, every
cell parses as its kind (numbers finite, positive where a logarithm is taken, dates ISO 8601),
no cells are missing unless allowed, no row is repeated, and there are enough rows.

Every failure is a one-line :class:`~takeoff.errors.TakeoffError` that names the file, the
column and the first bad row. Rows are counted two ways, both given: the *data row* (1-based,
the header not counted) and the *line* of the file where that row starts (the header is line 1),
so a user can find it in a spreadsheet or in an editor.

Kinds of column:

- ``number``: a finite real number;
- ``positive``: a finite number > 0 (its logarithm is taken by the fits);
- ``year``: a finite number read as a calendar year (decimal years allowed, negative = BCE);
- ``date``: an ISO 8601 date such as 2024-07-02 (a time of day is allowed);
- ``date_sorted``: a ``date`` whose values never decrease down the file;
- ``date_or_year``: a ``date_sorted``, or, where no cell is an ISO date, numbers read as
  (decimal) calendar years that never decrease down the file, e.g. 2019 or 2019.5;
- ``text``: any non-empty text;
- ``bool``: true/false (also yes/no, 1/0; any case).

Dates come back as ``datetime64[ns]`` with a ``<column>_year`` decimal-year column beside them.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from takeoff.errors import TakeoffError

KINDS = ("number", "positive", "year", "date", "date_sorted", "date_or_year", "text", "bool")
NUMERIC_KINDS = ("number", "positive", "year")
DATE_KINDS = ("date", "date_sorted")

# Cell texts read as "no value" (compared case-insensitively after stripping whitespace).
MISSING = frozenset({"", "na", "nan", "n/a", "null", "none"})
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


@dataclass(frozen=True)
class Table:
    """A CSV file as text cells: header names, rows of stripped cells, and the file line
    on which each row starts (the header is line 1)."""

    label: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]

    def where(self, i: int) -> str:
        """Where 0-based row ``i`` is, in both counts: 'data row 3 (line 4)'."""
        return f"data row {i + 1} (line {self.lines[i]})"


@dataclass(frozen=True)
class Check:
    """One column to read: its name in the file, the name it gets in the output, its kind,
    whether cells may be empty, and an optional plausible range [low, high] for numbers."""

    column: str
    output: str
    kind: str
    nullable: bool = False
    valid: tuple[float, float] | None = None


# ---------------------------------------------------------------------------- reading


def read_table(path: Path, label: str, data: bytes | None = None) -> Table:
    """Read ``path`` (or the given bytes) as a CSV table of stripped text cells.

    ``label`` names the file in messages, e.g. "'loss.csv'". Blank lines are skipped; a row
    with a different number of fields than the header is an error.
    """
    if data is None:
        data = read_bytes(path, label)
    empty = f"file {label} is empty; it needs a header line and at least one data row"
    if not data.strip():
        raise TakeoffError(empty)
    if b"\x00" in data:
        raise TakeoffError(
            f"file {label} is not a text CSV file (it holds binary data); "
            "export it as CSV (comma-separated, UTF-8)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TakeoffError(
            f"file {label} is not a text CSV file (it is not UTF-8 text); "
            "export it as CSV (comma-separated, UTF-8)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:  # blank line
                continue
            cells = tuple(cell.strip() for cell in record)
            if header is None:
                header = cells
                continue
            if len(cells) != len(header):
                raise TakeoffError(
                    f"line {line} of {label} has {len(cells)} fields but the header has "
                    f"{len(header)}; quote values that contain commas or remove the extra fields"
                )
            rows.append(cells)
            lines.append(line)
    except csv.Error as exc:
        raise TakeoffError(
            f"file {label} is not a valid CSV ({exc} on line {reader.line_num}); "
            "export it as CSV (comma-separated, UTF-8)"
        ) from None
    if header is None:  # e.g. nothing but a byte-order mark
        raise TakeoffError(empty)
    named = [h for h in header if h]
    for name in named:
        if named.count(name) > 1:
            raise TakeoffError(
                f"column '{_show(name)}' appears twice in the header of {label}; rename one of them"
            )
    if not rows:
        raise TakeoffError(
            f"file {label} has a header but no data rows; add data rows below the header"
        )
    return Table(label, header, tuple(rows), tuple(lines))


def read_bytes(path: Path, label: str) -> bytes:
    """The bytes of a file, with one-line errors for the usual ways that fails."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise TakeoffError(f"file {label} not found; check the path") from None
    except IsADirectoryError:
        raise TakeoffError(
            f"{label} is a folder, not a file; give the path of a CSV file"
        ) from None
    except PermissionError:
        raise TakeoffError(
            f"file {label} cannot be read (permission denied); check its permissions"
        ) from None
    except OSError as exc:
        raise TakeoffError(
            f"file {label} cannot be read ({exc.strerror}); check the path"
        ) from None


# ---------------------------------------------------------------------------- converting


def convert(table: Table, checks: Sequence[Check]) -> pd.DataFrame:
    """Check and convert the requested columns of a table; returns a new DataFrame.

    Columns come out in the order of ``checks``, named by ``Check.output``: numbers as float64,
    dates as datetime64[ns] followed by a ``<output>_year`` decimal-year column, text as
    strings, booleans as bool. Checks run column by column; the first failure is raised.
    """
    for check in checks:
        if check.kind not in KINDS:
            raise TakeoffError(
                f"unknown kind '{check.kind}' for column '{check.column}'; "
                f"choose one of: {', '.join(KINDS)}"
            )
    _check_columns_present(table, [c.column for c in checks])
    out: dict[str, object] = {}
    for check in checks:
        j = table.header.index(check.column)
        cells = [row[j] for row in table.rows]
        values = _convert_column(table, check, cells)
        out[check.output] = values
        if check.kind in DATE_KINDS or (check.kind == "date_or_year" and values.dtype.kind == "M"):
            year = np.full(len(cells), np.nan)
            present = ~pd.isna(values)
            year[present] = to_decimal_year(values[present])
            out[f"{check.output}_year"] = year
    frame = pd.DataFrame(out)
    _check_duplicates(table)
    return frame


def _check_columns_present(table: Table, wanted: Sequence[str]) -> None:
    missing = [name for name in dict.fromkeys(wanted) if name not in table.header]
    if not missing:
        return
    available = [_show(h) for h in table.header if h]
    listing = ", ".join(available) if available else "(none)"
    if len(missing) == 1:
        what = f"column '{_show(missing[0])}' not found in {table.label}"
    else:
        quoted = ", ".join(f"'{_show(m)}'" for m in missing)
        what = f"columns {quoted} not found in {table.label}"
    if len(table.header) == 1:
        for sep, sep_name in ((";", "';'"), ("\t", "tabs")):
            if sep in table.header[0]:
                raise TakeoffError(
                    f"{what}: the file seems to use {sep_name} as separator; "
                    "save it comma-separated"
                )
    hint = ""
    lowered = {h.lower(): h for h in available}
    close = difflib.get_close_matches(missing[0], available, n=1, cutoff=0.6)
    if missing[0].lower() in lowered:
        hint = f" (did you mean '{lowered[missing[0].lower()]}'?)"
    elif close:
        hint = f" (did you mean '{close[0]}'?)"
    raise TakeoffError(f"{what}{hint}; available columns: {listing}")


def _convert_column(table: Table, check: Check, cells: list[str]) -> np.ndarray:
    name = f"column '{_show(check.column)}' of {table.label}"
    missing = np.array([cell.lower() in MISSING for cell in cells])
    if missing.any() and not check.nullable:
        i = int(np.argmax(missing))
        shown = f"a missing value '{_show(cells[i])}'" if cells[i] else "an empty cell"
        raise TakeoffError(f"{name} has {shown} in {table.where(i)}; fill it in or delete the row")
    if check.kind in NUMERIC_KINDS:
        return _numbers(table, check, name, cells, missing)
    if check.kind == "date_or_year":
        return _dates_or_years(table, check, name, cells, missing)
    if check.kind in DATE_KINDS:
        return _dates(table, check, name, cells, missing)
    if check.kind == "bool":
        return _bools(table, name, cells, missing)
    values = np.array(cells, dtype=object)
    values[missing] = np.nan
    return values


def _numbers(
    table: Table, check: Check, name: str, cells: list[str], missing: np.ndarray
) -> np.ndarray:
    values = np.full(len(cells), np.nan)
    for i, cell in enumerate(cells):
        if missing[i]:
            continue
        try:
            x = float(cell)
        except ValueError:
            raise TakeoffError(
                f"{name} has a non-numeric value '{_show(cell)}' in {table.where(i)}; "
                "give plain numbers such as 2.5 or 1e22"
            ) from None
        if not math.isfinite(x):
            raise TakeoffError(
                f"{name} has a non-finite value '{_show(cell)}' in {table.where(i)}; "
                "give finite numbers"
            )
        if check.kind == "positive" and x <= 0:
            raise TakeoffError(
                f"{name} must be positive because its logarithm is taken, but "
                f"{table.where(i)} has {_show(cell)}; remove the row or correct the value"
            )
        if check.valid is not None and not check.valid[0] <= x <= check.valid[1]:
            low, high = check.valid
            raise TakeoffError(
                f"{name} has {_show(cell)} in {table.where(i)}, outside the plausible range "
                f"[{low:g}, {high:g}]; check the value and its units"
            )
        values[i] = x
    return values


def _dates(
    table: Table, check: Check, name: str, cells: list[str], missing: np.ndarray
) -> np.ndarray:
    values = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    for i, cell in enumerate(cells):
        if missing[i]:
            continue
        try:
            stamp = pd.Timestamp(cell) if _looks_iso(cell) else None
        except (ValueError, OverflowError):
            stamp = None
        if stamp is None or stamp is pd.NaT:
            raise TakeoffError(
                f"{name} has '{_show(cell)}' in {table.where(i)}, which is not a date; "
                "give ISO dates such as 2024-07-02"
            )
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        if not 1678 <= stamp.year <= 2261:
            raise TakeoffError(
                f"{name} has '{_show(cell)}' in {table.where(i)}, outside the supported dates "
                "1678-2261; give years before that as a number column (kind 'year')"
            )
        values[i] = stamp.to_datetime64()
        if check.kind == "date_sorted" and i > 0 and values[i] < values[i - 1]:
            before = str(values[i - 1].astype("datetime64[D]"))
            raise TakeoffError(
                f"{name} is not in time order: {table.where(i)} has {_show(cell)}, earlier than "
                f"{before} in the row above; sort the rows by date"
            )
    return values


def _dates_or_years(
    table: Table, check: Check, name: str, cells: list[str], missing: np.ndarray
) -> np.ndarray:
    """ISO dates (as ``date_sorted``) where any cell looks like one, else years as numbers,
    never decreasing down the file."""
    if any(_looks_iso(c) for c, m in zip(cells, missing, strict=True) if not m):
        return _dates(table, Check(check.column, check.output, "date_sorted"), name, cells, missing)
    values = _numbers(table, Check(check.column, check.output, "year"), name, cells, missing)
    present = np.flatnonzero(~missing)
    back = np.flatnonzero(np.diff(values[present]) < 0)
    if back.size:
        i, before = present[back[0] + 1], present[back[0]]
        raise TakeoffError(
            f"{name} is not in time order: {table.where(i)} has {_show(cells[i])}, earlier than "
            f"{_show(cells[before])} in the row above; sort the rows by date"
        )
    return values


def _looks_iso(cell: str) -> bool:
    """Year-first dates only (2024-07-02, 2024-07-02T12:00): 03/04/2024 is ambiguous."""
    return len(cell) >= 10 and cell[:4].isdigit() and cell[4] == "-" and cell[7] == "-"


def _bools(table: Table, name: str, cells: list[str], missing: np.ndarray) -> np.ndarray:
    values = np.zeros(len(cells), dtype=bool)
    for i, cell in enumerate(cells):
        if missing[i]:
            continue
        word = cell.lower()
        if word not in _TRUE and word not in _FALSE:
            raise TakeoffError(
                f"{name} has '{_show(cell)}' in {table.where(i)}, which is not true or false; "
                "give True/False, yes/no or 1/0"
            )
        values[i] = word in _TRUE
    if missing.any():  # nullable booleans: True/False/<NA>
        return pd.array(
            [None if m else bool(v) for v, m in zip(values, missing, strict=True)], dtype="boolean"
        )
    return values


def _show(text: str, limit: int = 40) -> str:
    """A cell or name for a one-line message: line breaks escaped, long text shortened."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _check_duplicates(table: Table) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(table.rows):
        first = seen.setdefault(row, i)
        if first != i:
            raise TakeoffError(
                f"{table.where(i)} of {table.label} repeats {table.where(first)} exactly; "
                "remove the duplicate row"
            )


# ---------------------------------------------------------------------------- public API


def to_decimal_year(dates) -> np.ndarray:
    """Dates as decimal years, exactly: year + (time since 1 January) / (length of that year).

    2024-07-02 is 183 days into the 366-day year 2024, so it is 2024.5; 2023-01-01 is 2023.0.
    Accepts anything numpy or pandas reads as datetimes (datetime64 arrays, Series, Timestamps,
    ISO strings); returns float64 with the input's shape. A missing date (NaT) is an error.
    """
    if isinstance(dates, pd.Series | pd.Index):
        dates = dates.to_numpy()
    arr = np.asarray(dates)
    if arr.dtype.kind != "M":
        try:
            parsed = pd.to_datetime(arr.ravel(), format="ISO8601")
        except (ValueError, TypeError) as exc:
            raise TakeoffError(f"to_decimal_year needs dates such as 2024-07-02; {exc}") from None
        if parsed.tz is not None:
            parsed = parsed.tz_convert("UTC").tz_localize(None)
        arr = parsed.to_numpy().reshape(arr.shape)
    t = arr.astype("datetime64[ns]")
    if np.isnat(t).any():
        i = int(np.argmax(np.isnat(t).ravel()))
        raise TakeoffError(
            f"to_decimal_year got a missing date (NaT) at position {i}; drop missing dates first"
        )
    year = t.astype("datetime64[Y]")
    start = year.astype("datetime64[ns]")
    length = (year + 1).astype("datetime64[ns]") - start
    offset = t - start
    fraction = offset.astype(np.int64) / length.astype(np.int64)
    return year.astype(np.int64) + 1970 + fraction


def data_hash(df: pd.DataFrame) -> str:
    """sha256 (hex) of a frame's column names and values, independent of its index and attrs.

    The frame is written as CSV with 17 significant digits and ISO timestamps, so equal
    content gives an equal hash on any platform. (The ``attrs["hash"]`` of a loaded frame is
    the hash of the file's bytes instead, which identifies the file.)
    """
    text = df.to_csv(
        index=False,
        lineterminator="\n",
        float_format="%.17g",
        date_format="%Y-%m-%dT%H:%M:%S.%f",
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_user_csv(
    path: str | Path,
    columns: Mapping[str, str],
    kinds: Mapping[str, str] | None = None,
    min_rows: int = 2,
    *,
    n_params: int | None = None,
    nullable: Collection[str] = (),
) -> pd.DataFrame:
    """Read a user's CSV for a fit: ``columns`` maps each role to a column of the file.

    ``kinds`` gives each role's kind (see the module docstring; a role without one is a
    ``number``). Returns a frame whose columns are the roles, in the order of ``columns``,
    plus ``<role>_year`` beside every date role; ``attrs`` holds ``source`` (the path) and
    ``hash`` (sha256 of the file bytes). ``min_rows`` is the least number of data rows
    accepted; pass ``n_params`` to say in the message how many parameters the fit has.
    Roles in ``nullable`` may have empty cells (NaN once read).
    Every problem raises a one-line :class:`TakeoffError`.
    """
    if not columns:
        raise TakeoffError("no columns requested; map each role to a column, e.g. {'y': 'loss'}")
    kinds = dict(kinds or {})
    unknown = [role for role in kinds if role not in columns]
    if unknown:
        raise TakeoffError(
            f"a kind is given for unknown role '{unknown[0]}'; roles are: {', '.join(columns)}"
        )
    for role, kind in kinds.items():
        if kind not in KINDS:
            raise TakeoffError(
                f"unknown kind '{kind}' for role '{role}'; choose one of: {', '.join(KINDS)}"
            )
    path = Path(path)
    label = f"'{path}'"
    data = read_bytes(path, label)
    table = read_table(path, label, data)
    checks = [
        Check(column, role, kinds.get(role, "number"), role in nullable)
        for role, column in columns.items()
    ]
    frame = convert(table, checks)
    n = len(frame)
    if n < min_rows:
        rows = f"{n} data row" + ("" if n == 1 else "s")
        if n_params is not None:
            need = f"fitting {n_params} parameters needs at least {min_rows} rows"
        else:
            need = f"at least {min_rows} are needed"
        raise TakeoffError(f"file {label} has {rows} but {need}; add data rows")
    frame.attrs["source"] = str(path)
    frame.attrs["hash"] = hashlib.sha256(data).hexdigest()
    return frame
