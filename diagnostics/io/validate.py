"""Validate raw sheets against the contract, collecting every failure.

Two passes per table: cell parsing (``coerce``), then a pandera schema built
from the contract (nullability, ranges, codes, key uniqueness) run lazily so
that all failures come back at once.  Shape errors only: plausibility rules
(totals that do not add up) are left to the warning engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..contract import CODE, FLOAT, IDNUMBER, INT, STR, Field, Table
from ..store.schema import KEY_LENGTH
from .coerce import MAX_MAGNITUDE, invisible_mask, parse_column, show_invisible
from .errors import ImportIssue, file_issue
from .idnumber import id_numbers_in
from .read import Sheet

MAX_CELL_ISSUES = 1000  # per column and rule; the rest are counted in the summary line

_DTYPES = {"int": "Int64", "float": "Float64", "year": "Int64", "bool": "boolean"}


@dataclass
class Parsed:
    """A validated, typed table ready to be written."""

    table: Table
    frame: pd.DataFrame
    source: Sheet


def _schema(table: Table, present: set[str], check_keys: bool) -> pa.DataFrameSchema:
    columns = {}
    for f in table.fields:
        if f.name not in present:
            continue
        checks = []
        if f.kind in (INT, FLOAT):
            if f.minimum is not None:
                checks.append(pa.Check.ge(f.minimum, error="min"))
            if f.maximum is not None:
                checks.append(pa.Check.le(f.maximum, error="max"))
            if f.maximum is None:  # a bounded field is checked by its own bounds
                checks.append(pa.Check.in_range(-MAX_MAGNITUDE, MAX_MAGNITUDE, error="magnitude"))
        if f.kind == CODE:
            checks.append(pa.Check.isin(list(f.codes or ()), error="codes"))
        columns[f.name] = pa.Column(_DTYPES.get(f.kind), checks, nullable=f.nullable, coerce=False)
    if not check_keys:
        return pa.DataFrameSchema(columns)
    return pa.DataFrameSchema(columns, unique=list(table.key), report_duplicates="all")


def _cell_issue(sheet: Sheet, pos: int, field: Field, value: object, msg_zh: str, msg_en: str,
                expected_zh: str | None = None, expected_en: str | None = None) -> ImportIssue:
    shown = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    if field.kind == "idnumber":
        from .idnumber import mask

        shown = mask(shown)
    return ImportIssue(sheet.file, sheet.sheet, int(sheet.rows.iloc[pos]), f"{field.zh}({field.name})",
                       shown[:200], expected_zh or field.expected_zh(), expected_en or field.expected_en(),
                       msg_zh, msg_en)


_CHECK_MESSAGES = {
    "not_nullable": ("必填项为空", "required value is empty"),
    "min": ("数值不能小于下限", "value below its minimum"),
    "max": ("数值超过上限", "value above its maximum"),
    "codes": ("不是允许的代码", "not an allowed code"),
    "magnitude": (f"数值大得不合理（绝对值超过 {MAX_MAGNITUDE:g}）",
                  f"an implausibly large number (magnitude above {MAX_MAGNITUDE:g})"),
}


def _translate(sheet: Sheet, raw: pd.DataFrame, cases: pd.DataFrame, skip: dict[str, set[int]],
               issues: list[ImportIssue]) -> None:
    """Pandera's failure cases as located issues (cells that failed parsing are not repeated)."""
    table = sheet.table
    cases = cases[cases["index"].notna()]
    for (col, check), group in cases.groupby(["column", "check"], sort=False):
        col, check = str(col), str(check)
        if col not in table.field_names:
            continue
        field = table.field(col)
        if "uniqueness" in check and col != table.key[-1]:
            continue  # one issue per duplicated row, on the last key column
        msg = _CHECK_MESSAGES.get(check, (f"检查“{check}”未通过", f"check '{check}' failed"))
        positions = sorted({int(i) for i in group["index"]} - skip.get(col, set()))
        for pos in positions[:MAX_CELL_ISSUES]:
            value = raw[col].iloc[pos] if col in raw else None
            issues.append(duplicate_key_issue(sheet, pos, value) if "uniqueness" in check
                          else _cell_issue(sheet, pos, field, value, *msg))
        _more(sheet, field, len(positions), issues)


