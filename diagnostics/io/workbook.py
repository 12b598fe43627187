"""Reading one ``.xlsx`` workbook: one sheet per contract table.

Sheets are named by the table's English or Chinese name.  A sheet holding only
its header row (an unfilled sheet of the template) is skipped; an entirely
empty table sheet, a formula or a cell without header is an issue.  Sheets
that are not tables (the template's field guide, an empty ``Sheet1``) are
ignored; a non-table sheet holding data is an issue.  A hidden table sheet,
or hidden rows or columns holding data, are refused unless the import is
told to take them (``--allow-hidden``), and then named in a warning.  There is
one reader (:mod:`.xlsx`): what it cannot read in full is refused.
"""

from __future__ import annotations

import pandas as pd

from ..contract import Table, table_for_label
from .errors import ImportIssue, file_issue
from .limits import InputTooLarge
from .read import Sheet, _is_blank, column_label, find_header, frame_from_rows
from .xlsx import SheetCells, read_book

GUIDE_SHEETS = {"说明", "readme", "字段说明", "字段说明 fields"}
MAX_FORMULA_ISSUES = 200


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an old .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
MAX_HIDDEN_ISSUES = 50


def read_workbook(path_name: str, data: bytes, issues: list[ImportIssue], allow_hidden: bool = False,
                  notes: list[ImportIssue] | None = None) -> list[Sheet]:
    """Every sheet of a workbook named after a contract table.

    Hidden sheets, rows and columns holding data are refused, or with ``allow_hidden`` imported
    with a warning in ``notes`` naming them.
    """
    try:
        book = read_book(data)
    except InputTooLarge as exc:
        issues.append(exc.issue(path_name))
        return []
    except MemoryError:
        issues.append(file_issue(path_name, "工作簿过大，内存不足以完整读取", "the workbook is too large to read in full",
                                 "较小的工作簿，或 CSV 文件夹", "a smaller workbook, or a folder of CSV files"))
        return []
    except Exception as exc:  # any failure to open untrusted input is "not a workbook", never a crash
        issues.append(_not_workbook(path_name, data, exc))
        return []
    sheets: list[Sheet] = []
    for cells in book:
        title, rows = cells.title, cells.rows
        while rows and all(_is_blank(v) for v in rows[-1]):
            rows.pop()
        table = table_for_label(title)
        if table is None:
            if rows and title.strip().lower() not in GUIDE_SHEETS:
                issues.append(file_issue(path_name, f"工作表名“{title}”不是已知的表名",
                                         f"sheet name '{title}' is not a known table",
                                         "表名（英文或中文）", "a table name in English or Chinese", sheet=title))
            continue
        hidden = _hidden(path_name, cells, allow_hidden) if rows else []
        if hidden and not allow_hidden:
            issues.extend(hidden)
            continue
        if notes is not None:
            notes.extend(hidden)
        sheet = _sheet(path_name, title, table, rows, cells.formulas, issues)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def _not_workbook(path_name: str, data: bytes, exc: Exception) -> ImportIssue:
    if data.startswith(_OLE) and _ENCRYPTED in data:
        return file_issue(path_name, "工作簿设有打开密码（已加密），无法读取", "the workbook is password-protected (encrypted)",
                          "未加密的 .xlsx（在 Excel 中取消“用密码进行加密”后另存）",
                          "an unencrypted .xlsx (remove 'Encrypt with Password' in Excel and save again)")
    if data.startswith(_OLE):
        return file_issue(path_name, "这是旧版 .xls（或其他 Office）文件，不是 .xlsx", "an old .xls (or other Office) file, not .xlsx",
                          "另存为 .xlsx 的工作簿", "the workbook saved as .xlsx")
    return file_issue(path_name, f"不是有效的 Excel 工作簿（{type(exc).__name__}）",
                      f"not a valid Excel workbook ({type(exc).__name__})",
                      ".xlsx 工作簿，每张表一个工作表", "an .xlsx workbook with one sheet per table")


def _hidden(path_name: str, cells: SheetCells, allowed: bool) -> list[ImportIssue]:
    """What Excel hides of a table sheet that holds data: the sheet itself, rows and columns with data."""
    out: list[ImportIssue] = []
    title = cells.title
    how = ("（已按 --allow-hidden 导入，请核对）", " (imported as --allow-hidden asks: please check)") if allowed else \
        ("", "")
    expected = ("取消隐藏后再导入，或加 --allow-hidden 明确导入隐藏内容",
                "unhide it, or import hidden content explicitly with --allow-hidden")
    if cells.state != "visible":
        kind = ("深度隐藏（veryHidden，在 Excel 的取消隐藏菜单中也看不到）", "very hidden (not even listed by Excel's Unhide)") \
            if cells.state == "veryHidden" else ("隐藏", "hidden")
        out.append(file_issue(path_name, f"工作表被{kind[0]}{how[0]}", f"the sheet is {kind[1]}{how[1]}", *expected,
                              sheet=title))
    for row in sorted(cells.hidden_rows)[:MAX_HIDDEN_ISSUES]:
        out.append(file_issue(path_name, f"第{row}行被隐藏但有数据{how[0]}", f"row {row} is hidden but holds data{how[1]}",
                              *expected, sheet=title, row=row))
    used = max(map(len, cells.rows), default=0)
    for col in sorted(c for c in cells.hidden_columns if c <= used)[:MAX_HIDDEN_ISSUES]:
        if any(len(r) >= col and not _is_blank(r[col - 1]) for r in cells.rows):
            out.append(file_issue(path_name, f"第{col}列被隐藏但有数据{how[0]}",
                                  f"column {col} is hidden but holds data{how[1]}", *expected, sheet=title,
                                  column=f"#{col}"))
    return out


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
