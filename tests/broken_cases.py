"""The import corpus: broken (and some valid) inputs built from the tiny data set.

Each case builds its input under a folder and says where the import must
locate at least one error: ``(file, sheet, row, column)`` — row ``None`` and
column ``""`` for an issue about a whole file or sheet.  ``where=None`` marks a
valid input, which must import cleanly with the same stored content as the
plain UTF-8 tiny data set.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from tiny_data import FACILITIES, PROGRAMS, SCHOOLS, TEACHERS, make_id, students_csv, write_tiny

from diagnostics.contract import BY_NAME
from diagnostics.io.template import header as template_header

KEY_AS_ID = make_id("510104", "20050607", "321")  # a valid ID number misused as a student key
NOTE_ID = make_id("440305", "19800214", "417")  # a teacher's ID number written into free text
EXTRA_IDS = [KEY_AS_ID, NOTE_ID]


def spaced(number: str, sep: str = " ") -> str:
    """An ID number written in groups (6-8-4), as people type it."""
    return sep.join((number[:6], number[6:14], number[14:]))


def tiny_texts() -> dict[str, str]:
    return {"schools": SCHOOLS, "programs": PROGRAMS, "students": students_csv(),
            "teachers": TEACHERS, "facilities": FACILITIES}


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@dataclass
class Case:
    name: str
    build: Callable[[Path], Path]  # builds the input under a folder, returns the path to import
    where: tuple[str, str, int | None, str] | None  # expected issue location; None = valid input


# ------------------------------------------------------------------ builders

def folder(tables: dict[str, str | bytes | None] | None = None, encoding: str = "utf-8") -> Callable[[Path], Path]:
    """The tiny CSV folder with some files replaced (text or raw bytes), added or removed (None)."""

    def build(base: Path) -> Path:
        target = base / "data"
        texts = {k: v for k, v in (tables or {}).items() if not isinstance(v, bytes)}
        write_tiny(target, encoding, texts)
        for name, value in (tables or {}).items():
            if isinstance(value, bytes):
                (target / f"{name}.csv").write_bytes(value)
            elif value is None and (target / f"{name}.csv").exists():
                (target / f"{name}.csv").unlink()
        return target

    return build


def set_cell(table: str, row: int, column: str, value: str) -> str:
    """The tiny table's CSV with one cell changed (row as a spreadsheet numbers it)."""
    rows = rows_of(tiny_texts()[table])
    rows[row - 1][rows[0].index(column)] = value
    return csv_text(rows)


def add_column(table: str, column: str, values: dict[int, str], default: str = "") -> str:
    rows = rows_of(tiny_texts()[table])
    rows[0].append(column)
    for i, r in enumerate(rows[1:], start=2):
        r.append(values.get(i, default))
    return csv_text(rows)


def drop_column(table: str, column: str) -> str:
    rows = rows_of(tiny_texts()[table])
    pos = rows[0].index(column)
    return csv_text([r[:pos] + r[pos + 1:] for r in rows])


def rename_header(table: str, old: str, new: str) -> str:
    rows = rows_of(tiny_texts()[table])
    rows[0][rows[0].index(old)] = new
    return csv_text(rows)


def map_column(table: str, column: str, fn: Callable[[int, str], str]) -> str:
    rows = rows_of(tiny_texts()[table])
    pos = rows[0].index(column)
    for i, r in enumerate(rows[1:], start=2):
        r[pos] = fn(i, r[pos])
    return csv_text(rows)


def typed(table: str, column: str, value: str) -> object:
    """A cell as Excel would hold it when typed in: numbers as numbers, yes/no as booleans."""
    kind = BY_NAME[table].field(column).kind
    if kind in ("int", "year"):
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value == "是"
    return value


