"""The one sanitiser of every spreadsheet and CSV cell zhengai writes (no live formula, ever).

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return before one) as a formula: a school named ``=HYPERLINK(...)``
would run in the officer's Excel.  Following OWASP's advice on CSV injection:

- in a **CSV** file, such a text cell gets a leading apostrophe (``'=HYPERLINK(...)``), which
  Excel and LibreOffice show as text;
- in an **xlsx** workbook, the cell is stored as a string (never a formula) with Excel's
  ``quotePrefix`` style, so it is shown exactly as typed and stays text when edited.

Numbers stay numbers: a numeric cell (``-3.5``) is never touched, nor is text that is a plain
number (a spreadsheet reads it as that number, which evaluates nothing).
"""

from __future__ import annotations

import io
import re
from typing import IO

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

#: First characters that make a spreadsheet evaluate a cell (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def is_live(text: object) -> bool:
    """True when a spreadsheet would evaluate ``text`` typed into a cell (not a plain number)."""
    return (isinstance(text, str) and text.startswith(FORMULA_START)
            and _PLAIN_NUMBER.fullmatch(text.strip()) is None)


def neutral(value: object) -> object:
    """A CSV cell's value: text a spreadsheet would evaluate gets a leading ``'``; anything else as it is."""
    return "'" + value if is_live(value) else value  # type: ignore[operator]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) made :func:`neutral`; numbers untouched."""
    out = frame.copy(deep=False)
    out.columns = [neutral(c) if isinstance(c, str) else c for c in out.columns]
    for n in range(out.shape[1]):
        series = out.iloc[:, n]
        if isinstance(series.dtype, pd.CategoricalDtype):
            if any(is_live(c) for c in series.cat.categories):
                out.isetitem(n, series.astype(object).map(neutral))
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            if series.map(is_live, na_action="ignore").fillna(False).astype(bool).any():
                out.isetitem(n, series.astype(object).map(neutral, na_action="ignore"))
    return out


def write_csv(frame: pd.DataFrame, target: str | IO[str] | object, **kwargs: object) -> None:
    """``frame.to_csv(target, **kwargs)`` with every cell :func:`neutral` (index off unless asked)."""
    kwargs.setdefault("index", False)
    safe_frame(frame).to_csv(target, **kwargs)  # type: ignore[arg-type]


def text_cell(cell: Cell, text: str) -> Cell:
    """Put ``text`` into an xlsx cell as a string, never a formula, shown as typed."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel's "text as typed": keeps it text when someone edits the cell
    return cell


def harden(wb: Workbook) -> int:
    """Turn every formula or formula-like text cell of ``wb`` into plain text; return how many."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_START)):
                    text_cell(cell, value if isinstance(value, str) else str(value))
                    changed += 1
    return changed


def workbook_bytes(wb: Workbook) -> bytes:
    """``wb`` hardened (:func:`harden`) and saved, as the bytes of an ``.xlsx`` file."""
    harden(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