def validate_sheet(sheet: Sheet, issues: list[ImportIssue], check_keys: bool = True) -> Parsed | None:
    """Parse and check one sheet; append issues; return the typed frame when clean.

    ``check_keys=False`` leaves key uniqueness to the caller (a table read in pieces).
    """
    frame, ok = check_sheet(sheet, issues, check_keys)
    return Parsed(sheet.table, frame, sheet) if ok else None


def check_sheet(sheet: Sheet, issues: list[ImportIssue], check_keys: bool = True) -> tuple[pd.DataFrame, bool]:
    """Parse and check one sheet: the typed frame (cells that failed are missing) and whether it is clean."""
    table = sheet.table
    raw = sheet.frame
    before = len(issues)
    typed: dict[str, pd.Series] = {}
    skip: dict[str, set[int]] = {}
    for f in table.fields:
        if f.name not in raw:
            if f.default is not None:
                typed[f.name] = pd.Series([f.default] * len(raw), dtype=object)
            elif not f.required:
                typed[f.name] = pd.Series([None] * len(raw), dtype=_DTYPES.get(f.kind, object))
            continue
        values, bad = parse_column(f, raw[f.name], clean=sheet.clean)
        if f.default is not None:
            values = values.where(values.notna(), f.default)
        typed[f.name] = values
        skip[f.name] = set(np.flatnonzero(bad).tolist())
        _flag(sheet, f, bad, issues, f"无法识别为{f.expected_zh().split('，')[0]}",
              f"not a valid {f.expected_en().split(',')[0]}", f.expected_zh(), f.expected_en())
        if f.kind in (STR, CODE, IDNUMBER):
            _text_rules(sheet, table, f, values, bad, issues)
    frame = pd.DataFrame(typed)
    present = set(raw.columns) | {f.name for f in table.fields if f.default is not None}
    try:
        _schema(table, present, check_keys).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _translate(sheet, raw, exc.failure_cases, skip, issues)
    _row_rules(sheet, frame, issues)
    return frame, len(issues) == before


def _flag(sheet: Sheet, field: Field, mask: np.ndarray, issues: list[ImportIssue], msg_zh: str, msg_en: str,
          expected_zh: str, expected_en: str) -> None:
    """One issue per flagged row of one column (up to :data:`MAX_CELL_ISSUES`)."""
    raw = sheet.frame[field.name]
    flagged = np.flatnonzero(mask)
    for pos in flagged[:MAX_CELL_ISSUES]:
        issues.append(_cell_issue(sheet, int(pos), field, raw.iloc[pos], msg_zh, msg_en, expected_zh, expected_en))
    _more(sheet, field, len(flagged), issues)


def _more(sheet: Sheet, field: Field, count: int, issues: list[ImportIssue]) -> None:
    """A closing line when a column has more problems of one kind than are listed."""
    if count > MAX_CELL_ISSUES:
        more = count - MAX_CELL_ISSUES
        issues.append(file_issue(sheet.file, f"该列另有 {more} 个同类问题未逐一列出",
                                 f"{more} more problems of this kind in this column are not listed",
                                 field.expected_zh(), field.expected_en(), sheet.sheet, f"{field.zh}({field.name})"))


