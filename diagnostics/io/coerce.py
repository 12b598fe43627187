"""Parse cells into typed columns, column by column, remembering what failed.

Each parser takes a column of raw cells (text, or the value openpyxl gave:
int, float, bool, datetime) and returns the parsed column (missing = ``None``
/ ``NA``) plus a boolean mask of cells that were non-empty but could not be
parsed.  Cells are first *cleaned* once (:func:`clean_cells`: text stripped,
blank → ``None``); the parsers then work on whole arrays, touching single
cells in Python only where a fast path fails.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..contract import BOOL, CODE, DATE, FLOAT, IDNUMBER, INT, STR, YEAR, Field

TRUE = {"1", "1.0", "true", "t", "yes", "y", "是", "有", "√", "✓", "对"}
FALSE = {"0", "0.0", "false", "f", "no", "n", "否", "无", "×", "✗", "x"}
_BOOLS = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
_DATE_RE = r"^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T]0{1,2}:00(?::00)?)?$"
# Thousands separators (comma, full-width comma, spaces) only between groups of three digits:
# "1,200" and "1 200 300" are numbers, "1,2,3" and "1 2" are not (they would silently become 123 and 12).
_GROUPED = re.compile(r"([+-]?\d{1,3})([,，\s\u00a0\u3000\u202f])(\d{3}(?:\2\d{3})*(?:\.\d+)?)")
_SEPARATORS = str.maketrans("", "", ",， \t\u00a0\u3000\u202f")
MAX_EXACT_INT = 2**53  # larger whole numbers are not exact in a float and not plausible counts
MAX_MAGNITUDE = 1e15  # no count, area or amount of a school comes near this; beyond it sums overflow reports

# Characters no cell of status data holds: Unicode categories Cc (control), Cf (format: zero-width
# space, joiners, bidi marks, BOM), Zl, Zp, Cs and Co.  They make look-alike keys ("S1" and "S1\u200b")
# and hide text; a line break or tab is allowed in free text only.
_INVISIBLE_RANGES = (
    (0, 31), (127, 159), (173, 173), (1536, 1541), (1564, 1564), (1757, 1757), (1807, 1807), (2192, 2193),
    (2274, 2274), (6158, 6158), (8203, 8207), (8232, 8238), (8288, 8292), (8294, 8303), (55296, 63743),
    (65279, 65279), (65529, 65531), (69821, 69821), (69837, 69837), (78896, 78904), (113824, 113827),
    (119155, 119162), (917505, 917505), (917536, 917631), (983040, 1048573), (1048576, 1114109))
_INVISIBLE = re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _INVISIBLE_RANGES) + "]")
_LAYOUT = set("\t\n\r")


def clean_cells(col: pd.Series | np.ndarray) -> np.ndarray:
    """The cells as an object array: text stripped, blank or missing cells ``None``, other values as given."""
    values = np.array(col, dtype=object, copy=True)
    values[pd.isna(values)] = None
    values[:] = [(v.strip() or None) if type(v) is str else v for v in values]
    return values


def blank_mask(col: pd.Series | np.ndarray) -> np.ndarray:
    """Cells that are missing or only whitespace."""
    return pd.isna(clean_cells(col))


def _as_text(v: object) -> str:
    """A non-text cell as text; whole floats from Excel (510201.0) lose the ``.0``."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _texts(values: np.ndarray) -> np.ndarray:
    """Cleaned cells as text (``None`` stays ``None``)."""
    out = values.copy()
    other = np.flatnonzero([v is not None and type(v) is not str for v in values])
    out[other] = [_as_text(v) for v in values[other]]
    return out


def parse_number(col: pd.Series, integer: bool) -> tuple[pd.Series, np.ndarray]:
    values = clean_cells(col)
    blank = pd.isna(values)
    nums = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy(copy=True)
    retry = np.flatnonzero(~blank & np.isnan(nums))
    if len(retry):  # "1,200", "1 200": thousands separators between groups of three digits
        cleaned = pd.Series([_ungrouped(v) for v in values[retry]], dtype=object)
        nums[retry] = pd.to_numeric(cleaned, errors="coerce").astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~blank & ~np.isfinite(nums)
        if integer:
            bad |= np.isfinite(nums) & ((nums % 1 != 0) | (np.abs(nums) > MAX_EXACT_INT))
    nums[bad | blank] = np.nan
    out = pd.Series(nums, index=col.index)
    return (out.round().astype("Int64") if integer else out.astype("Float64")), bad


