"""Reading one ``.xlsx`` workbook: one sheet per contract table.

Sheets are named by the table's English or Chinese name.  A sheet holding only
its header row (an unfilled sheet of the template) is skipped; an entirely
empty table sheet, a formula or a cell without header is an issue.  Sheets
that are not tables (the template's field guide, an empty ``Sheet1``) are
ignored; a non-table sheet holding data is an issue.
"""

from __future__ import annotations

import io

import pandas as pd

from ..contract import Table, table_for_label
from .errors import ImportIssue, file_issue
from .read import Sheet, _is_blank, column_label, find_header, frame_from_rows
from .xlsx import read_sheets

GUIDE_SHEETS = {"说明", "readme", "字段说明", "字段说明 fields"}
MAX_FORMULA_ISSUES = 200


def read_workbook(path_name: str, data: bytes, issues: list[ImportIssue]) -> list[Sheet]:
    """Every sheet of a workbook named after a contract table."""
    not_workbook = (".xlsx 工作簿，每张表一个工作表", "an .xlsx workbook with one sheet per table")
    try:
        book = list(read_sheets(data))  # the fast reader
    except Exception:  # noqa: BLE001 - an unusual producer: let openpyxl try
        try:
            book = _openpyxl_sheets(data)
        except Exception as exc:  # any failure to open untrusted input is "not a workbook", never a crash
            issues.append(file_issue(path_name, f"不是有效的 Excel 工作簿（{type(exc).__name__}）",
                                     f"not a valid Excel workbook ({type(exc).__name__})", *not_workbook))
            return []
    sheets: list[Sheet] = []
    for title, rows, formulas in book:
        while rows and all(_is_blank(v) for v in rows[-1]):
            rows.pop()
        table = table_for_label(title)
        if table is None:
            if rows and title.strip().lower() not in GUIDE_SHEETS:
                issues.append(file_issue(path_name, f"工作表名“{title}”不是已知的表名",
                                         f"sheet name '{title}' is not a known table",
                                         "表名（英文或中文）", "a table name in English or Chinese", sheet=title))
            continue
        sheet = _sheet(path_name, title, table, rows, formulas, issues)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def _openpyxl_sheets(data: bytes) -> list[tuple[str, list[list[object]], list[tuple[int, int, str]]]]:
    """The slow, tolerant way: every sheet's cell values and formula cells through openpyxl."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return [(ws.title, *_cells(ws)) for ws in wb.worksheets]
    finally:
        wb.close()


def _cells(ws) -> tuple[list[list[object]], list[tuple[int, int, str]]]:  # noqa: ANN001
    """All cell values and the formula cells as (row, column, text)."""
    rows: list[list[object]] = []
    formulas: list[tuple[int, int, str]] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        values = []
        for c, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                formulas.append((r, c, str(value)))
                value = None
            values.append(value)
        rows.append(values)
    return rows, formulas


def _sheet(path_name: str, title: str, table: Table, rows: list[list[object]],
           formulas: list[tuple[int, int, str]], issues: list[ImportIssue]) -> Sheet | None:
    if not rows:
        issues.append(file_issue(path_name, "工作表为空", "the sheet is empty", "表头行和数据行",
                                 "a header row and data rows", sheet=title))
        return None
    at = find_header(table, rows)
    header = rows[at]
    for r, c, text in formulas[:MAX_FORMULA_ISSUES]:
        head = header[c - 1] if c - 1 < len(header) else None
        issues.append(ImportIssue(path_name, title, r, column_label(table, head) or f"#{c}", text[:60],
                                  "数值（请复制后“粘贴为数值”）", "a value (copy, then paste as values)",
                                  "单元格含公式", "the cell holds a formula"))
    if formulas:
        if len(formulas) > MAX_FORMULA_ISSUES:
            issues.append(file_issue(path_name, f"另有 {len(formulas) - MAX_FORMULA_ISSUES} 个公式单元格",
                                     f"{len(formulas) - MAX_FORMULA_ISSUES} more formula cells",
                                     "数值", "values", sheet=title))
        return None
    body = rows[at + 1:]
    if all(_is_blank(v) for row in body for v in row):
        return None  # only a header: a sheet of the template that was not filled in
    return frame_from_rows(path_name, title, table, header, pd.DataFrame(body, dtype=object), at + 2, issues)
