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
import functools
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
_HIDDEN_RANGES = ((0, 8), (11, 12), (14, 31)) + _INVISIBLE_RANGES[1:]  # the same but tab and line breaks


def code_class(ranges: Iterable[tuple[int, int]], re2: bool = False) -> str:
    """A character class of code point ranges, written for Python's ``re`` or for RE2 (Arrow's regexes)."""
    def esc(c: int) -> str:
        return f"\\x{{{c:x}}}" if re2 else f"\\U{c:08x}"
    return "[" + "".join(f"{esc(a)}-{esc(b)}" for a, b in ranges) + "]"


_INVISIBLE = re.compile(code_class(_INVISIBLE_RANGES))
_INVISIBLE_RE2 = code_class(_INVISIBLE_RANGES, re2=True)
_HIDDEN = re.compile(code_class(_HIDDEN_RANGES))
_HIDDEN_RE2 = code_class(_HIDDEN_RANGES, re2=True)
_TEXT_TYPES = {str, type(None)}


@functools.cache
def _whitespace() -> str:
    r"""What ``str.strip()`` removes: every character for which ``str.isspace()`` holds (\x1c-\x1f and \u3000
    too); found on first use (a scan of every code point: 0.1 s no command should pay at import)."""
    return "".join(filter(str.isspace, map(chr, range(0x110000))))


def clean_cells(col: pd.Series | np.ndarray) -> np.ndarray:
    """The cells as an object array: text stripped, blank or missing cells ``None``, other values as given."""
    return cleaned(col)[0]


