"""Reading status data: a folder of CSV files, a zip of them, or one workbook.

Everything is read as text (no type guessing); parsing is the validator's job.
Structural problems (unreadable file, unknown table, empty sheet, formulas,
header problems) become located issues instead of exceptions.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..contract import Table, table_for_label
from .errors import ImportIssue, file_issue

ENCODINGS = ("utf-8-sig", "gb18030")
_SPACE = re.compile(r"[\s\u3000\u200b\ufeff]+")


@dataclass
class Sheet:
    """One table's raw text as read from one file or sheet."""

    file: str
    sheet: str
    table: Table
    frame: pd.DataFrame  # all str, columns renamed to contract field names
    rows: pd.Series  # the spreadsheet row number of each data row
    extra: dict = field(default_factory=dict)


def norm_label(text: object) -> str:
    return _SPACE.sub(" ", str(text)).strip().lower()


def _header_map(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in table.fields:
        for label in f.labels:
            out[norm_label(label)] = f.name
    return out


def _match_headers(file: str, sheet: str, table: Table, headers: list[object],
                   issues: list[ImportIssue]) -> dict[int, str] | None:
    """Map column positions to field names; report unknown, duplicate, missing, blank headers."""
    lookup = _header_map(table)
    mapping: dict[int, str] = {}
    ok = True
    expected = "、".join(f"{f.zh}({f.name})" for f in table.fields)
    for pos, head in enumerate(headers):
        label = "" if head is None or (isinstance(head, float) and head != head) else norm_label(head)
        if label == "":
            mapping[pos] = ""  # blank header: allowed only when the whole column is empty
            continue
        name = lookup.get(label)
        if name is None:
            issues.append(file_issue(file, f"无法识别的列名“{head}”", f"unknown column '{head}'",
                                     expected, ", ".join(table.field_names), sheet, str(head), str(head), 1))
            ok = False
        elif name in mapping.values():
            issues.append(file_issue(file, f"列“{name}”出现了两次", f"column '{name}' appears twice",
                                     "每列只出现一次", "each column once", sheet, str(head), str(head), 1))
            ok = False
        else:
            mapping[pos] = name
    present = set(mapping.values())
    for f in table.fields:
        if f.required and f.name not in present:
            issues.append(file_issue(file, f"缺少必需的列“{f.zh}({f.name})”", f"required column '{f.name}' is missing",
                                     f"表头中应有“{f.zh}”或“{f.name}”", f"a header '{f.zh}' or '{f.name}'",
                                     sheet, f.name, "", 1))
            ok = False
    return mapping if ok else None


def _frame_from_rows(file: str, sheet: str, table: Table, header: list[object], body: list[list[object]],
                     first_row: int, issues: list[ImportIssue]) -> Sheet | None:
    mapping = _match_headers(file, sheet, table, header, issues)
    if mapping is None:
        return None
    width = len(header)
    data: dict[str, list[object]] = {name: [] for name in mapping.values() if name}
    blank_cols: dict[int, bool] = {pos: True for pos, name in mapping.items() if name == ""}
    rows: list[int] = []
    for i, raw in enumerate(body):
        cells = list(raw) + [None] * (width - len(raw))
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # blank line
        for pos, name in mapping.items():
            value = cells[pos] if pos < len(cells) else None
            if name:
                data[name].append(value)
            elif value is not None and str(value).strip() != "":
                blank_cols[pos] = False
        rows.append(first_row + i)
    for pos, empty in blank_cols.items():
        if not empty:
            issues.append(file_issue(file, f"第{pos + 1}列有数据但没有表头（可能是合并单元格）",
                                     f"column {pos + 1} has data but no header (merged cells?)",
                                     "每列一个表头", "one header per column", sheet, f"#{pos + 1}", "", 1))
            return None
    if not rows:
        issues.append(file_issue(file, "表中没有数据行", "the table has no data rows",
                                 "表头下至少一行数据", "at least one data row", sheet))
        return None
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in data.items()})
    return Sheet(file, sheet, table, frame, pd.Series(rows, dtype="int64"))


def _decode(data: bytes) -> str | None:
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def read_csv_bytes(name: str, data: bytes, issues: list[ImportIssue]) -> Sheet | None:
    stem = Path(name).stem
    table = table_for_label(stem)
    if table is None:
        issues.append(file_issue(name, f"文件名“{stem}”不是已知的表名", f"file name '{stem}' is not a known table",
                                 "表名（英文或中文），如 students.csv 或 学生.csv",
                                 "a table name in English or Chinese, e.g. students.csv"))
        return None
    if not data.strip():
        issues.append(file_issue(name, "文件为空", "the file is empty", "表头行和数据行", "a header row and data rows"))
        return None
    text = _decode(data)
    if text is None:
        issues.append(file_issue(name, "无法识别文件编码", "cannot decode the file",
                                 "UTF-8、带BOM的UTF-8或GB18030编码的CSV", "CSV in UTF-8, UTF-8 with BOM or GB18030"))
        return None
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None,
                          skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        issues.append(file_issue(name, f"CSV 格式错误：{exc}", f"malformed CSV: {exc}",
                                 "逗号分隔、每行列数相同", "comma-separated rows of equal width"))
        return None
    values = raw.to_numpy(dtype=object).tolist()
    return _frame_from_rows(name, "", table, values[0], values[1:], 2, issues)