def workbook(sheet_name: Callable[[str], str] = lambda t: t, head: Callable[[str, str], str] = lambda t, c: c,
             tweak: Callable[[Workbook], None] | None = None, typed_cells: bool = False,
             name: str = "book.xlsx") -> Callable[[Path], Path]:
    """The tiny data set as one workbook (sheet and header naming configurable), then ``tweak``."""

    def build(base: Path) -> Path:
        wb = Workbook()
        wb.remove(wb.active)
        for table, text in tiny_texts().items():
            ws = wb.create_sheet(sheet_name(table))
            rows = rows_of(text)
            ws.append([head(table, c) for c in rows[0]])
            for r in rows[1:]:
                ws.append([typed(table, c, v) if typed_cells and v != "" else (v or None)
                           for c, v in zip(rows[0], r)])
        if tweak:
            tweak(wb)
        base.mkdir(parents=True, exist_ok=True)
        wb.save(base / name)
        return base / name

    return build


def raw_file(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        base.mkdir(parents=True, exist_ok=True)
        (base / name).write_bytes(data() if callable(data) else data)
        return base / name

    return build


def zipped(tables: dict[str, str] | None = None, name: str = "data.zip") -> Callable[[Path], Path]:
    def build(base: Path) -> Path:
        texts = {**tiny_texts(), **(tables or {})}
        base.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(base / name, "w") as zf:
            for table, text in texts.items():
                zf.writestr(f"province/{table}.csv", text.encode("utf-8"))
        return base / name

    return build


def patched_workbook(table: str, patch: Callable[[str], str], workbook_patch: Callable[[str], str] | None = None,
                     base_case: Callable[[Path], Path] | None = None) -> Callable[[Path], Path]:
    """The tiny workbook with the XML of ``table``'s sheet (and of ``xl/workbook.xml``) rewritten."""

    def build(base: Path) -> Path:
        path = (base_case or workbook())(base)
        with zipfile.ZipFile(path) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
        sheet = f"xl/worksheets/sheet{list(tiny_texts()).index(table) + 1}.xml"
        parts[sheet] = patch(parts[sheet].decode()).encode()
        if workbook_patch:
            parts["xl/workbook.xml"] = workbook_patch(parts["xl/workbook.xml"].decode()).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                zf.writestr(name, data)
        return path

    return build


def _understate_dimension(xml: str) -> str:
    import re

    return re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:A2"/>', xml)


def _very_hidden(title: str) -> Callable[[str], str]:
    import re

    return lambda xml: re.sub(rf'(name="{title}"[^>]*?)state="visible"', r'\1state="veryHidden"', xml)


def _far_cell(xml: str) -> str:
    return xml.replace("</sheetData>", '<row r="40000000"><c r="A40000000" t="n"><v>1</v></c></row></sheetData>')


def _hide_row(wb: Workbook) -> None:
    wb["teachers"].row_dimensions[3].hidden = True


def _hide_column(wb: Workbook) -> None:
    wb["programs"].column_dimensions["D"].hidden = True


def zip_members(count: int) -> Callable[[Path], Path]:
    """The tiny data set zipped with ``count`` tiny extra members (a zip that is nearly all directory)."""

    def build(base: Path) -> Path:
        path = zipped()(base)
        with zipfile.ZipFile(path, "a") as zf:
            for i in range(count):
                zf.writestr(f"extra/x{i}.txt", b"x")
        return path

    return build


def zip_damaged(table: str) -> Callable[[Path], Path]:
    """The tiny data set zipped (deflated) with ``table``'s compressed bytes overwritten midway."""

    def build(base: Path) -> Path:
        base.mkdir(parents=True, exist_ok=True)
        path = base / "data.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in tiny_texts().items():
                zf.writestr(f"{name}.csv", text.encode("utf-8"))
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(f"{table}.csv")
        data = bytearray(path.read_bytes())
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        data[start + 2:start + 2 + info.compress_size // 2] = b"\xff" * (info.compress_size // 2)
        path.write_bytes(bytes(data))
        return path

    return build


def encrypted_workbook() -> bytes:
    """What Excel writes for a password-protected .xlsx: a compound file holding ``EncryptedPackage``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64
    return header + entry + b"\0" * 1024


def mixed_encoding_teachers() -> bytes:
    """teachers.csv in UTF-8 with its third line pasted in from a GB18030 file."""
    lines = TEACHERS.splitlines(keepends=True)
    return b"".join(line.encode("gb18030" if i == 2 else "utf-8") for i, line in enumerate(lines))


def zip_of_text() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "这不是 Excel 工作簿 / not a workbook")
    return buf.getvalue()


# ------------------------------------------------------------------ workbook tweaks

def _clear_sheet(title: str) -> Callable[[Workbook], None]:
    def tweak(wb: Workbook) -> None:
        ws = wb[title]
        ws.delete_rows(1, ws.max_row)

    return tweak


def _merge_header(wb: Workbook) -> None:
    wb["programs"].merge_cells("A1:B1")  # school_id and year under one header cell


def _formula(wb: Workbook) -> None:
    ws = wb["programs"]
    ws.cell(row=3, column=9, value="=1+1")  # actual_intake of the second program row


def _extra_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet("Sheet2")
    ws.append(["备注", "随便写写"])


def _empty_sheet(wb: Workbook) -> None:
    wb.create_sheet("Sheet1")  # Excel's default, left empty: ignored


def _title_rows(wb: Workbook) -> None:
    for ws in wb.worksheets:
        ws.insert_rows(1, 2)
        ws["A1"] = f"{ws.title} 状态数据（2023–2024 学年）"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)


def _blank_margins(wb: Workbook) -> None:
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFFF00")
    for ws in wb.worksheets:
        last_row, last_col = ws.max_row, ws.max_column
        for r in range(1, last_row + 4):
            for c in range(last_col + 1, last_col + 4):
                ws.cell(row=r, column=c).fill = fill  # formatted but empty cells right and below
        for c in range(1, last_col + 1):
            ws.cell(row=last_row + 2, column=c).fill = fill


def _template_like(wb: Workbook) -> None:
    guide = wb.create_sheet("字段说明", 0)
    guide.append(["表 table", "字段 field"])
    for name, table in BY_NAME.items():
        if name not in wb.sheetnames:
            wb.create_sheet(name).append([template_header(f) for f in table.fields])  # unfilled sheet


def _chinese_duplicate(wb: Workbook) -> None:
    ws = wb["教师"]
    ws.cell(row=3, column=3, value="T1")  # second teacher row gets the first one's key


def _bilingual(table: str, column: str) -> str:
    return template_header(BY_NAME[table].field(column))


def _chinese(table: str, column: str) -> str:
    return BY_NAME[table].field(column).zh


def _zh_sheet(table: str) -> str:
    return BY_NAME[table].zh


# ------------------------------------------------------------------ the corpus

def _names(i: int, v: str) -> str:
    return ["张三", "李四", "王小明", "赵六", "钱七", "孙八", "周九", "吴十"][(i - 2) % 8]


UTF16 = SCHOOLS.encode("utf-16")
HEADER_ONLY = TEACHERS.splitlines()[0] + "\n"
NO_HEADER = "".join(students_csv().splitlines(keepends=True)[1:])
SURVEYS = "school_id,year,survey,item,respondents,satisfied\nS1,2023,学生,教学满意度,100,120\nS1,2023,学生,实习满意度,80,60\n"
UNBALANCED = PROGRAMS.replace("S1,2024,510201,计算机应用技术", 'S1,2024,510201,"计算机应用技术', 1)
RAGGED = csv_text([r + (["X"] if i == 3 else []) for i, r in enumerate(rows_of(TEACHERS))])
NUL_TEXT = TEACHERS.replace("T2", "T\x002").encode()
LOOKALIKE_SCHOOL = SCHOOLS + "S1\u200b,江州职业技术学院,高职,工科,江州市,公办,1985\n"
INTERNSHIPS = ("school_id,year,student_key,enterprise_id,post,matches_program,insured,months,tracked,assessed\n"
               "S1,2024,A001,E1,软件测试,是,是,6,是,是\n"
               f"S1,2024,A002,E1,运维（带教师傅身份证 {spaced(NOTE_ID, '-')}）,是,是,6,是,是\n")
TARGETS = ("school_id,year,indicator_id,target,set_by,note\n"
           f"S1,2024,employment_rate,95,招就处,联系人 身份证号{NOTE_ID}\n")

CSV_F = "students.csv"
BROKEN: list[Case] = [
    Case("header_unknown", folder({"teachers": rename_header("teachers", "degree", "diploma")}),
         ("teachers.csv", "", 1, "diploma")),
    Case("header_row_missing", folder({"students": NO_HEADER}), (CSV_F, "", 1, "school_id")),
    Case("header_misspelt", folder({"programs": rename_header("programs", "program_name", "progam_name")}),
         ("programs.csv", "", 1, "progam_name")),
    Case("header_duplicate", folder({"programs": rename_header("programs", "program_group", "专业名称")}),
         ("programs.csv", "", 1, "专业名称")),
    Case("text_in_count", folder({"teachers": set_cell("teachers", 2, "teaching_hours", "三百二十")}),
         ("teachers.csv", "", 2, "年授课学时(teaching_hours)")),
    Case("date_garbage", folder({"students": add_column("students", "birth_date", {3: "2006-13-45"})}),
         (CSV_F, "", 3, "出生日期(birth_date)")),
    Case("date_impossible", folder({"students": add_column("students", "出生日期", {4: "2023-02-30"})}),
         (CSV_F, "", 4, "出生日期(birth_date)")),
    Case("fractional_count", folder({"programs": set_cell("programs", 2, "planned_intake", "99.5")}),
         ("programs.csv", "", 2, "计划招生数(planned_intake)")),
    Case("huge_count", folder({"facilities": set_cell("facilities", 3, "books", "99999999999999999999999")}),
         ("facilities.csv", "", 3, "纸质图书(books)")),
    Case("unit_in_number", folder({"facilities": set_cell("facilities", 2, "equipment_value", "5000万元")}),
         ("facilities.csv", "", 2, "教学科研仪器设备值(equipment_value)")),
    Case("unknown_level", folder({"schools": set_cell("schools", 2, "level", "本科")}),
         ("schools.csv", "", 2, "层次(level)")),
    Case("unknown_status", folder({"students": set_cell("students", 4, "status", "在校")}),
         (CSV_F, "", 4, "学籍状态(status)")),
    Case("unknown_study_mode", folder({"students": set_cell("students", 5, "study_mode", "全日")}),
         (CSV_F, "", 5, "学习形式(study_mode)")),
    Case("unknown_gender", folder({"students": add_column("students", "gender", {2: "M"})}),
         (CSV_F, "", 2, "性别(gender)")),
    Case("bool_garbage", folder({"programs": set_cell("programs", 3, "is_key", "maybe")}),
         ("programs.csv", "", 3, "重点/骨干专业(is_key)")),
    Case("duplicate_key", folder({"teachers": set_cell("teachers", 3, "teacher_key", "T1")}),
         ("teachers.csv", "", 3, "教师编号(teacher_key)")),
    Case("negative_count", folder({"facilities": set_cell("facilities", 2, "books", "-5")}),
         ("facilities.csv", "", 2, "纸质图书(books)")),
    Case("share_above_one", folder({"surveys": SURVEYS}), ("surveys.csv", "", 2, "满意人数(satisfied)")),
    Case("required_value_empty", folder({"programs": set_cell("programs", 2, "program_name", "")}),
         ("programs.csv", "", 2, "专业名称(program_name)")),
    Case("key_too_long", folder({"teachers": set_cell("teachers", 2, "teacher_key", "T" * 100)}),
         ("teachers.csv", "", 2, "教师编号(teacher_key)")),
    Case("key_is_id_number", folder({"students": set_cell("students", 2, "student_key", KEY_AS_ID)}),
         (CSV_F, "", 2, "学生编号(student_key)")),
    Case("id_column_missing", folder({"students": drop_column("students", "id_number")}),
         (CSV_F, "", 1, "id_number")),
    Case("id_column_holds_names", folder({"students": map_column("students", "id_number", _names)}),
         (CSV_F, "", 2, "身份证号(id_number)")),
    Case("file_0_bytes", folder({"students": b""}), (CSV_F, "", None, "")),
    Case("file_whitespace_only", folder({"teachers": b"\r\n  \n"}), ("teachers.csv", "", None, "")),
    Case("file_header_only", folder({"teachers": HEADER_ONLY}), ("teachers.csv", "", 2, "")),
    Case("file_utf16", folder({"schools": UTF16}), ("schools.csv", "", None, "")),
    Case("file_with_nul_bytes", folder({"teachers": NUL_TEXT}), ("teachers.csv", "", None, "")),
    Case("unbalanced_quotes", folder({"programs": UNBALANCED}), ("programs.csv", "", 3, "")),
    Case("ragged_row", folder({"teachers": RAGGED}), ("teachers.csv", "", 4, "#12")),
    Case("unknown_table_file", folder({"studnets": students_csv()}), ("studnets.csv", "", None, "")),
    Case("table_given_twice", folder({"学生": students_csv()}), ("学生.csv", "", None, "")),
    Case("school_not_in_schools", folder({"teachers": set_cell("teachers", 5, "school_id", "S9")}),
         ("teachers.csv", "", 5, "学校代码(school_id)")),
    Case("year_out_of_range", folder({"programs": set_cell("programs", 4, "year", "3023")}),
         ("programs.csv", "", 4, "年度(year)")),
    Case("year_two_digits", folder({"facilities": set_cell("facilities", 3, "year", "24")}),
         ("facilities.csv", "", 3, "年度(year)")),
    Case("zip_with_broken_member", zipped({"programs": set_cell("programs", 2, "planned_intake", "-1")}),
         ("programs.csv", "", 2, "计划招生数(planned_intake)")),
    Case("xlsx_empty_sheet", workbook(tweak=_clear_sheet("teachers")), ("book.xlsx", "teachers", None, "")),
    Case("xlsx_merged_header", workbook(tweak=_merge_header), ("book.xlsx", "programs", 2, "#2")),
    Case("xlsx_formula", workbook(tweak=_formula), ("book.xlsx", "programs", 3, "实际招生数(actual_intake)")),
    Case("xlsx_unknown_sheet_with_data", workbook(tweak=_extra_sheet), ("book.xlsx", "Sheet2", None, "")),
    Case("xlsx_chinese_sheet_duplicate_key", workbook(_zh_sheet, _chinese, tweak=_chinese_duplicate),
         ("book.xlsx", "教师", 3, "教师编号(teacher_key)")),
    Case("xlsx_is_zip_of_text", raw_file("book.xlsx", zip_of_text), ("book.xlsx", "", None, "")),
    Case("xlsx_is_renamed_csv", raw_file("book.xlsx", SCHOOLS.encode()), ("book.xlsx", "", None, "")),
    Case("xls_old_format", raw_file("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
         ("book.xls", "", None, "")),
    # issue 13: nothing silently dropped or mangled, no clear ID number anywhere
    Case("xlsx_very_hidden_sheet", patched_workbook("teachers", str, _very_hidden("teachers")),
         ("book.xlsx", "teachers", None, "")),
    Case("xlsx_hidden_row", workbook(tweak=_hide_row), ("book.xlsx", "teachers", 3, "")),
    Case("xlsx_hidden_column", workbook(tweak=_hide_column), ("book.xlsx", "programs", None, "#4")),
    Case("count_commas_not_thousands", folder({"teachers": set_cell("teachers", 2, "teaching_hours", "1,2,3")}),
         ("teachers.csv", "", 2, "年授课学时(teaching_hours)")),
    Case("count_space_inside", folder({"teachers": set_cell("teachers", 4, "teaching_hours", "1 2")}),
         ("teachers.csv", "", 4, "年授课学时(teaching_hours)")),
    Case("school_id_zero_width_space", folder({"schools": LOOKALIKE_SCHOOL}), ("schools.csv", "", 4, "学校代码(school_id)")),
    Case("key_with_control_character", folder({"teachers": set_cell("teachers", 3, "teacher_key", "T\x072")}),
         ("teachers.csv", "", 3, "教师编号(teacher_key)")),
    Case("school_year_1900", folder({"programs": set_cell("programs", 2, "year", "1900")}),
         ("programs.csv", "", 2, "年度(year)")),
    Case("key_is_spaced_id_number", folder({"students": set_cell("students", 3, "student_key", "ID " + spaced(KEY_AS_ID))}),
         (CSV_F, "", 3, "学生编号(student_key)")),
    Case("key_is_hyphenated_id_number",
         folder({"students": set_cell("students", 4, "student_key", spaced(KEY_AS_ID, "-").lower())}),
         (CSV_F, "", 4, "学生编号(student_key)")),
    Case("id_number_in_internship_post", folder({"internships": INTERNSHIPS}), ("internships.csv", "", 3, "岗位(post)")),
    Case("id_number_in_target_note", folder({"targets": TARGETS}), ("targets.csv", "", 2, "说明(note)")),
    Case("spaced_id_number_in_count", folder({"teachers": set_cell("teachers", 5, "teaching_hours", spaced(NOTE_ID))}),
         ("teachers.csv", "", 5, "年授课学时(teaching_hours)")),
    Case("amount_overflows_float_sums", folder({"facilities": set_cell("facilities", 2, "equipment_value", "1.7e308")}),
         ("facilities.csv", "", 2, "教学科研仪器设备值(equipment_value)")),
    Case("amount_infinite", folder({"facilities": set_cell("facilities", 3, "land_area", "inf")}),
         ("facilities.csv", "", 3, "占地面积(land_area)")),
    Case("xlsx_cell_at_row_40_million", patched_workbook("teachers", _far_cell), ("book.xlsx", "teachers", 40000000, "#1")),
    Case("zip_4000_members", zip_members(4000), ("data.zip", "", None, "")),
    Case("zip_member_damaged", zip_damaged("programs"), ("programs.csv", "", None, "")),
    Case("xlsx_password_protected", raw_file("book.xlsx", encrypted_workbook), ("book.xlsx", "", None, "")),
    Case("csv_mixed_encodings", folder({"teachers": mixed_encoding_teachers()}), ("teachers.csv", "", 3, "")),
]

VALID: list[Case] = [
    Case("encoding_gb18030", folder(encoding="gb18030"), None),
    Case("encoding_utf8_bom", folder(encoding="utf-8-sig"), None),
    Case("chinese_file_names_and_headers",
         folder({**{t: None for t in tiny_texts()},
                 **{BY_NAME[t].zh: csv_text([[_chinese(t, c) for c in rows_of(x)[0]]] + rows_of(x)[1:])
                    for t, x in tiny_texts().items()}}), None),
    Case("blank_trailing_columns_and_rows",
         folder({t: x.replace("\n", ",,\n") + ",,,\n\n \n" for t, x in tiny_texts().items()}), None),
    Case("ragged_blank_extra_cells", folder({"teachers": TEACHERS.replace("1980\n", "1980,,\n")}), None),
    Case("zip_of_csvs", zipped(), None),
    Case("xlsx_plain", workbook(), None),
    Case("xlsx_chinese_sheets_and_headers", workbook(_zh_sheet, _chinese), None),
    Case("xlsx_bilingual_template_headers", workbook(head=_bilingual, tweak=_template_like), None),
    Case("xlsx_title_rows_above_header", workbook(tweak=_title_rows), None),
    Case("xlsx_typed_cells", workbook(typed_cells=True), None),
    Case("xlsx_dimension_understated", patched_workbook("teachers", _understate_dimension), None),
    Case("counts_with_thousands_separators",
         folder({"facilities": map_column("facilities", "books", lambda i, v: f"{int(v):,}")}), None),
    Case("xlsx_blank_formatted_margins_and_empty_sheet",
         workbook(tweak=lambda wb: (_blank_margins(wb), _empty_sheet(wb))), None),
]

CASES = {c.name: c for c in BROKEN + VALID}
