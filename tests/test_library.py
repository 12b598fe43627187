"""The indicator library as a whole: coverage of the diagnosis items and quality-report tables, the README
coverage tables, to-verify marks, and behaviour the one-year golden school cannot show (optional fields
left out, year-dependent filters, a standard that starts in a given year).  Every value is worked by hand.

The golden value of every indicator is in ``golden_data.py`` (checked by ``test_engine.py``).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import PgDatabase
from golden_data import EXPECTED
from store_fixtures import load_frames

from diagnostics.engine import compute
from diagnostics.models import MeasureRegistry, load_models
from diagnostics.models.loader import REPO_INDICATORS
from diagnostics.models.spec import DIAGNOSIS_ITEMS, QUALITY_REPORT_TABLES
from diagnostics.store import init_db, make_engine


@pytest.fixture(scope="module")
def library():
    models, issues = load_models(registry=MeasureRegistry())
    assert issues == []
    return models


# --------------------------------------------------------------------------------- coverage
def test_library_size_and_golden_cases(library):
    assert len(library.indicators) >= 60
    assert set(library.indicators) == set(EXPECTED)  # every indicator has a hand-computed golden value


@pytest.mark.parametrize("item", DIAGNOSIS_ITEMS)
def test_each_diagnosis_item_has_several_school_indicators(library, item):
    school = [i for i, ind in library.indicators.items() if item in ind.items and "school" in ind.layers]
    program = [i for i, ind in library.indicators.items() if item in ind.items and "program" in ind.layers]
    assert len(school) >= 8, (item, school)
    assert program, item  # every item has something to say about programs too


def test_quality_report_tables_are_tagged(library):
    tags = {t for ind in library.indicators.values() for t in ind.items if t.startswith("质量年报")}
    assert tags == {f"质量年报:{t}" for t in QUALITY_REPORT_TABLES}  # every table, never the bare 质量年报


def _readme_rows() -> dict[str, list[set[str]]]:
    text = (REPO_INDICATORS / "README.md").read_text(encoding="utf-8").split("### Coverage", 1)[1]
    text = text.split("###", 1)[0]
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and "`" in line:
            rows[cells[0]] = [set(re.findall(r"`(\w+)`", c)) for c in cells[1:]]
    return rows


def test_readme_coverage_tables_match_the_library(library):
    rows = _readme_rows()

    def tagged(item: str, layer: str | None = None) -> set[str]:
        return {i for i, ind in library.indicators.items()
                if item in ind.items and (layer is None or layer in ind.layers)}

    for item in (*DIAGNOSIS_ITEMS, "基本办学条件"):
        assert rows[item] == [tagged(item, "school"), tagged(item, "program")], item
    for table in QUALITY_REPORT_TABLES:
        assert rows[f"质量年报:{table}"] == [tagged(f"质量年报:{table}")], table


def test_to_verify_values_keep_their_mark_and_source(library):
    practice = {(s.level, s.value): s for s in library.indicators["practice_hours_share"].standards}
    about = practice[("目标", 40.0)]  # "一般应占…40%左右": a default target, not a pass mark
    assert about.verified and "2000" in about.source and about.article == "第四条" and "40%左右" in about.printed
    assert not practice[("目标", 50.0)].verified and "教职成〔2019〕13号" in practice[("目标", 50.0)].source
    for ind in library.indicators.values():
        for std in ind.standards:
            assert std.source, (ind.id, std.key)
            assert not std.verified or (std.article and std.printed), (ind.id, std.key)


def test_optional_finance_fields_are_declared_optional(library):
    # the measures behind the 服务贡献表 money sum optional contract fields (absent → no value, see below)
    from diagnostics.contract import BY_NAME
    for ident, column in (("horizontal_research_income_total", "horizontal_research_income"),
                          ("vertical_research_income_total", "vertical_research_income"),
                          ("tech_transaction_income_total", "tech_transaction_income"),
                          ("training_income_total", "training_income"),
                          ("enterprise_practice_funds_total", "enterprise_practice_funds")):
        measure = library.measures[library.indicators[ident].measure]
        assert (measure.table, measure.agg, measure.expr_text) == ("finance", "sum", column)
        assert not BY_NAME["finance"].field(column).required
        assert library.indicators[ident].missing == "skip_if_any_missing"


# --------------------------------------------------------------- two years of one small school
def _two_years() -> dict[str, pd.DataFrame]:
    """School M (高职 工科), 2018 and 2019: one program, teacher, course, graduate, student each year.

    2018: no optional finance field, no bandwidth, the graduate's income unknown, program opened 2016,
          teacher born 1984 (34), budget 100 executed 90.
    2019: horizontal income reported as 0, training income 5000, bandwidth 500, income 3000,
          the same teacher is 35 now, budget left at 0 (a zero denominator).
    """
    m = {"school_id": "M"}
    years = (2018, 2019)
    return {
        "finance": pd.DataFrame([{**m, "year": 2018, "budget": 100.0, "budget_executed": 90.0},
                                 {**m, "year": 2019, "horizontal_research_income": 0.0,
                                  "training_income": 5000.0}]),
        "facilities": pd.DataFrame([{**m, "year": 2018}, {**m, "year": 2019, "network_bandwidth": 500.0}]),
        "programs": pd.DataFrame([{**m, "year": y, "program_code": "P1", "first_year": 2016} for y in years]),
        "teachers": pd.DataFrame([{**m, "year": y, "teacher_key": "t1", "employment": "专任", "program_code": "P1",
                                   "birth_year": 1984} for y in years]),
        "courses": pd.DataFrame([{**m, "year": y, "program_code": "P1", "course_code": "c1", "hours": 100,
                                  "practice_hours": 40} for y in years]),
        "graduates": pd.DataFrame([{**m, "year": 2018, "student_key": "g1", "program_code": "P1",
                                    "destination": "就业", "competition_award": "无"},
                                   {**m, "year": 2019, "student_key": "g1", "program_code": "P1",
                                    "destination": "就业", "competition_award": "无", "monthly_income": 3000.0}]),
        "students": pd.DataFrame([{**m, "year": y, "student_key": "s1", "program_code": "P1", "status": "在籍"}
                                  for y in years]),
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def two_years(request, tmp_path_factory, library):
    if request.param == "sqlite":
        engine, pg = make_engine(f"sqlite:///{tmp_path_factory.mktemp('library') / 'store.db'}"), None
    else:
        pg = PgDatabase()
        engine = make_engine(pg.url)
    init_db(engine)
    load_frames(engine, _two_years(), [{"school_id": "M", "level": "高职", "category": "工科"}])
    result = compute(engine, library)
    yield result
    engine.dispose()
    if pg is not None:
        pg.drop()


def _values(result, indicator: str, unit: str = "") -> dict[int, float]:
    frame = result.to_frame()
    rows = frame[(frame["indicator_id"] == indicator) & (frame["unit"] == unit)]
    return dict(zip(rows["year"].astype(int), rows["value"].astype(float)))


def test_optional_fields_left_out_give_no_value_and_a_reported_zero_stays_zero(two_years):
    assert _values(two_years, "horizontal_research_income_total") == {2019: 0.0}  # 2018 not reported
    assert _values(two_years, "training_income_total") == {2019: 5000.0}
    for never in ("vertical_research_income_total", "tech_transaction_income_total",
                  "enterprise_practice_funds_total"):
        assert _values(two_years, never) == {}, never
    assert _values(two_years, "network_bandwidth_total") == {2019: 500.0}


def test_unknown_incomes_and_zero_denominators_give_no_value(two_years):
    # 2018: the only employed graduate has no income → no mean; 2019: 3000 / 1
    assert _values(two_years, "graduate_monthly_income") == {2019: 3000.0}
    assert _values(two_years, "graduate_monthly_income", "P1") == {2019: 3000.0}
    assert _values(two_years, "budget_execution_rate") == {2018: 90 / 100 * 100}  # 2019: budget 0


def test_filters_that_read_the_year(two_years):
    # opened 2016: new in 2018 (2016 ≥ 2018 − 2), no longer in 2019 (2016 < 2017)
    assert _values(two_years, "new_program_share") == {2018: 100.0, 2019: 0.0}
    # born 1984: 34 in 2018 (< 35, young), 35 in 2019
    assert _values(two_years, "young_teacher_share") == {2018: 100.0, 2019: 0.0}
    assert _values(two_years, "young_teacher_share", "P1") == {2018: 100.0, 2019: 0.0}


def test_a_default_target_that_starts_in_2019(two_years):
    d = two_years.details().set_index(["indicator_id", "year", "unit"])
    # 40 practice hours of 100 = 40 %: "about 40%" (2000 暂行, 第四条) is a default target, not a pass mark —
    # no level, the target met in both years; the 50 % of 教职成〔2019〕13号 was not read in its published
    # text, so it is a reference value and never becomes the target
    for year in (2018, 2019):
        row = d.loc[("practice_hours_share", year, "")]
        assert row["level"] == ""
        assert (row["value"], row["target"], row["gap"], bool(row["met"])) == (40.0, 40.0, 0.0, True)
    assert d.loc[("practice_hours_share", 2019, "P1")]["target"] == 40.0


