"""Reading status data: headers matched to the contract, data rows under them.

Everything is read as text (no type guessing); parsing is the validator's job.
Header problems and data under no header become located issues instead of
exceptions.  Rows are numbered as a spreadsheet shows them (first line = row 1).
Finding the tables of an input (folder, zip, CSV, workbook) is :mod:`.sources`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import Table
from .coerce import cleaned
from .errors import ImportIssue, file_issue

_SPACE = re.compile(r"[\s\u3000\u200b\ufeff]+")
HEADER_SEARCH_ROWS = 5  # a header may sit below this many title rows


@dataclass
class Sheet:
    """One table's raw text as read from one file or sheet."""

    file: str
    sheet: str
    table: Table
    frame: pd.DataFrame  # all str, columns renamed to contract field names
    rows: pd.Series  # the spreadsheet row number of each data row
    extra: dict = field(default_factory=dict)
    clean: bool = False  # the cells are already cleaned (:func:`.coerce.cleaned`): text stripped, blank = None


def norm_label(text: object) -> str:
    return _SPACE.sub(" ", str(text)).strip().lower()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _header_map(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in table.fields:
        for label in f.labels:
            out[norm_label(label)] = f.name
    return out


def column_label(table: Table, head: object) -> str:
    """How an issue names a column: the contract's ``中文(name)`` when the header is known."""
    name = _header_map(table).get(norm_label(head)) if not _is_blank(head) else None
    if name is None:
        return "" if _is_blank(head) else str(head)
    return f"{table.field(name).zh}({name})"


@dataclass
class Header:
    """A matched header row: column position → field name (``""`` for a blank header cell)."""

    cells: list[object]
    mapping: dict[int, str]
    row: int  # the spreadsheet row of the header
    ok: bool


def match_header(file: str, sheet: str, table: Table, cells: list[object], row: int,
                 issues: list[ImportIssue]) -> Header:
    """Map column positions to field names; report unknown, duplicate and missing headers."""
    lookup = _header_map(table)
    mapping: dict[int, str] = {}
    ok = True
    expected_zh = "、".join(f"{f.zh}({f.name})" for f in table.fields)
    for pos, head in enumerate(cells):
        if _is_blank(head):
            mapping[pos] = ""  # blank header: allowed only when the whole column is empty
            continue
        name = lookup.get(norm_label(head))
        if name is None:
            issues.append(file_issue(file, f"无法识别的列名“{head}”", f"unknown column '{head}'",
                                     expected_zh, ", ".join(table.field_names), sheet, str(head), str(head), row))
            ok = False
        elif name in mapping.values():
            issues.append(file_issue(file, f"列“{name}”出现了两次", f"column '{name}' appears twice",
                                     "每列只出现一次", "each column once", sheet, str(head), str(head), row))
            ok = False
        else:
            mapping[pos] = name
    present = set(mapping.values())
    for f in table.fields:
        if f.required and f.name not in present:
            issues.append(file_issue(file, f"缺少必需的列“{f.zh}({f.name})”", f"required column '{f.name}' is missing",
                                     f"表头中应有“{f.zh}”或“{f.name}”", f"a header '{f.zh}' or '{f.name}'",
                                     sheet, f.name, "", row))
            ok = False
    return Header(list(cells), mapping, row, ok)


def find_header(table: Table, rows: list[list[object]]) -> int:
    """The header is the first of the top rows that names known columns (title rows above are skipped)."""
    lookup = _header_map(table)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = sum(1 for v in row if not _is_blank(v) and norm_label(v) in lookup)
        if known >= max(2, len(table.key)):
            return i
    return 0


def body_sheet(file: str, sheet: str, table: Table, header: Header, body: pd.DataFrame, first_row: int,
               issues: list[ImportIssue]) -> Sheet | None:
    """The data rows under a matched header (columns = positions, any cell type) as a :class:`Sheet`.

    ``first_row`` is the spreadsheet row of the body's first line.  Blank lines are
    dropped (the result may have no rows); a column without header must be empty.
    """
    width = max(len(header.cells), body.shape[1])
    body = body.set_axis(range(body.shape[1]), axis=1).reindex(columns=range(width))
    cells, blank = {}, {}
    for pos in range(width):
        cells[pos], blank[pos] = cleaned(body[pos])
    keep = ~np.logical_and.reduce(list(blank.values())) if width else np.zeros(len(body), bool)
    ok = header.ok
    for pos in range(width):
        if (pos >= len(header.cells) or _is_blank(header.cells[pos])) and not blank[pos].all():
            at = int(np.flatnonzero(~blank[pos])[0])
            issues.append(ImportIssue(file, sheet, first_row + at, f"#{pos + 1}", str(cells[pos][at])[:60],
                                      "每列一个表头", "one header per column",
                                      f"第{pos + 1}列有数据但没有表头（可能是合并单元格或多余的列）",
                                      f"column {pos + 1} has data but no header (merged cells or a stray column?)"))
            ok = False
    if not ok:
        return None
    frame = pd.DataFrame({name: pd.Series(cells[pos] if keep.all() else cells[pos][keep], dtype=object)
                          for pos, name in header.mapping.items() if name})
    return Sheet(file, sheet, table, frame, pd.Series(first_row + np.flatnonzero(keep), dtype="int64"), clean=True)


def no_rows_issue(file: str, sheet: str, row: int) -> ImportIssue:
    return file_issue(file, "表中没有数据行", "the table has no data rows",
                      "表头下至少一行数据", "at least one data row", sheet, row=row)


def frame_from_rows(file: str, sheet: str, table: Table, header: list[object], body: pd.DataFrame,
                    first_row: int, issues: list[ImportIssue]) -> Sheet | None:
    """A whole table: the header row and the body under it (see :func:`body_sheet`); no rows is an issue."""
    matched = match_header(file, sheet, table, header, first_row - 1, issues)
    result = body_sheet(file, sheet, table, matched, body, first_row, issues)
    if result is not None and len(result.frame) == 0:
        issues.append(no_rows_issue(file, sheet, first_row))
        return None
    return result


def read_csv_bytes(name: str, data: bytes, issues: list[ImportIssue]) -> Sheet | None:
    """One CSV file given as bytes, as a whole sheet."""
    import hashlib

    from .sources import csv_source, whole_sheet

    source = csv_source(name, lambda: io.BytesIO(data), issues, hashlib.sha256())
    return whole_sheet(source, issues) if source else None


def read_path(path: Path) -> tuple[list[Sheet], list[ImportIssue], bytes]:
    """Read a folder of CSVs, a ``.zip`` of CSVs, one ``.csv`` or a ``.xlsx`` workbook, each table whole.

    Returns the sheets, the structural issues and the SHA-256 digest of the raw input.
    For big inputs use :mod:`.sources`, which reads tables piece by piece.
    """
    import hashlib

    from .sources import find_sources, whole_sheet

    issues: list[ImportIssue] = []
    digest = hashlib.sha256()
    sources = find_sources(Path(path), issues, digest)
    sheets = [s for s in (whole_sheet(src, issues) for src in sources) if s is not None]
    return sheets, issues, digest.digest()
