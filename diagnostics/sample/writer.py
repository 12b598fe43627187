"""Writing contract tables as CSV files, batch after batch.

A small writer of its own: pandas' ``to_csv`` spends most of a large sample's
time formatting; here every column becomes a list of strings in one
vectorised step and rows are joined once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from ..contract import BY_NAME, FLOAT, INT, TABLES, YEAR, Field
from ..io.cells import is_live, neutral


def _quoted(values: np.ndarray) -> np.ndarray:
    """Values quoted as CSV needs (only where a comma, quote or line break occurs), never a live
    formula (``diagnostics.io.cells``)."""
    uniq = pd.unique(values)
    if any(is_live(u) for u in uniq):
        values = np.array([neutral(v) for v in values], dtype=object)
        uniq = pd.unique(values)
    if not any(("," in u or '"' in u or "\n" in u) for u in uniq):
        return values
    return np.array([f'"{v.replace(chr(34), chr(34) * 2)}"' if ("," in v or '"' in v or "\n" in v) else v
                     for v in values], dtype=object)


#: Free-text fields, the only ones that may need CSV quoting.
FREE_TEXT = {"name", "city", "program_name", "program_group", "course_name", "enterprise_name", "post", "item",
             "set_by", "note"}


def _whole(values: np.ndarray) -> np.ndarray:
    """Integers as strings; a lookup table when their range is small (years, hours, counts)."""
    lo, hi = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    if hi - lo < 100_000:
        table = np.array([str(i) for i in range(lo, hi + 1)], dtype=object)
        return table[values - lo]
    return values.astype(str).astype(object)


def _numbers(values: np.ndarray, whole: bool) -> np.ndarray:
    missing = np.isnan(values)
    if whole:
        text = _whole(np.round(np.where(missing, 0, values)).astype(np.int64))
    else:
        uniq, inverse = np.unique(np.where(missing, 0, values), return_inverse=True)
        text = np.array([repr(float(u)) for u in uniq], dtype=object)[inverse]
    text[missing] = ""
    return text


def column_text(col: pd.Series, f: Field) -> np.ndarray:
    """One column as CSV cells: counts and money whole, booleans True/False, missing empty."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.array([str(c) for c in col.cat.categories] + [""], dtype=object)
        return cats[col.cat.codes.to_numpy()]
    if f.kind in (INT, YEAR) or (f.kind == FLOAT and f.unit == "元") or (f.kind == FLOAT and col.dtype.kind in "iuf"):
        whole = f.kind != FLOAT or f.unit == "元"
        return _numbers(pd.to_numeric(col).to_numpy(dtype=float, na_value=np.nan), whole)
    if col.dtype.kind == "b":
        flags = col.to_numpy(dtype=object, na_value=None)
        return np.where(pd.isna(flags), "", np.where(flags == True, "True", "False")).astype(object)  # noqa: E712
    values = col.to_numpy(dtype=object)
    if f.nullable or col.dtype != object:
        missing = pd.isna(values)
        if missing.any():
            values = values.copy()
            values[missing] = ""
    if len(values) and not isinstance(values[0], str):
        values = values.astype(str).astype(object)
    return _quoted(values) if f.name in FREE_TEXT else values


class CsvWriter:
    """One open CSV file per contract table; header first, then batches appended."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, TextIO] = {}
        self.rows: dict[str, int] = {}
        for t in TABLES:
            fh = (out_dir / f"{t.name}.csv").open("w", encoding="utf-8", newline="")
            fh.write(",".join(t.field_names) + "\n")
            self.files[t.name], self.rows[t.name] = fh, 0

    def write(self, name: str, df: pd.DataFrame) -> None:
        """Append the rows of ``df`` (any column order; absent optional fields are left empty)."""
        if not len(df):
            return
        empty = np.full(len(df), "", dtype=object)
        cols = [column_text(df[f.name], f) if f.name in df else empty for f in BY_NAME[name].fields]
        self.files[name].write("\n".join(map(",".join, zip(*cols))) + "\n")
        self.rows[name] += len(df)

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()