def read_workbook(path_name: str, data: bytes, issues: list[ImportIssue]) -> list[Sheet]:
    """Every sheet of a workbook named after a contract table."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        issues.append(file_issue(path_name, f"不是有效的 Excel 工作簿（{type(exc).__name__}）",
                                 f"not a valid Excel workbook ({type(exc).__name__})",
                                 ".xlsx 工作簿，每张表一个工作表", "an .xlsx workbook with one sheet per table"))
        return []
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            table = table_for_label(ws.title)
            if table is None:
                if ws.title.strip().lower() not in {"说明", "readme", "字段说明 fields", "字段说明"}:
                    issues.append(file_issue(path_name, f"工作表名“{ws.title}”不是已知的表名",
                                             f"sheet name '{ws.title}' is not a known table",
                                             "表名（英文或中文）", "a table name in English or Chinese",
                                             sheet=ws.title))
                continue
            sheet = _read_sheet(path_name, ws, table, issues)
            if sheet is not None:
                sheets.append(sheet)
    finally:
        wb.close()
    return sheets


def _read_sheet(path_name: str, ws, table: Table, issues: list[ImportIssue]) -> Sheet | None:  # noqa: ANN001
    rows: list[list[object]] = []
    formulas: list[ImportIssue] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        values = []
        for c, cell in enumerate(row, start=1):
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")
                                                            and r > 1):
                if len(formulas) < 200:
                    formulas.append(ImportIssue(path_name, ws.title, r, _col_name(rows, c), str(value)[:60],
                                                "数值（请“粘贴为数值”）", "a value (paste as values)",
                                                "单元格含公式", "the cell holds a formula"))
                value = None
            values.append(value)
        rows.append(values)
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        issues.append(file_issue(path_name, "工作表为空", "the sheet is empty", "表头行和数据行",
                                 "a header row and data rows", sheet=ws.title))
        return None
    header_at = _find_header(table, rows)
    issues.extend(formulas)
    sheet = _frame_from_rows(path_name, ws.title, table, rows[header_at], rows[header_at + 1:],
                             header_at + 2, issues)
    return None if formulas else sheet


def _col_name(rows: list[list[object]], col: int) -> str:
    if rows and col - 1 < len(rows[0]) and rows[0][col - 1] is not None:
        return str(rows[0][col - 1])
    return f"#{col}"


def _find_header(table: Table, rows: list[list[object]]) -> int:
    """The header is the first of the top rows that names known columns (title rows above are skipped)."""
    lookup = _header_map(table)
    for i, row in enumerate(rows[:5]):
        known = sum(1 for v in row if v is not None and norm_label(v) in lookup)
        if known >= max(2, len(table.key)):
            return i
    return 0


def read_path(path: Path) -> tuple[list[Sheet], list[ImportIssue], bytes]:
    """Read a folder of CSVs, a ``.zip`` of CSVs or a ``.xlsx`` workbook.

    Returns the sheets, the structural issues and the raw bytes digest source
    (the concatenated input, for the batch hash).
    """
    issues: list[ImportIssue] = []
    sheets: list[Sheet] = []
    blobs: list[bytes] = []
    path = Path(path)
    if not path.exists():
        issues.append(file_issue(str(path), "路径不存在", "path does not exist",
                                 "CSV 文件夹、.zip 或 .xlsx", "a folder of CSV files, a .zip or an .xlsx file"))
        return sheets, issues, b""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
        csvs = [p for p in files if p.suffix.lower() == ".csv"]
        if not csvs:
            issues.append(file_issue(str(path), "文件夹中没有 CSV 文件", "no CSV files in the folder",
                                     "每张表一个 CSV 文件", "one CSV file per table"))
        for p in csvs:
            data = p.read_bytes()
            blobs.append(p.name.encode() + data)
            sheet = read_csv_bytes(p.name, data, issues)
            if sheet is not None:
                sheets.append(sheet)
    elif path.suffix.lower() == ".zip":
        _read_zip(path, sheets, issues, blobs)
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        data = path.read_bytes()
        blobs.append(data)
        sheets.extend(read_workbook(path.name, data, issues))
    elif path.suffix.lower() == ".csv":
        data = path.read_bytes()
        blobs.append(data)
        sheet = read_csv_bytes(path.name, data, issues)
        if sheet is not None:
            sheets.append(sheet)
    else:
        issues.append(file_issue(path.name, f"不支持的文件类型“{path.suffix}”", f"unsupported file type '{path.suffix}'",
                                 "CSV 文件夹、.zip 或 .xlsx", "a folder of CSV files, a .zip or an .xlsx file"))
    _check_repeated_tables(sheets, issues)
    return sheets, issues, b"".join(blobs)


def _read_zip(path: Path, sheets: list[Sheet], issues: list[ImportIssue], blobs: list[bytes]) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        issues.append(file_issue(path.name, "不是有效的 zip 文件", "not a valid zip file",
                                 "包含 CSV 文件的 zip", "a zip of CSV files"))
        return
    with archive:
        names = sorted(n for n in archive.namelist()
                       if n.lower().endswith(".csv") and not Path(n).name.startswith((".", "_")))
        if not names:
            issues.append(file_issue(path.name, "zip 中没有 CSV 文件", "no CSV files in the zip",
                                     "每张表一个 CSV 文件", "one CSV file per table"))
        for n in names:
            data = archive.read(n)
            blobs.append(n.encode() + data)
            sheet = read_csv_bytes(Path(n).name, data, issues)
            if sheet is not None:
                sheets.append(sheet)


def _check_repeated_tables(sheets: list[Sheet], issues: list[ImportIssue]) -> None:
    seen: dict[str, Sheet] = {}
    for s in list(sheets):
        first = seen.get(s.table.name)
        if first is not None:
            where = f"{first.file} {first.sheet}".strip()
            issues.append(file_issue(s.file, f"表“{s.table.zh}”重复提供（已在 {where} 中）",
                                     f"table '{s.table.name}' given twice (also in {where})",
                                     "每张表只提供一次", "each table once", sheet=s.sheet))
            sheets.remove(s)
        else:
            seen[s.table.name] = s
