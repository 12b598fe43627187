"""The rows of a frame as the data of PostgreSQL's ``COPY … FROM STDIN`` (its default text format).

Built a column at a time with pandas/numpy and C string operations instead of a Python call per row
and value: numbers, booleans and dates are factorised and each distinct value formatted once (integers
as digits, floats by ``repr``: the shortest text that reads back as the same double, told apart by their
bits so that -0.0 stays -0.0; booleans ``t``/``f``; dates ISO), text gets COPY's escapes (backslash,
tab, newline, carriage return) on the column joined into one string.  A missing value
is ``\\N``; a text ``\\N`` is written ``\\\\N``, so NULL and text never mix, and the empty string is an
empty field, distinct from NULL.

:func:`copy_text` returns None for a column it does not know how to write exactly (objects that are
neither all text nor all dates, a text with a NUL character): the caller then sends that chunk row by
row, as psycopg converts each value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_float_dtype, is_integer_dtype

NULL = "\\N"
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))  # backslash first


def copy_text(frame: pd.DataFrame, columns: list[str]) -> str | None:
    """``columns`` of ``frame`` as COPY text (one line per row), or None where a column needs the row path."""
    fields = []
    for name in columns:
        field = _field(frame[name]) if name in frame else [NULL] * len(frame)
        if field is None:
            return None
        fields.append(field)
    return "\n".join(map("\t".join, zip(*fields))) + "\n"


def _field(col: pd.Series) -> list[str] | None:
    """One column as COPY fields."""
    dtype = col.dtype
    if not (is_bool_dtype(dtype) or is_integer_dtype(dtype) or is_float_dtype(dtype)):
        return _objects(col.to_numpy(dtype=object))
    missing = col.isna().to_numpy()
    if is_bool_dtype(dtype):
        return _coded(col.to_numpy(dtype=bool, na_value=False).astype(np.intp), ["f", "t"], missing)
    if is_integer_dtype(dtype):
        values = col.to_numpy(dtype=getattr(dtype, "numpy_dtype", dtype), na_value=0)
        codes, uniques = pd.factorize(values)  # each distinct value formatted once
    else:  # floats by their bits (-0.0 is not 0.0); NaN is missing, as in the row path
        values = col.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = missing | np.isnan(values)
        codes, uniques = pd.factorize(values.view(np.int64))
        uniques = uniques.view(np.float64)
    return _coded(codes, [repr(v) for v in uniques.tolist()], missing)  # floats: shortest exact text


def _coded(codes: np.ndarray, texts: list[str], missing: np.ndarray | None = None) -> list[str]:
    """The text of each code; a missing value or the code -1 is NULL."""
    if missing is not None and missing.any():
        codes = np.where(missing, -1, codes)
    return np.array([*texts, NULL], dtype=object)[codes].tolist()


def _objects(values: np.ndarray) -> list[str] | None:
    """An object column: all text, or all dates (either with missing values); None for anything else."""
    kind = infer_dtype(values, skipna=False)
    if kind == "string":  # no missing value
        return _escaped(values.tolist())
    missing = pd.isna(values)
    present = values[~missing]
    kind = infer_dtype(present, skipna=False)
    if kind == "date":
        codes, uniques = pd.factorize(values)
        if any(type(u) is not dt.date for u in uniques):  # datetimes are dates too: let psycopg write them
            return None
        return _coded(codes, [u.isoformat() for u in uniques])
    if kind not in ("string", "empty"):
        return None
    texts = _escaped(present.tolist())
    if texts is None:
        return None
    out = values.copy()
    out[missing] = NULL
    out[~missing] = texts
    return out.tolist()


def _escaped(texts: list[str]) -> list[str] | None:
    """Texts with COPY's escapes, done on them joined by NUL (which no stored text may hold)."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1 and texts:
        return None  # a NUL in a text: PostgreSQL refuses it, and the row path says so
    if not any(char in joined for char, _ in _ESCAPES):
        return texts
    for char, escape in _ESCAPES:
        joined = joined.replace(char, escape)
    return joined.split("\0")