def cleaned(col: pd.Series | np.ndarray, clean: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`clean_cells` and the mask of blank cells.

    ``clean``: the cells are already cleaned (as in a sheet from :func:`.read.body_sheet`): taken as they are.
    """
    if clean:
        values = np.asarray(col, dtype=object)
        return values, np.equal(values, None)
    if isinstance(col, pd.Series) and isinstance(col.array, pd.arrays.ArrowStringArray):
        return _clean_arrow(col.array.__arrow_array__())
    values = np.array(col, dtype=object, copy=True)
    values[pd.isna(values)] = None
    values[:] = [(v.strip() or None) if type(v) is str else v for v in values]
    return values, np.equal(values, None)


def _clean_arrow(text: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cleaned` of text held by Arrow: the same stripping, done in C."""
    trimmed = pc.utf8_trim(text, characters=_whitespace())
    trimmed = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
    values = trimmed.to_numpy(zero_copy_only=False).astype(object, copy=False)
    return values, trimmed.is_null().to_numpy(zero_copy_only=False).astype(bool, copy=False)


def blank_mask(col: pd.Series | np.ndarray) -> np.ndarray:
    """Cells that are missing or only whitespace."""
    return cleaned(col)[1]


def _as_text(v: object) -> str:
    """A non-text cell as text; whole floats from Excel (510201.0) lose the ``.0``."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def only_text(values: np.ndarray) -> bool:
    """Whether every cell is exactly a ``str`` or ``None`` (as every cell read from a CSV is)."""
    return set(map(type, values)) <= _TEXT_TYPES


def is_text(values: np.ndarray) -> np.ndarray:
    """Which cells are exactly a ``str`` (not a subclass)."""
    if only_text(values):
        return ~np.equal(values, None)
    return np.fromiter((type(v) is str for v in values), bool, len(values))


def cells_matching(texts: np.ndarray, pattern: re.Pattern[str], re2: str) -> np.ndarray:
    """Which cells are a ``str`` in which ``pattern`` is found.

    ``re2`` is the same expression for RE2 (no look-arounds; classes spelt out as code points, see
    :func:`code_class`): Arrow runs it over the whole column in C.
    """
    found = np.zeros(len(texts), bool)
    at = np.flatnonzero(is_text(texts))
    try:
        strings = pa.array(texts[at], type=pa.large_string())
    except UnicodeEncodeError:  # a lone surrogate: text Arrow cannot hold
        found[at] = [pattern.search(v) is not None for v in texts[at]]
        return found
    found[at] = pc.match_substring_regex(strings, re2).to_numpy(zero_copy_only=False)
    return found


def _texts(values: np.ndarray) -> np.ndarray:
    """Cleaned cells as text (``None`` stays ``None``)."""
    out = values.copy()
    if only_text(values):
        return out
    other = np.flatnonzero([v is not None and type(v) is not str for v in values])
    out[other] = [_as_text(v) for v in values[other]]
    return out


def parse_number(col: pd.Series, integer: bool, clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    values, blank = cleaned(col, clean)
    nums = _numbers(values, blank)
    retry = np.flatnonzero(~blank & np.isnan(nums))
    if len(retry):  # "1,200", "1 200": thousands separators between groups of three digits
        plain = pd.Series([_ungrouped(v) for v in values[retry]], dtype=object)
        nums[retry] = pd.to_numeric(plain, errors="coerce").astype(float).to_numpy()
    with np.errstate(invalid="ignore"):
        bad = ~blank & ~np.isfinite(nums)
        if integer:
            bad |= np.isfinite(nums) & ((nums % 1 != 0) | (np.abs(nums) > MAX_EXACT_INT))
    nums[bad | blank] = np.nan
    out = pd.Series(nums, index=col.index)
    return (out.round().astype("Int64") if integer else out.astype("Float64")), bad


def _numbers(values: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """``pd.to_numeric(values, errors="coerce")`` as floats; text repeats, so each distinct text is parsed once
    (with a blank among them when there is one: pandas picks the result type from the set of values)."""
    if not only_text(values):
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy(copy=True)
    codes, distinct = pd.factorize(values)
    distinct = np.append(distinct.astype(object), [None] if blank.any() else [])
    nums = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce").astype(float).to_numpy()
    return np.append(nums, np.nan)[codes] if len(nums) else np.full(len(values), np.nan)


def _ungrouped(value: object) -> str | None:
    """A number written with thousands separators, without them; ``None`` when the grouping is wrong."""
    text = str(value).strip()
    return text.translate(_SEPARATORS) if _GROUPED.fullmatch(text) else None


def invisible_mask(values: pd.Series, key: bool) -> np.ndarray:
    """Cells holding an invisible or control character (in a key also a tab or line break)."""
    texts = values.to_numpy(dtype=object)
    return cells_matching(texts, _INVISIBLE, _INVISIBLE_RE2) if key else cells_matching(texts, _HIDDEN, _HIDDEN_RE2)


def show_invisible(text: str) -> str:
    """``text`` with each invisible character written as ``<U+200B>``, so a message shows it."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def parse_year(col: pd.Series, low: int = 1900, high: int = 2100,
               clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    out, bad = parse_number(col, integer=True, clean=clean)
    out_of_range = (out.notna() & ((out < low) | (out > high))).fillna(False).to_numpy(dtype=bool)
    return out.where(~out_of_range), bad | out_of_range


def parse_bool(col: pd.Series, clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    values, blank = cleaned(col, clean)
    codes, distinct = pd.factorize(_texts(values))  # each distinct text looked up once
    lookup = [_BOOLS[v] if v in _BOOLS else _BOOLS.get(v.lower()) for v in distinct]  # TRUE, Yes: odd case
    mapped = np.array(lookup + [None], dtype=object)[codes]
    bad = ~blank & np.equal(mapped, None)
    return pd.Series(mapped, index=col.index, dtype="boolean"), bad


def parse_date(col: pd.Series, clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Dates as ``datetime.date`` objects: Excel dates, YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD."""
    values, blank = cleaned(col, clean)
    native = np.zeros(len(values), bool) if only_text(values) else \
        np.fromiter((isinstance(v, dt.date) for v in values), bool, len(values))
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


def parse_text(col: pd.Series, clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    values, blank = cleaned(col, clean)
    values = _texts(values)
    bad = np.zeros(len(values), bool)
    strings = values[~blank]
    if "\x00" in "".join(strings):  # NUL: not text, and no database takes it
        bad = np.fromiter((v is not None and "\x00" in v for v in values), bool, len(values))
        values[bad] = None
    return pd.Series(values, index=col.index, dtype=object), bad


def parse_column(field: Field, col: pd.Series, clean: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Parse one column according to its contract field (``clean``: see :func:`cleaned`)."""
    if field.kind in (INT, FLOAT):
        return parse_number(col, integer=field.kind == INT, clean=clean)
    if field.kind == YEAR:
        return parse_year(col, *field.year_range(), clean=clean)
    if field.kind == BOOL:
        return parse_bool(col, clean)
    if field.kind == DATE:
        return parse_date(col, clean)
    if field.kind in (STR, CODE, IDNUMBER):
        return parse_text(col, clean)
    raise ValueError(field.kind)
