"""Excel workbooks (openpyxl): the quality-report tables of a school, formatted to be filed.

Every string is written as text (``diagnostics.io.cells``, the one sanitiser of every file zhengai
writes): a cell from data that starts with ``=``, ``+``, ``-`` or ``@`` (a school called
``=HYPERLINK(...)``) stays a string, shown as typed, and is never evaluated as a formula.
Numbers stay numbers (with a number format showing the report's digits); a cell the data cannot
fill says "数据暂缺", not 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..io.cells import text_cell, workbook_bytes
from .fmt import NO_DATA, clean_text, excel_format, sheet_title
from .model import QualityTable, SchoolReport

THIN = Side(style="thin", color="B8C4CF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
TITLE_FONT = Font(name="等线", size=14, bold=True)
HEAD_FONT = Font(name="等线", size=10.5, bold=True)
BODY_FONT = Font(name="等线", size=10.5)
MISSING_FONT = Font(name="等线", size=10.5, italic=True, color="888888")
NOTE_FONT = Font(name="等线", size=9, color="555555")


def put(ws: Worksheet, row: int, column: int, value: object, unit: str = "") -> Cell:
    """Write one cell: numbers as numbers (formatted), anything else as plain text, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, bool) or value is None:
        value = "" if value is None else str(value)
    if isinstance(value, int | float) and not _finite(value):
        value = NO_DATA  # an infinite or unrepresentable number is no value (Excel cannot store it)
    if isinstance(value, int | float):
        cell.value = float(value)
        cell.number_format = excel_format(float(value), unit)
        cell.alignment = Alignment(horizontal="right")
        return cell
    return text_cell(cell, clean_text(value))  # text, even when it starts with = + - @


def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond the largest float
        return False


def _grid(ws: Worksheet, top: int, bottom: int, columns: int) -> None:
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=columns):
        for cell in row:
            cell.border = BORDER
            if cell.font != HEAD_FONT:
                cell.font = MISSING_FONT if cell.value == NO_DATA else BODY_FONT
            if cell.value == NO_DATA:
                cell.alignment = Alignment(horizontal="center")


def write_table(ws: Worksheet, title: str, meta: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
                units: Sequence[str] = (), widths: Sequence[float] = (), note: str = "") -> None:
    """A titled, bordered table with a shaded header row, frozen below the header, printable on A4."""
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, meta).font = NOTE_FONT
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    for n, head in enumerate(headers, 1):
        cell = put(ws, 4, n, head)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(rows, 5):
        for c, value in enumerate(values, 1):
            put(ws, r, c, value, units[r - 5] if units else "")
    _grid(ws, 4, 4 + len(rows), len(headers))
    if note:
        put(ws, 6 + len(rows), 1, f"说明：{note}").font = NOTE_FONT
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"


def _quality_rows(table: QualityTable) -> list[list[object]]:
    return [[row.label, row.unit, *(NO_DATA if v is None else v for v in row.values), row.note] for row in table.rows]


def quality_workbook(report: SchoolReport) -> bytes:
    """The six quality-report tables of a school-year, one sheet each, plus a sheet on the data."""
    wb = Workbook()
    wb.remove(wb.active)
    meta = f"{report.school.name}（学校代码 {report.school.school_id}） · {report.academic_year}"
    for table in report.quality_tables:
        ws = wb.create_sheet(sheet_title(table.title))
        write_table(ws, f"{report.school.name} {table.title}", meta,
                    ["项目", "单位", *(f"{y}–{y + 1} 学年" for y in table.years), "备注"], _quality_rows(table),
                    units=[row.unit for row in table.rows], widths=[34, 10, 14, 14, 36], note=table.note)
    ws = wb.create_sheet("数据说明")
    lines = [("学校", report.school.name), ("学校代码", report.school.school_id), ("学年", report.academic_year),
             ("状态数据", report.provenance.data_version), ("指标模型", report.provenance.model_version or "—"),
             ("计算批次", "—" if report.provenance.run_id is None else f"#{report.provenance.run_id}"),
             ("生成时间", report.provenance.generated_text),
             ("说明", "数值依据本平台指标计算结果；“数据暂缺”表示状态数据不能支持该项目，不是 0。")]
    write_table(ws, "数据说明", meta, ["项目", "内容"], lines, widths=[14, 80])
    return workbook_bytes(wb)
