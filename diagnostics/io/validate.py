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

from ..contract import CODE, FLOAT, INT, Field, Table
from .coerce import parse_column
from .errors import ImportIssue, file_issue
from .read import Sheet

_DTYPES = {"int": "Int64", "float": "Float64", "year": "Int64", "bool": "boolean"}


@dataclass
class Parsed:
    """A validated, typed table ready to be written."""

    table: Table
    frame: pd.DataFrame
    source: Sheet


def _schema(table: Table, present: set[str]) -> pa.DataFrameSchema:
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
        if f.kind == CODE:
            checks.append(pa.Check.isin(list(f.codes or ()), error="codes"))
        columns[f.name] = pa.Column(_DTYPES.get(f.kind), checks, nullable=f.nullable, coerce=False)
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


def _translate(sheet: Sheet, raw: pd.DataFrame, cases: pd.DataFrame, skip: set[tuple[int, str]],
               issues: list[ImportIssue]) -> None:
    table = sheet.table
    key_label = "、".join(table.key)
    for case in cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue
        pos, col, check = int(case.index), str(case.column), str(case.check)
        if (pos, col) in skip:
            continue
        field = table.field(col)
        value = raw[col].iloc[pos] if col in raw else case.failure_case
        if check == "not_nullable":
            issues.append(_cell_issue(sheet, pos, field, value, "必填项为空", "required value is empty"))
        elif check == "min":
            issues.append(_cell_issue(sheet, pos, field, value, "数值不能小于下限", "value below its minimum"))
        elif check == "max":
            issues.append(_cell_issue(sheet, pos, field, value, "数值超过上限", "value above its maximum"))
        elif check == "codes":
            issues.append(_cell_issue(sheet, pos, field, value, "不是允许的代码", "not an allowed code"))
        elif "uniqueness" in check:
            if col != table.key[-1]:
                continue  # one issue per duplicated row, on the last key column
            issues.append(_cell_issue(sheet, pos, field, value, f"主键（{key_label}）重复",
                                      f"duplicate key ({', '.join(table.key)})",
                                      "每行的主键唯一", "a unique key per row"))
        else:
            issues.append(_cell_issue(sheet, pos, field, value, f"检查“{check}”未通过", f"check '{check}' failed"))


def validate_sheet(sheet: Sheet, issues: list[ImportIssue]) -> Parsed | None:
    """Parse and check one sheet; append issues; return the typed frame when clean."""
    table = sheet.table
    raw = sheet.frame
    before = len(issues)
    typed: dict[str, pd.Series] = {}
    skip: set[tuple[int, str]] = set()
    for f in table.fields:
        if f.name not in raw:
            if f.default is not None:
                typed[f.name] = pd.Series([f.default] * len(raw), dtype=object)
            elif not f.required:
                typed[f.name] = pd.Series([None] * len(raw), dtype=_DTYPES.get(f.kind, object))
            continue
        values, bad = parse_column(f, raw[f.name])
        if f.default is not None:
            values = values.where(values.notna(), f.default)
        typed[f.name] = values
        for pos in np.flatnonzero(bad)[:1000]:
            skip.add((int(pos), f.name))
            issues.append(_cell_issue(sheet, int(pos), f, raw[f.name].iloc[pos],
                                      f"无法识别为{f.expected_zh().split('，')[0]}",
                                      f"not a valid {f.expected_en().split(',')[0]}"))
    frame = pd.DataFrame(typed)
    try:
        _schema(table, set(raw.columns) | {f.name for f in table.fields if f.default is not None}).validate(
            frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _translate(sheet, raw, exc.failure_cases, skip, issues)
    _row_rules(sheet, frame, issues)
    if len(issues) > before:
        return None
    return Parsed(table, frame, sheet)


def _row_rules(sheet: Sheet, frame: pd.DataFrame, issues: list[ImportIssue]) -> None:
    """Rules that are about shape, not plausibility: a share can never exceed 1."""
    if sheet.table.name == "surveys" and {"satisfied", "respondents"} <= set(frame.columns):
        over = (frame["satisfied"] > frame["respondents"]).fillna(False).to_numpy(dtype=bool)
        field = sheet.table.field("satisfied")
        for pos in np.flatnonzero(over)[:1000]:
            issues.append(_cell_issue(sheet, int(pos), field, sheet.frame["satisfied"].iloc[pos],
                                      "满意人数多于有效样本（满意率大于1）",
                                      "more satisfied than respondents (a share above 1)",
                                      "不大于有效样本数", "at most the number of respondents"))


def check_school_references(parsed: dict[str, Parsed], known: set[str], issues: list[ImportIssue]) -> None:
    """Every school named by a per-year table must be in ``schools`` (this input or the store)."""
    schools = set(known)
    if "schools" in parsed:
        schools |= set(parsed["schools"].frame["school_id"].dropna())
    for name, p in parsed.items():
        if name == "schools":
            continue
        unknown = ~p.frame["school_id"].isin(schools)
        if not unknown.any():
            continue
        field = p.table.field("school_id")
        for pos in np.flatnonzero(unknown.to_numpy())[:200]:
            issues.append(_cell_issue(p.source, int(pos), field, p.frame["school_id"].iloc[pos],
                                      "学校代码不在学校表中", "school id not in the schools table",
                                      "学校表（本次导入或已入库）中的学校代码",
                                      "a school id of the schools table (this input or the store)"))


def no_tables_issue(name: str) -> ImportIssue:
    return file_issue(name, "没有可导入的表", "nothing to import", "至少一张合同中的表",
                      "at least one table of the contract")
