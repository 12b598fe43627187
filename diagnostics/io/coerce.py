"""Parse text cells into typed columns, cell by cell, remembering what failed.

Each parser takes a column of raw cells (str or the value openpyxl gave) and
returns the parsed column (missing = ``None``) plus a boolean mask of cells
that were non-empty but could not be parsed.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..contract import BOOL, CODE, DATE, FLOAT, IDNUMBER, INT, STR, YEAR, Field

TRUE = {"1", "true", "t", "yes", "y", "是", "有", "√", "✓", "对"}
FALSE = {"0", "false", "f", "no", "n", "否", "无", "×", "✗", "x"}
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_NUM_CLEAN = re.compile(r"[,，\s]")


def blank_mask(col: pd.Series) -> np.ndarray:
    """Cells that are missing or only whitespace."""
    values = col.to_numpy(dtype=object)
    return np.fromiter((v is None or (isinstance(v, float) and v != v) or
                        (isinstance(v, str) and v.strip() == "") for v in values), bool, len(values))


def _text(col: pd.Series) -> pd.Series:
    return col.map(lambda v: v if isinstance(v, str) else ("" if v is None else str(v))).str.strip()


def parse_number(col: pd.Series, integer: bool) -> tuple[pd.Series, np.ndarray]:
    blank = blank_mask(col)
    text = _text(col).str.replace(_NUM_CLEAN, "", regex=True)
    nums = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = ~blank & nums.isna().to_numpy()
    bad |= ~blank & ~np.isfinite(nums.fillna(0).to_numpy(dtype=float))
    if integer:
        bad |= (nums.fillna(0) % 1 != 0).to_numpy()
    keep = pd.Series(~bad, index=col.index)
    out = nums.where(keep).round().astype("Int64") if integer else nums.where(keep).astype("Float64")
    return out, bad


def parse_year(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    out, bad = parse_number(col, integer=True)
    out_of_range = out.notna() & ((out < 1900) | (out > 2100))
    bad = bad | out_of_range.fillna(False).to_numpy(dtype=bool)
    return out.where(~out_of_range.fillna(False)), bad


def parse_bool(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    blank = blank_mask(col)
    text = _text(col).str.lower()
    is_true = text.isin(TRUE).to_numpy()
    is_false = text.isin(FALSE).to_numpy()
    bad = ~blank & ~is_true & ~is_false
    out = pd.Series(pd.array([True if t else (False if f else pd.NA) for t, f in zip(is_true, is_false)],
                             dtype="boolean"), index=col.index)
    return out, bad


def _one_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DATE_RE.match(text)
    if not m and len(text) == 8 and text.isdigit():
        m = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if not m:
        raise ValueError(text)
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def parse_date(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    blank = blank_mask(col)
    out: list[dt.date | None] = []
    bad = np.zeros(len(col), bool)
    for i, (v, b) in enumerate(zip(col.to_numpy(dtype=object), blank)):
        if b:
            out.append(None)
            continue
        try:
            out.append(_one_date(v))
        except ValueError:
            out.append(None)
            bad[i] = True
    return pd.Series(out, index=col.index, dtype=object), bad


def parse_text(col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    blank = blank_mask(col)
    text = _text(col)
    # numbers read from Excel as floats (e.g. codes 510201.0) become their integer text
    text = text.str.replace(r"^(\d+)\.0$", r"\1", regex=True)
    return text.where(~pd.Series(blank, index=col.index)).astype(object), np.zeros(len(col), bool)


def parse_column(field: Field, col: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse one column according to its contract field."""
    if field.kind in (INT, FLOAT):
        return parse_number(col, integer=field.kind == INT)
    if field.kind == YEAR:
        return parse_year(col)
    if field.kind == BOOL:
        return parse_bool(col)
    if field.kind == DATE:
        return parse_date(col)
    if field.kind in (STR, CODE, IDNUMBER):
        return parse_text(col)
    raise ValueError(field.kind)
