"""The fast .xlsx readers (regular expression and lxml) give exactly what openpyxl gives."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from broken_cases import BROKEN, VALID
from openpyxl import Workbook

from diagnostics.io import xlsx

# not comparable with openpyxl: read-only openpyxl trusts an understated <dimension> (the reason it is no longer
# used), and the reader refuses a cell beyond Excel's grid and an encrypted file
NOT_ALIKE = {"xlsx_dimension_understated", "xlsx_cell_at_row_40_million", "xlsx_password_protected"}
XLSX_CASES = [c for c in BROKEN + VALID
              if c.name.startswith("xlsx_") and "is_" not in c.name and c.name not in NOT_ALIKE]


def _openpyxl_sheets(data: bytes) -> list:
    """The reference: every sheet's cell values and formula cells through openpyxl (read-only mode, which
    trusts each sheet's declared dimension: fine for the workbooks openpyxl writes here)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        out = []
        for ws in wb.worksheets:
            rows, formulas = [], []
            for r, row in enumerate(ws.iter_rows(), start=1):
                values = []
                for c, cell in enumerate(row, start=1):
                    value = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "f":
                        formulas.append((r, c, str(value)))
                        value = None
                    values.append(value)
                rows.append(values)
            out.append((ws.title, rows, formulas))
        return out
    finally:
        wb.close()


def _normal(book: list) -> list:
    """Rows without trailing empty cells or rows (openpyxl pads rows to the sheet's width)."""
    out = []
    for title, rows, formulas in book:
        rows = [list(r) for r in rows]
        for r in rows:
            while r and r[-1] is None:
                r.pop()
        while rows and not rows[-1]:
            rows.pop()
        out.append((title, rows, sorted(formulas)))
    return out


def _all_readers(data: bytes, monkeypatch) -> tuple[list, list, list]:
    fast = _normal(list(xlsx.read_sheets(data)))
    monkeypatch.setattr(xlsx, "FAST_LIMIT", -1)
    streamed = _normal(list(xlsx.read_sheets(data)))
    return fast, streamed, _normal(_openpyxl_sheets(data))


@pytest.mark.parametrize("case", XLSX_CASES, ids=lambda c: c.name)
def test_corpus_workbooks_read_alike(case, tmp_path, monkeypatch):
    data = case.build(tmp_path).read_bytes()
    fast, streamed, reference = _all_readers(data, monkeypatch)
    assert fast == reference
    assert streamed == reference


def test_dates_formulas_rich_values_read_alike(tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.title = "students"
    ws.append(["出生日期", "数", "是否", "公式", "文本 <&> \"引号\"", None, "far"])
    ws.append([dt.datetime(2006, 3, 15), 1.5, True, "=A2+1", "a & b < c", None, "x"])
    ws.append([dt.date(2007, 1, 2), -3, False, "=SUM(B2:B3)", " 空格 ", None, None])
    ws["C5"] = "行间有空行"
    ws["AB7"] = 42  # a cell far to the right
    ws["B2"].number_format = "0.00"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    fast, streamed, reference = _all_readers(path.read_bytes(), monkeypatch)
    assert fast == streamed == reference
    rows = fast[0][1]
    assert rows[1][0] == dt.datetime(2006, 3, 15) and rows[1][1] == 1.5 and rows[1][2] is True
    assert fast[0][2] == [(2, 4, "=A2+1"), (3, 4, "=SUM(B2:B3)")]


def test_pandas_written_workbooks_read_alike(tmp_path, monkeypatch):
    """pandas writes inline strings with non-ASCII text as character references."""
    path = tmp_path / "book.xlsx"
    frame = pd.DataFrame({"学校代码": ["S1", "S2"], "名称": ["江州职业技术学院", "A&B <学校>"], "年份": [1985, 2001],
                          "空": [None, "有"]})
    frame.to_excel(path, sheet_name="学校", index=False)
    fast, streamed, reference = _all_readers(path.read_bytes(), monkeypatch)
    assert fast == streamed == reference
    assert fast[0][1][2][1] == "A&B <学校>"