def _ungrouped(value: object) -> str | None:
    """A number written with thousands separators, without them; ``None`` when the grouping is wrong."""
    text = str(value).strip()
    return text.translate(_SEPARATORS) if _GROUPED.fullmatch(text) else None


def invisible_mask(values: pd.Series, key: bool) -> np.ndarray:
    """Cells holding an invisible or control character (in a key also a tab or line break)."""
    texts = values.to_numpy(dtype=object)
    present = np.fromiter((type(v) is str for v in texts), bool, len(texts))
    if not present.any() or not _INVISIBLE.search("".join(texts[present])):
        return np.zeros(len(texts), bool)
    return np.fromiter((type(v) is str and any(_INVISIBLE.match(ch) and (key or ch not in _LAYOUT) for ch in v)
                        for v in texts), bool, len(texts))


def show_invisible(text: str) -> str:
    """``text`` with each invisible character written as ``<U+200B>``, so a message shows it."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def parse_year(col: pd.Series, low: int = 1900, high: int = 2100) -> tuple[pd.Series, np.ndarray]:
    out, bad = parse_number(col, integer=True)
    out_of_range = (out.notna() & ((out < low) | (out > high))).fillna(False).to_numpy(dtype=bool)
    return out.where(~out_of_range), bad | out_of_range


def parse_bool(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    values = _texts(clean_cells(col))
    blank = pd.isna(values)
    mapped = pd.Series(values, dtype=object).map(_BOOLS)
    retry = np.flatnonzero(~blank & mapped.isna().to_numpy())
    if len(retry):  # TRUE, Yes, 是 with odd case
        mapped.iloc[retry] = [_BOOLS.get(v.lower()) for v in values[retry]]
    bad = ~blank & mapped.isna().to_numpy()
    return pd.Series(mapped.to_numpy(), index=col.index, dtype="boolean"), bad


def parse_date(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates as ``datetime.date`` objects: Excel dates, YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD."""
    values = clean_cells(col)
    blank = pd.isna(values)
    native = np.fromiter((isinstance(v, dt.date) for v in values), bool, len(values))
    text = pd.Series(_texts(np.where(native, None, values)), dtype=object)
    stamps = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")  # the usual form, parsed in C
    rest = np.flatnonzero(~blank & ~native & stamps.isna().to_numpy())
    if len(rest):
        parts = text.iloc[rest].str.extract(_DATE_RE)
        ymd = pd.DataFrame({"year": parts[0], "month": parts[1].fillna(parts[3]), "day": parts[2].fillna(parts[4])})
        stamps.iloc[rest] = pd.to_datetime(ymd.apply(pd.to_numeric), errors="coerce").to_numpy()
    codes, days = pd.factorize(stamps)  # each distinct date becomes a date object once
    out = np.where(codes >= 0, np.array(list(days.date) + [None], dtype=object)[codes], None)
    out[native] = [v.date() if isinstance(v, dt.datetime) else v for v in values[native]]
    bad = ~blank & ~native & stamps.isna().to_numpy()
    return pd.Series(out, index=col.index, dtype=object), bad


def parse_text(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    values = _texts(clean_cells(col))
    bad = np.zeros(len(values), bool)
    strings = values[~pd.isna(values)]
    if "\x00" in "".join(strings):  # NUL: not text, and no database takes it
        bad = np.fromiter((v is not None and "\x00" in v for v in values), bool, len(values))
        values[bad] = None
    return pd.Series(values, index=col.index, dtype=object), bad


def parse_column(field: Field, col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse one column according to its contract field."""
    if field.kind in (INT, FLOAT):
        return parse_number(col, integer=field.kind == INT)
    if field.kind == YEAR:
        return parse_year(col, *field.year_range())
    if field.kind == BOOL:
        return parse_bool(col)
    if field.kind == DATE:
        return parse_date(col)
    if field.kind in (STR, CODE, IDNUMBER):
        return parse_text(col)
    raise ValueError(field.kind)
