"""The sample's own reading of its indicators, per school and year.

Used to phrase the answer key and to set targets relative to what a school
actually achieved.  Definitions follow ``shared/domain.md`` §4.1: enrolment
counts 在籍 rows, weighted by study mode; external teachers count half.
"""

from __future__ import annotations

import pandas as pd

from .params import EXTERNAL, FULL_TIME_MODES, STUDY_MODE_WEIGHT

KEY = ["school_id", "year"]
EMPLOYED = ("就业", "升学", "自主创业", "应征入伍")


def enrolment(students: pd.DataFrame) -> pd.DataFrame:
    """Weighted (折合) and full-time enrolment per school-year."""
    s = students[students["status"] == "在籍"]
    weight = s["study_mode"].map(STUDY_MODE_WEIGHT).astype(float)
    full = s["study_mode"].isin(FULL_TIME_MODES).astype(float)
    out = pd.DataFrame({"school_id": s["school_id"], "year": s["year"], "weighted": weight, "full_time": full})
    return out.groupby(KEY).sum()


def _share(df: pd.DataFrame, flag: pd.Series) -> pd.Series:
    return flag.groupby([df["school_id"], df["year"]]).mean()


def indicator_values(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every indicator of ``params.INDICATORS`` per school-year from the tables in ``t``."""
    enrol = enrolment(t["students"])
    teachers = t["teachers"]
    full = teachers[teachers["employment"] == "专任"]
    n_full = full.groupby(KEY).size()
    n_ext = teachers[teachers["employment"].isin(EXTERNAL)].groupby(KEY).size().reindex(n_full.index, fill_value=0)
    fac = t["facilities"].set_index(KEY)
    grads = t["graduates"]
    related = grads.dropna(subset=["job_related"])
    progs = t["programs"].groupby(KEY)[["actual_intake", "planned_intake"]].sum()
    out = pd.DataFrame({
        "student_teacher_ratio": enrol["weighted"] / (n_full + 0.5 * n_ext),
        "graduate_degree_teacher_share": _share(full, full["degree"].isin(["博士", "硕士"])),
        "teaching_admin_area_per_student": fac["teaching_admin_area"] / enrol["full_time"],
        "equipment_value_per_student": fac["equipment_value"] / enrol["weighted"],
        "books_per_student": fac["books"] / enrol["weighted"],
        "senior_title_teacher_share": _share(full, full["title"].isin(["正高", "副高"])),
        "dual_qualified_share": _share(full, full["dual_qualified"].astype(bool)),
        "employment_rate": _share(grads, grads["destination"].isin(EMPLOYED)),
        "job_relatedness_rate": _share(related, related["job_related"].astype(bool)),
        "certificate_rate": _share(grads, grads["certificate"].astype(bool)),
        "intern_insured_rate": _share(t["internships"], t["internships"]["insured"].astype(bool)),
        "per_student_appropriation": t["finance"].set_index(KEY)["per_student_appropriation"].astype(float),
        "enrolment_fulfilment_rate": progs["actual_intake"] / progs["planned_intake"],
    })
    surveys = t["surveys"].groupby([*KEY, "survey"])[["satisfied", "respondents"]].sum()
    rate = (surveys["satisfied"] / surveys["respondents"]).unstack("survey")
    for survey, name in (("学生", "student_satisfaction"), ("毕业生", "graduate_satisfaction"),
                         ("用人单位", "employer_satisfaction")):
        out[name] = rate[survey]
    return out.sort_index()

