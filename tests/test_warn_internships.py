"""Internships against 《职业学校学生实习管理规定》(教职成〔2021〕4号): each flag names its record.

One school-year (2024) built by hand; every expectation is counted by hand in its comment.
"""

from __future__ import annotations

import pandas as pd
import pytest
from store_fixtures import load_frames

from diagnostics.warnings import load_thresholds
from diagnostics.warnings.methods import internship_flags

CFG = load_thresholds()


@pytest.fixture
def found(engine):
    students = pd.DataFrame({
        "school_id": "S1", "year": 2024, "status": "在籍",
        "student_key": ["ok", "first", "young", "long"],
        "entry_year": [2022, 2024, 2023, 2022],  # "first" entered this year: a first-year student
        "birth_date": pd.to_datetime(["2005-03-01", "2006-05-01", "2008-10-02", "2005-01-01"]).date,  # "young": 15
    })
    interns = pd.DataFrame({
        "school_id": "S1", "year": 2024, "student_key": ["ok", "first", "young", "long", "obs"],
        "enterprise_id": ["E1", "E1", "E2", "E2", "E1"], "post": ["装配", "装配", "质检", "质检", "装配"],
        "kind": ["岗位实习", "岗位实习", "岗位实习", "岗位实习", "认识实习"],
        "months": [6.0, 5.0, 4.0, 8.0, 1.0],  # "long": 8 months of 岗位实习
        "post_employees": [20, 20, 8, 8, 20],  # 质检 at E2: 2 interns of 8 staff = 25 % > 20 %
        "insured": True, "tracked": True, "assessed": True, "matches_program": True,
    })
    partners = pd.DataFrame({"school_id": "S1", "year": 2024, "enterprise_id": ["E1", "E2"],
                             "employees": [15, 100]})  # E1: 2 岗位实习 interns of 15 staff = 13 % > 10 %
    load_frames(engine, {"students": students, "internships": interns, "partners": partners})
    return internship_flags(engine, CFG).set_index("unit")


def test_first_year_and_under_16_placements_are_red(found):
    first = found.loc["internships:first"]
    assert first["severity"] == "red" and "第十六条（一）" in first["rule"] and "一年级" in first["message_zh"]
    young = found.loc["internships:young"]  # born 2008-10-02: 15 on 1 September 2024
    assert young["severity"] == "red" and young["observed"] == 15 and "第十六条（二）" in young["source"]


def test_a_long_placement_is_a_note(found):
    long = found.loc["internships:long"]
    assert (long["severity"], long["observed"], long["expected"]) == ("info", 8.0, "≤ 6")


def test_caps_per_employer_and_per_post(found):
    employer = found.loc["partners:E1"]  # the 认识实习 at E1 does not count: 2 of 15
    assert employer["severity"] == "yellow" and employer["observed"] == 2 and "10%" in employer["message_zh"]
    post = found.loc["internships:E2/质检"]
    assert post["severity"] == "yellow" and post["observed"] == 2 and post["expected"] == "≤ 1.6"
    assert set(found.index) == {"internships:first", "internships:young", "internships:long", "partners:E1",
                                "internships:E2/质检"}  # nothing else: "ok" and "obs" are compliant
