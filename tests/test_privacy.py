"""Privacy (issue 12): researchers cannot re-identify; no statistic shows a single other school's value.

The committed sample (18 schools, 126 000 student rows) is the test bed: by level, category, city,
ownership and founding year most of its schools are unique, and by school, birth date and gender half of
its students.  What a researcher reads must hold every visible combination of quasi-identifiers ≥ 5.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from diagnostics.access import Access, Role, User
from diagnostics.access.kanon import (
    HIDDEN,
    SCHOOL_QI,
    STUDENT_QI,
    K,
    exposed_smallest_group,
    generalise_schools,
    generalise_students,
)
from diagnostics.io.importer import import_path
from diagnostics.reports.indicators import peer_stats
from diagnostics.reports.province import MIN_GROUP, OTHER_CITIES, _merged_cities, _stats
from diagnostics.store import init_db, make_engine

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("privacy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHENGAI_HOME", str(folder / "home"))
        engine = make_engine(f"sqlite:///{folder / 'store.db'}")
        init_db(engine)
        assert import_path(engine, SAMPLE).ok
        yield engine
        engine.dispose()


def test_the_raw_sample_is_re_identifiable_and_the_generalised_one_is_not():
    schools = pd.read_csv(SAMPLE / "schools.csv", dtype=str)
    unique = schools.groupby(list(SCHOOL_QI)).size()
    assert (unique == 1).sum() >= 14  # the problem: nearly every school is unique by its attributes
    shown = generalise_schools(schools)
    assert exposed_smallest_group(shown, list(SCHOOL_QI), "school_id") >= K
    assert (shown["level"] != HIDDEN).all()  # what can be kept is kept: the level
    students = pd.read_csv(SAMPLE / "students.csv", dtype=str)
    by_birth = students.groupby(["school_id", "year", "birth_date", "gender"]).size()
    assert (by_birth == 1).mean() > 0.3


def test_a_researcher_reads_k_anonymous_schools_and_students(sample_store):
    res = Access(sample_store, User("res", Role.RESEARCHER))
    schools = res.schools()
    assert len(schools) == 18 and schools["school_id"].str.startswith("SCH-").all()
    assert exposed_smallest_group(schools, list(SCHOOL_QI), "school_id") >= K
    students = res.status_table("students")
    assert len(students) > 100_000  # generalised, not withheld wholesale
    assert not {"id_hash", "id_problem", "id_number", "birth_date"} & set(students.columns)
    assert "birth_year" in students and students["student_key"].str.startswith("STU-").all()
    assert exposed_smallest_group(students, [c for c in STUDENT_QI if c in students]) >= K
    for table in ("graduates", "internships"):
        frame = res.status_table(table)
        assert "id_hash" not in frame and exposed_smallest_group(frame, [c for c in STUDENT_QI if c in frame]) >= K


def test_student_pseudonyms_are_keyed_per_researcher(sample_store):
    one = Access(sample_store, User("res1", Role.RESEARCHER)).status_table("students", year=2024)
    two = Access(sample_store, User("res2", Role.RESEARCHER)).status_table("students", year=2024)
    again = Access(sample_store, User("res1", Role.RESEARCHER)).status_table("students", year=2024)
    assert list(one["student_key"]) == list(again["student_key"])  # stable for one researcher
    assert not set(one["student_key"]) & set(two["student_key"])  # two extracts cannot be joined
    raw = pd.read_csv(SAMPLE / "students.csv", dtype=str)
    assert not set(one["student_key"]) & set(raw["student_key"])


def test_generalising_students_withholds_the_rare_rows():
    frame = pd.DataFrame({"school_id": ["A"] * 6 + ["B"], "year": 2024, "student_key": list("abcdefg"),
                          "birth_date": ["2005-03-01"] * 6 + ["1970-01-01"], "gender": ["女"] * 7,
                          "program_code": ["1"] * 7, "entry_year": [2023] * 7, "id_hash": "x"})
    out = generalise_students(frame, b"key", "r")
    assert len(out) == 6 and set(out["birth_year"].astype(str)) == {"2005"} and "id_hash" not in out


def _peers(n: int) -> pd.DataFrame:
    return pd.DataFrame({"school_id": [f"S{i}" for i in range(n)], "year": 2024, "indicator_id": "x",
                         "value": [10.0 * (i + 1) for i in range(n)]})


def test_a_peer_group_of_fewer_than_5_shows_no_median_nor_rank():
    models = type("M", (), {"indicators": {}})()
    small = peer_stats(_peers(2), "S0", models)
    assert small.quartiles == {} and small.ranks == {}  # the median of two would be the other's value
    big = peer_stats(_peers(5), "S0", models)
    assert big.quartiles[(2024, "x")]["median"] == 30.0


def test_the_province_report_merges_cities_of_fewer_than_5_schools():
    rows = pd.DataFrame({"city": ["甲"] * 6 + ["乙"] * 1 + ["丙"] * 4, "value": range(11)})
    groups = _merged_cities(rows)
    assert groups.keys() == {"甲", OTHER_CITIES} and all(len(v) >= MIN_GROUP for v in groups.values())
    assert _merged_cities(rows[rows["city"] != "丙"]).keys() == {"甲"}  # 乙 alone is left out
    lone = _stats("乙", pd.Series([42.0]), pd.Series(["合格"]), "%")
    assert (lone.median, lone.p25, lone.p75, lone.qualified_share) == ("—", "—", "—", "—")