def _row_rules(sheet: Sheet, frame: pd.DataFrame, issues: list[ImportIssue]) -> None:
    """Rules about shape, not plausibility: a share never exceeds 1; keys fit."""
    table = sheet.table
    if table.name == "surveys" and {"satisfied", "respondents"} <= set(frame.columns):
        over = (frame["satisfied"] > frame["respondents"]).fillna(False).to_numpy(dtype=bool)
        _flag(sheet, table.field("satisfied"), over, issues, "满意人数多于有效样本（满意率大于1）",
              "more satisfied than respondents (a share above 1)", "不大于有效样本数", "at most the number of respondents")
    for name in table.key:
        field = table.field(name)
        if field.kind != STR or name not in sheet.frame:
            continue
        text = frame[name].where(frame[name].notna(), "").astype(str)
        _flag(sheet, field, (text.str.len() > KEY_LENGTH).to_numpy(dtype=bool), issues,
              f"代码过长（超过{KEY_LENGTH}个字符）", f"code too long (more than {KEY_LENGTH} characters)",
              f"不超过{KEY_LENGTH}个字符", f"at most {KEY_LENGTH} characters")


def _is_key(table: Table, field: Field) -> bool:
    return field.name in table.key or field.name.endswith(("_id", "_key", "_code"))


def _text_rules(sheet: Sheet, table: Table, field: Field, values: pd.Series, bad: np.ndarray,
                issues: list[ImportIssue]) -> None:
    """What no text cell may hold: invisible or control characters (a look-alike key), and — outside the
    ID-number column, which is hashed — a resident ID number in clear (in a key or in free text)."""
    key = _is_key(table, field)
    hidden = invisible_mask(values, key) & ~bad
    for pos in np.flatnonzero(hidden)[:MAX_CELL_ISSUES]:
        shown = show_invisible(str(values.iloc[pos]))
        issues.append(_cell_issue(sheet, int(pos), field, shown, "含不可见字符或控制字符（如零宽空格），会造成看似相同的不同编号",
                                  "holds an invisible or control character (e.g. a zero-width space): "
                                  "a look-alike of another value",
                                  "只含可见字符" + ("" if key else "（自由文本可换行）"),
                                  "visible characters only" + ("" if key else " (free text may break lines)")))
    _more(sheet, field, int(hidden.sum()), issues)
    if field.kind == IDNUMBER:
        return
    clear = id_numbers_in(values) & ~bad & ~hidden
    what_zh = "学校内部编号（如学号、工号），不用身份证号" if key else "不含身份证号的文字（请删去身份证号）"
    what_en = "a school-internal key (e.g. student number), not the ID number" if key else \
        "text without an ID number (remove it)"
    _flag(sheet, field, clear, issues, "含身份证号：身份证号不得以明文存储",
          "holds a resident ID number, which must never be stored in clear", what_zh, what_en)


def check_school_references(parsed: dict[str, Parsed], known: set[str], issues: list[ImportIssue]) -> None:
    """Every school named by a per-year table must be in ``schools`` (this input or the store)."""
    schools = set(known)
    if "schools" in parsed:
        schools |= set(parsed["schools"].frame["school_id"].dropna())
    for name, p in parsed.items():
        if name != "schools":
            check_school_refs(p.source, p.frame, schools, issues)


def check_school_refs(sheet: Sheet, frame: pd.DataFrame, schools: set[str], issues: list[ImportIssue]) -> None:
    """Rows of one (piece of a) table naming a school that is not in ``schools``."""
    unknown = (frame["school_id"].notna() & ~frame["school_id"].isin(schools)).to_numpy(dtype=bool)
    if unknown.any():
        _flag(sheet, sheet.table.field("school_id"), unknown, issues, "学校代码不在学校表中",
              "school id not in the schools table", "学校表（本次导入或已入库）中的学校代码",
              "a school id of the schools table (this input or the store)")


def duplicate_key_issue(sheet: Sheet, pos: int, value: object) -> ImportIssue:
    """A row whose key another row of the table (maybe in another piece) also has."""
    table = sheet.table
    return _cell_issue(sheet, pos, table.field(table.key[-1]), value, f"主键（{'、'.join(table.key)}）重复",
                       f"duplicate key ({', '.join(table.key)})", "每行的主键唯一", "a unique key per row")


def no_tables_issue(name: str) -> ImportIssue:
    return file_issue(name, "没有可导入的表", "nothing to import", "至少一张合同中的表",
                      "at least one table of the contract")
