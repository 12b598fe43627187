"""The schools' own annual targets (一校一策), set against what they achieve.

A clean target is a little below what the school reached (above it for 生师比),
so it is met; a planted ``target_miss`` is set clearly beyond it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .draws import school_rng
from .faults import Faults
from .params import INDICATORS
from .roster import Province

#: Indicators schools set targets for: (department, precision of the target).
TARGETABLE: dict[str, tuple[str, float]] = {
    "employment_rate": ("招生就业处", 0.01), "job_relatedness_rate": ("招生就业处", 0.01),
    "certificate_rate": ("教务处", 0.01), "dual_qualified_share": ("人事处", 0.01),
    "graduate_degree_teacher_share": ("人事处", 0.01), "senior_title_teacher_share": ("人事处", 0.01),
    "student_teacher_ratio": ("人事处", 0.1), "per_student_appropriation": ("财务处", 100.0),
    "equipment_value_per_student": ("国有资产管理处", 100.0), "books_per_student": ("图书馆", 1.0),
    "enrolment_fulfilment_rate": ("招生就业处", 0.01), "student_satisfaction": ("质量管理办公室", 0.01),
    "employer_satisfaction": ("质量管理办公室", 0.01),
}
RATES = {k for k, (_, step) in TARGETABLE.items() if step == 0.01}
#: How schools write these indicators in their own target sheets (the realistic province): Chinese names
#: and common aliases, which the importer resolves to the library's ids (indicator YAML ``aliases``).
SCHOOL_NAMES: dict[str, str] = {
    "employment_rate": "毕业去向落实率", "job_relatedness_rate": "专业相关度", "certificate_rate": "证书获取率",
    "dual_qualified_share": "双师比例", "graduate_degree_teacher_share": "研究生学位教师比例",
    "senior_title_teacher_share": "高级职称教师比例", "student_teacher_ratio": "生师比",
    "per_student_appropriation": "生均拨款", "equipment_value_per_student": "生均设备值",
    "books_per_student": "生均图书", "enrolment_fulfilment_rate": "招生计划完成率",
    "student_satisfaction": "学生满意度", "employer_satisfaction": "用人单位满意度",
}


def _round(value: float, step: float, up: bool) -> float:
    q = value / step
    return round((math.ceil(q) if up else math.floor(q)) * step, 6)


def _met(indicator: str, value: float, rng: np.random.Generator) -> float:
    step = TARGETABLE[indicator][1]
    if INDICATORS[indicator].higher_is_better:
        return _round(value * rng.uniform(0.93, 0.985), step, up=False)
    return _round(value * rng.uniform(1.03, 1.08), step, up=True)


def _missed(indicator: str, value: float, rng: np.random.Generator) -> float:
    step = TARGETABLE[indicator][1]
    if INDICATORS[indicator].higher_is_better:
        target = _round(value * rng.uniform(1.2, 1.3), step, up=True)
        return min(target, 0.99) if indicator in RATES else target
    return _round(value * rng.uniform(0.72, 0.8), step, up=False)


def target_rows(province: Province, school: int, values: pd.DataFrame, programs: pd.DataFrame,
                faults: Faults) -> pd.DataFrame:
    """The ``targets`` rows of one school; ``values`` holds its indicator values by year."""
    rng = school_rng(province.seed, school, "targets")
    sid = province.schools["school_id"].iat[school]
    chosen = list(rng.choice(list(TARGETABLE), int(rng.integers(5, 9)), replace=False))
    rows = []
    for t, year in enumerate(province.year_list):
        v = values.loc[year]
        targets = {ind: _met(ind, float(v[ind]), rng) for ind in chosen if pd.notna(v[ind])}
        if (school, t) in faults.target_miss:
            feasible = [i for i in TARGETABLE if pd.notna(v[i]) and (i not in RATES or v[i] <= 0.8)]
            preferred = [i for i in feasible if i in chosen] or feasible
            ind = str(rng.choice(preferred))
            targets[ind] = _missed(ind, float(v[ind]), rng)
            faults.add_key("target_miss", sid, year, "targets", indicator=ind,
                           detail=f"target {targets[ind]:g} for {ind}, achieved {v[ind]:.4g}")
        rows += [(year, ind, target, TARGETABLE[ind][0], "一校一策年度目标", "") for ind, target in targets.items()]
        key = programs[(programs["year"] == year) & programs["is_key"]]
        for _, p in key.head(2).iterrows():
            reached = p["actual_intake"] / p["planned_intake"]
            rows.append((year, "enrolment_fulfilment_rate", _round(reached - 0.02, 0.01, up=False), "教务处",
                         "专业建设目标", p["program_code"]))
    out = pd.DataFrame(rows, columns=["year", "indicator_id", "target", "set_by", "note", "program_code"])
    # targets are written in the indicator's own unit: the rate indicators are in percent (indicators/*.yaml)
    rate = out["indicator_id"].isin(RATES)
    out.loc[rate, "target"] = (out.loc[rate, "target"] * 100).round(4)
    if province.realism.named_targets:
        out["indicator_id"] = out["indicator_id"].map(SCHOOL_NAMES)
    out.insert(0, "school_id", sid)
    out["teacher_key"] = ""
    return out
