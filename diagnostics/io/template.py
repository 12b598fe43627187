"""``zhengai template``: a blank workbook generated from the contract."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..contract import BOOL, CODE, TABLES
from .cells import workbook_bytes

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
REQUIRED_FONT = Font(bold=True)


def header(field) -> str:  # noqa: ANN001
    """The bilingual header the template writes (the importer reads it back)."""
    return f"{field.zh} {field.name}"


def write_template(path: Path, rows: int = 2000) -> Path:
    """One sheet per table with bilingual headers and dropdowns, plus a field guide."""
    wb = Workbook()
    guide = wb.active
    guide.title = "字段说明"
    guide.append(["表 table", "表名 (中文)", "字段 field", "字段名 (中文)", "类型与取值 expected",
                  "expected (English)", "单位 unit", "必填 required", "说明", "note"])
    for cell in guide[1]:
        cell.font = REQUIRED_FONT
        cell.fill = HEADER_FILL
    for table in TABLES:
        ws = wb.create_sheet(table.name)
        for col, f in enumerate(table.fields, start=1):
            cell = ws.cell(row=1, column=col, value=header(f))
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True)
            if f.required and not f.nullable:
                cell.font = REQUIRED_FONT
            ws.column_dimensions[get_column_letter(col)].width = max(12, len(header(f)) * 1.6)
            letter = get_column_letter(col)
            options = f.codes if f.kind == CODE else (("是", "否") if f.kind == BOOL else None)
            if options:
                dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=f.nullable,
                                    showErrorMessage=True, errorTitle="取值无效 invalid value",
                                    error="请从下拉列表选择 / choose from the list")
                dv.add(f"{letter}2:{letter}{rows + 1}")
                ws.add_data_validation(dv)
            guide.append([table.name, table.zh, f.name, f.zh, f.expected_zh(), f.expected_en(), f.unit or "",
                          "是" if f.required and not f.nullable else "否", f.doc_zh, f.doc_en])
        ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJ", (14, 12, 26, 22, 40, 40, 8, 8, 30, 30)):
        guide.column_dimensions[col].width = width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(wb))  # hardened: no cell a spreadsheet would evaluate
    return path
