"""The ``targets`` table against the indicator library: no target is stored that can never be checked.

A school names the indicator of a target by its id, its Chinese name or a common alias (``就业率``,
``生师比``, ``双师比例``…, declared in the indicator YAML).  On import each name is resolved to the
indicator's id, which is what the store keeps; a name the library does not know is a located error that
suggests the nearest indicators, and so is a target for a layer the indicator does not have (a program
target of a school-only indicator, a teacher target: the library has no teacher layer).  A value that
looks like a fraction on a percentage indicator (0.871 for 87.1 %) is a located plausibility warning:
it is imported as written and the user is told.
"""

from __future__ import annotations

import pandas as pd

from .errors import ImportIssue
from .read import Sheet

PERCENT = "%"


def _library():  # noqa: ANN202 - a diagnostics.models.ModelSet
    from ..models import load_models

    return load_models()[0]


def _issue(sheet: Sheet, pos: int, column: str, value: object, expected_zh: str, expected_en: str,
           message_zh: str, message_en: str) -> ImportIssue:
    field = sheet.table.field(column)
    return ImportIssue(sheet.file, sheet.sheet, int(sheet.rows.iloc[pos]), f"{field.zh}({field.name})",
                       str(value)[:200], expected_zh, expected_en, message_zh, message_en)


def check_targets(sheet: Sheet, frame: pd.DataFrame, issues: list[ImportIssue], notes: list[ImportIssue],
                  models: object = None) -> pd.DataFrame:
    """``frame`` (typed ``targets`` rows) with every indicator name replaced by its id.

    Errors go to ``issues`` (the import stops); plausibility warnings to ``notes`` (the import goes on
    and reports them).  ``models`` defaults to the indicator library on the search path.
    """
    if frame.empty or "indicator_id" not in frame:
        return frame
    models = models or _library()
    names = frame["indicator_id"].astype(str)
    resolved = names.map({n: models.resolve(n) for n in names.unique()})
    program = frame["program_code"].fillna("").astype(str) if "program_code" in frame else pd.Series("", frame.index)
    teacher = frame["teacher_key"].fillna("").astype(str) if "teacher_key" in frame else pd.Series("", frame.index)
    for pos in range(len(frame)):
        name, ind_id = names.iat[pos], resolved.iat[pos]
        if ind_id is None:
            near = "、".join(models.suggest(name)) or "—"
            issues.append(_issue(
                sheet, pos, "indicator_id", name,
                f"指标代码、指标中文名或常用别名（最接近：{near}）",
                f"an indicator id, its Chinese name or a common alias (nearest: {near})",
                f"指标库中没有名为“{name}”的指标，该目标无法核对",
                f"the indicator library has no indicator called '{name}': the target could never be checked"))
            continue
        ind = models.indicators[ind_id]
        if teacher.iat[pos]:
            issues.append(_issue(
                sheet, pos, "teacher_key", teacher.iat[pos], "留空（暂不支持教师层目标）", "empty (no teacher-layer targets yet)",
                f"指标库没有教师层指标，教师 {teacher.iat[pos]} 的“{ind.name_zh}”目标无法核对",
                f"the library has no teacher layer: a teacher's target for {ind_id} could never be checked"))
        elif program.iat[pos] and "program" not in ind.layers:
            issues.append(_issue(
                sheet, pos, "program_code", program.iat[pos], f"留空（“{ind.name_zh}”只有学校层）",
                f"empty ({ind_id} has the school layer only)",
                f"“{ind.name_zh}”没有专业层数值，专业 {program.iat[pos]} 的目标无法核对",
                f"{ind_id} has no program-layer values: a target for program {program.iat[pos]} could never be checked"))
        target = frame["target"].iat[pos] if "target" in frame else None
        if ind.unit == PERCENT and target is not None and pd.notna(target) and 0 < float(target) <= 1:
            notes.append(_issue(
                sheet, pos, "target", target, f"百分数（如 {float(target) * 100:g} 表示 {float(target) * 100:g}%）",
                f"a percentage (e.g. {float(target) * 100:g} for {float(target) * 100:g}%)",
                f"“{ind.name_zh}”以百分数计，目标 {float(target):g} 像是小数写法；已按 {float(target):g}% 导入，请核对",
                f"{ind_id} is in percent: the target {float(target):g} looks like a fraction; imported as "
                f"{float(target):g}%, please check"))
    out = frame.copy()
    out["indicator_id"] = resolved.where(resolved.notna(), names)
    return out
