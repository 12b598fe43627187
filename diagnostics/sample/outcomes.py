"""Graduates and satisfaction surveys, meeting the planned rates exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .draws import categories, quota, school_rng, text
from .params import HIGHER, STUDY_MODE_WEIGHT
from .roster import Province

MODES = tuple(STUDY_MODE_WEIGHT)  # the order of the person records' ``mode`` codes

AWARDS = ("国家级", "省级", "无")
#: Destinations of employed graduates in the order of ``_shares``; 待就业 is the rest.
WORKING = ("升学", "自主创业", "应征入伍", "就业")
SURVEY_ITEMS = {
    "学生": ("思想政治教育", "课堂教学", "教师教学态度", "实践教学条件", "管理与服务", "校园文化活动"),
    "毕业生": ("母校总体满意度", "专业教学", "就业指导与服务", "课程对工作的帮助"),
    "用人单位": ("毕业生职业素养", "毕业生专业能力", "总体满意度"),
    "教师": ("学校管理", "专业发展机会", "工作条件与待遇"),
}
_SURVEY_RATE = {"学生": "student_satisfaction", "毕业生": "graduate_satisfaction",
                "用人单位": "employer_satisfaction", "教师": "teacher_satisfaction"}


def graduate_rows(province: Province, school: int, finalists: pd.DataFrame, keys: np.ndarray,
                  codes: np.ndarray) -> pd.DataFrame:
    """The ``graduates`` rows: destinations, relatedness and certificates at the planned rates.

    ``finalists`` are the school's person records graduating in the horizon.
    """
    rng = school_rng(province.seed, school, "graduates")
    plan = {k: v[school] for k, v in province.plan.items()}
    t = finalists["grad_year"].to_numpy() - province.first_year
    n = len(t)
    employed = quota(t, plan["employment_rate"][t], rng)
    further = plan["further_study_share"][t]
    shares = np.c_[further, np.full(n, 0.02), np.full(n, 0.015), 1 - further - 0.035]
    dest = np.full(n, "待就业", dtype=object)
    dest[employed] = np.array(WORKING, dtype=object)[categories(t[employed], shares[employed], rng)]
    working = np.isin(dest, ("就业", "自主创业"))
    related = pd.array(np.full(n, pd.NA), dtype="boolean")
    related[working] = quota(t[working], plan["job_relatedness_rate"][t[working]], rng)
    median = 4300 if province.schools.level.iat[school] == HIGHER else 3500
    income = np.round(median * 1.04 ** t * np.exp(rng.normal(0, 0.25, n)), -1)
    certificate = quota(t, plan["certificate_rate"][t], rng)
    award = text(np.array(AWARDS)[categories(t, np.tile([0.005, 0.03, 0.965], (n, 1)), rng)])
    # half a year after graduation (the quality-report scorecard's employment rate): most of those placed at
    # graduation still are, and some of the others have found work since; a few could not be reached
    half = school_rng(province.seed, school, "half_year")
    later = np.where(dest == "待就业", half.random(n) < 0.45, half.random(n) < 0.985)
    followed = half.random(n) < 0.93
    mode = np.array(MODES, dtype=object)[finalists["mode"].to_numpy()] if "mode" in finalists else "全日制"
    return pd.DataFrame({
        "school_id": province.schools.school_id.iat[school], "year": province.first_year + t,
        "student_key": text(keys), "program_code": text(codes[finalists["pcode"].to_numpy()]),
        "destination": text(dest), "job_related": related,
        "monthly_income": pd.array(np.where(working, income, np.nan), dtype="Int64"),
        "certificate": certificate, "competition_award": award, "study_mode": mode, "employed_half_year": pd.array(np.where(followed, later, pd.NA), dtype="boolean"),
    })


def survey_rows(province: Province, school: int, enrolled: np.ndarray, graduates: np.ndarray,
                partners: np.ndarray, full_teachers: np.ndarray) -> pd.DataFrame:
    """The ``surveys`` rows: per survey and item, respondents and satisfied at the planned rate.

    Items differ a little from one another (fixed offsets that average to zero).
    """
    rng = school_rng(province.seed, school, "surveys")
    base = {"学生": enrolled * rng.uniform(0.35, 0.6), "毕业生": graduates * rng.uniform(0.5, 0.8),
            "用人单位": partners * rng.uniform(1.5, 3.0) + 20, "教师": full_teachers * rng.uniform(0.6, 0.9)}
    frames = []
    for survey, items in SURVEY_ITEMS.items():
        k = len(items)
        offset = rng.uniform(-0.025, 0.025, k)
        offset -= offset.mean()
        rate = np.minimum(province.plan[_SURVEY_RATE[survey]][school][:, None] + offset[None, :], 0.995)
        respondents = np.maximum(np.round(base[survey][:, None] * rng.uniform(0.96, 1.0, (province.years, k))), 5)
        frames.append(pd.DataFrame({
            "year": np.repeat(province.year_list, k), "survey": survey, "item": np.tile(items, province.years),
            "respondents": respondents.ravel().astype(np.int64),
            "satisfied": np.round(rate * respondents).ravel().astype(np.int64),
        }))
    out = pd.concat(frames, ignore_index=True).sort_values(["year"], kind="stable")
    out.insert(0, "school_id", province.schools.school_id.iat[school])
    return out.reset_index(drop=True)
