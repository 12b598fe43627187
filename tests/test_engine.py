"""The engine: golden values of every indicator, levels, cards, scores, targets, incremental
recompute, one query per (table, grouping), identical results on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
import yaml
from conftest import PgDatabase
from golden_data import EXPECTED, EXPECTED_LEVELS, EXPECTED_PARTS, SCHOOL, SCHOOLS, YEAR, frames
from model_fixtures import verified_restrictions
from store_fixtures import load_frames

from diagnostics.engine import cards, compute, current_results, current_values, ratio_score
from diagnostics.engine.measures import plan
from diagnostics.models import MeasureRegistry, load_models
from diagnostics.models.loader import REPO_INDICATORS
from diagnostics.store import init_db, make_engine
from diagnostics.store.results_schema import compute_runs

FRAME_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator",
                 "n", "level"]


@pytest.fixture(scope="module")
def library():
    models, issues = load_models(registry=MeasureRegistry())
    assert [i for i in issues if i.level == "error"] == []
    return models


def _fresh_engine(kind: str, tmp_path_factory):
    if kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path_factory.mktemp('golden') / 'store.db'}"), None
    pg = PgDatabase()
    return make_engine(pg.url), pg


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def golden(request, tmp_path_factory, library):
    """The golden school-year computed once per back end."""
    engine, pg = _fresh_engine(request.param, tmp_path_factory)
    init_db(engine)
    load_frames(engine, frames(), SCHOOLS)
    yield compute(engine, library)
    engine.dispose()
    if pg is not None:
        pg.drop()


def _value(frame: pd.DataFrame, indicator: str, unit: str = "") -> pd.Series:
    rows = frame[(frame["indicator_id"] == indicator) & (frame["unit"] == unit)]
    assert len(rows) == 1, f"{indicator}/{unit!r}: {len(rows)} rows"
    return rows.iloc[0]


# ------------------------------------------------------------------------------ golden values
def test_every_library_indicator_has_a_golden_case(library):
    assert set(library.indicators) == set(EXPECTED)


@pytest.mark.parametrize("indicator", sorted(EXPECTED))
def test_golden_value(golden, indicator):
    frame = golden.to_frame()
    mine = frame[frame["indicator_id"] == indicator]
    assert set(mine["unit"]) == set(EXPECTED[indicator])  # exactly the layers and units expected
    for unit, expected in EXPECTED[indicator].items():
        row = _value(frame, indicator, unit)
        assert row["layer"] == ("school" if unit == "" else "program")
        assert row["school_id"] == SCHOOL and row["year"] == YEAR
        assert row["value"] == pytest.approx(expected, rel=1e-12), (indicator, unit)


def test_numerator_denominator_and_n(golden):
    frame = golden.to_frame()
    for (indicator, unit), (num, den, n) in EXPECTED_PARTS.items():
        row = _value(frame, indicator, unit)
        assert (row["numerator"], row["denominator"], row["n"]) == (pytest.approx(num), pytest.approx(den), n)


def test_levels(golden):
    frame = golden.to_frame()
    for (indicator, unit), level in EXPECTED_LEVELS.items():
        assert _value(frame, indicator, unit)["level"] == level, (indicator, unit)


def test_values_frame_has_exactly_the_contract_columns(golden):
    frame = golden.to_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame["n"].dtype == "Int64" and frame["year"].dtype.kind == "i"


def test_target_gap_and_score_in_details(golden):
    d = golden.details().set_index(["indicator_id", "unit"])
    # target set by Chinese name 生师比 = 9; value 10, lower is better → gap +1, not met
    stu = d.loc[("student_teacher_ratio", "")]
    assert (stu["target"], stu["gap"], stu["met"]) == (9.0, pytest.approx(1.0), False)
    # program-layer target for P1: 85; value 80 → gap −5, not met
    emp = d.loc[("employment_rate", "P1")]
    assert (emp["target"], emp["gap"], emp["met"]) == (85.0, pytest.approx(-5.0), False)
    dq = d.loc[("dual_qualified_share", "")]  # 50 against 40 → +10, met
    assert (dq["target"], dq["gap"], dq["met"]) == (40.0, pytest.approx(10.0), True)
    assert np.isnan(d.loc[("employment_rate", "")]["target"])  # no school-layer target
    # ratio-method score, weight 1: 60 books at 合格 60 → 1; insured interns 75 of 100 (no 限制招生) → 0.75
    assert d.loc[("books_per_student", "")]["score"] == 1.0
    assert d.loc[("intern_insured_rate", "")]["score"] == pytest.approx(0.75)
    # the dormitory's 6.5 is a reference value (参考值): no level, no score, but shown with its source
    dorm = d.loc[("dormitory_area_per_student", "")]
    assert np.isnan(dorm["score"]) and np.isnan(dorm["qualified"]) and dorm["reference_qualified"] == 6.5
    assert "未读到标准原表" in dorm["reference_source"]
    assert d.loc[("books_per_student", "")]["qualified_source"].startswith("教发〔2004〕2号")
    assert bool(d.loc[("books_per_student", "")]["qualified_verified"]) is True  # 工科 row verified


def test_pivot_and_html(golden):
    by_school = golden.pivot(by="school")
    assert by_school.loc[SCHOOL, "student_teacher_ratio"] == pytest.approx(10.0)
    by_year = golden.pivot(by="year", labels="zh")
    assert by_year.loc[YEAR, "生师比"] == pytest.approx(10.0)
    assert by_year.loc[YEAR, "毕业去向落实率（%）"] == pytest.approx(70.0)
    programs = golden.pivot(by="school", layer="program")
    assert programs.loc[(SCHOOL, "P2"), "student_teacher_ratio"] == pytest.approx(10.4)
    page = golden._repr_html_()
    assert "生师比" in page and "<table" in page


# ------------------------------------------------------------------------- back ends agree
def test_sqlite_and_postgresql_give_identical_values(tmp_path_factory, library):
    results = []
    for kind in ("sqlite", "postgresql"):
        engine, pg = _fresh_engine(kind, tmp_path_factory)
        try:
            init_db(engine)
            load_frames(engine, frames(), SCHOOLS)
            results.append(compute(engine, library).to_frame())
        finally:
            engine.dispose()
            if pg is not None:
                pg.drop()
    sqlite, postgres = results
    assert len(sqlite) == sum(len(units) for units in EXPECTED.values())
    pd.testing.assert_frame_equal(sqlite, postgres, check_exact=False, rtol=1e-12)


# ------------------------------------------------------------------------------- few queries
def test_one_aggregation_query_per_table_and_grouping(sqlite_engine, library):
    load_frames(sqlite_engine, frames(), SCHOOLS)
    statements: list[str] = []
    sa.event.listen(sqlite_engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *args: statements.append(statement))
    compute(sqlite_engine, library)
    aggregations = Counter()
    for sql in statements:
        found = re.search(r"FROM (\w+)\s+WHERE \1\.version_id IN", sql)
        if found and "GROUP BY" in sql:
            aggregations[(found.group(1), "program_code" in sql.split("GROUP BY")[1])] += 1
    assert aggregations and max(aggregations.values()) == 1
    assert len(aggregations) == len(plan(library))  # one scan per table (10), by program where any measure needs it
    assert len(statements) <= len(plan(library)) + 12  # plus a few small reads and the writes


# --------------------------------------------------------------------------- incremental
def _small(school: str, year: int, books: int = 1000, equipment: float = 50000.0,
           admin_area: float = 200.0, students: int = 10) -> dict[str, pd.DataFrame]:
    """10 full-time students, 1 full-time teacher: ratio 10, admin 20 m², equipment 5000, books 100."""
    return {
        "students": pd.DataFrame({"school_id": school, "year": year, "program_code": "P1",
                                  "student_key": [f"s{i}" for i in range(students)], "status": "在籍"}),
        "teachers": pd.DataFrame({"school_id": [school], "year": [year], "teacher_key": ["t1"],
                                  "employment": ["专任"], "degree": ["硕士"], "program_code": ["P1"]}),
        "facilities": pd.DataFrame({"school_id": [school], "year": [year], "books": [books],
                                    "equipment_value": [equipment], "teaching_admin_area": [admin_area]}),
    }


def _merge(*parts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {t: pd.concat([p[t] for p in parts], ignore_index=True) for t in parts[0]}


def test_incremental_recompute_only_touches_changed_school_years(engine, library):
    schools = [{"school_id": s, "level": "高职", "category": "工科"} for s in ("A", "B")]
    load_frames(engine, _merge(_small("A", 2022), _small("A", 2023), _small("B", 2023)), schools)
    first = compute(engine, library)
    assert first.run_id == 1
    load_frames(engine, _small("A", 2023, books=300))  # a new current version of A/2023 only
    second = compute(engine, library)
    latest = current_values(engine, layer="school", with_provenance=True)
    runs = latest.groupby(["school_id", "year"])["run_id"].unique().map(list).to_dict()
    assert runs == {("A", 2022): [1], ("A", 2023): [second.run_id], ("B", 2023): [1]}
    assert _value(latest[latest["year"] == 2023].query("school_id == 'A'"), "books_per_student")["value"] == 30.0
    with engine.connect() as conn:
        scope = json.loads(conn.execute(sa.select(compute_runs.c.scope).where(
            compute_runs.c.id == second.run_id)).scalar())
    assert scope["recomputed"] == [["A", 2023]] and scope["kept"] == 2
    assert len(second.to_frame()) == len(first.to_frame())  # the result still holds every school-year
    third = compute(engine, library, schools=["A"])  # nothing changed: nothing recomputed
    assert set(current_values(engine, with_provenance=True)["run_id"]) == {1, second.run_id}
    assert third.to_frame()["school_id"].unique().tolist() == ["A"]


def test_a_new_model_version_recomputes_everything(engine, library, tmp_path):
    load_frames(engine, _merge(_small("A", 2023), _small("B", 2023)))
    compute(engine, library)
    copy = tmp_path / "indicators"
    shutil.copytree(REPO_INDICATORS, copy)
    edited = copy / "teachers.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# a comment changes the model version\n",
                      encoding="utf-8")
    changed, _ = load_models([copy], registry=MeasureRegistry())
    assert changed.version != library.version
    rs = compute(engine, changed)
    values = current_values(engine, with_provenance=True)
    assert set(values["run_id"]) == {rs.run_id} and set(values["model_version"]) == {changed.version}


def test_current_values_filters(engine, library):
    load_frames(engine, _merge(_small("A", 2022), _small("A", 2023), _small("B", 2023)))
    compute(engine, library)
    assert set(current_values(engine, school="A")["year"]) == {2022, 2023}
    assert set(current_values(engine, year=2023)["school_id"]) == {"A", "B"}
    assert set(current_values(engine, layer="program")["unit"]) == {"P1"}
    assert list(current_values(engine).columns) == FRAME_COLUMNS
    stored = current_results(engine, library, school="A", year=2023)  # read back, nothing computed
    assert stored.to_frame().equals(compute(engine, library, schools="A", years=2023).to_frame())
    assert stored.pivot(by="year").loc[2023, "student_teacher_ratio"] == pytest.approx(10.0)


# ------------------------------------------------------------------------------------ cards
def _card_province(engine) -> None:
    hv = [{"school_id": s, "level": "高职", "category": "工科"} for s in ("OK", "Y1", "R2", "R3", "MID")]
    data = _merge(
        _small("OK", 2023),  # every basic indicator at 合格
        _small("Y1", 2023, books=300),  # books 30 < 35 (限制招生 工科) → one below → yellow
        _small("R2", 2023, books=300, equipment=20000.0),  # books 30 and equipment 2000 < 3000 → red
        _small("R3", 2021, books=300), _small("R3", 2022, books=300), _small("R3", 2023, books=300),
        _small("MID", 2023, books=500),  # books 50: below 合格 60 but above 35 → 不合格, no card
        _small("ZZ", 2023, students=300),  # 中职: no 限制招生 level → no card
    )
    load_frames(engine, data, [*hv, {"school_id": "ZZ", "level": "中职", "category": "综合"}])


def test_cards_yellow_red_and_three_years(sqlite_engine, tmp_path):
    _card_province(sqlite_engine)
    rs = compute(sqlite_engine, verified_restrictions())
    frame = rs.to_frame()
    assert _value(frame[frame["school_id"] == "Y1"], "books_per_student")["level"] == "限制招生"
    assert _value(frame[frame["school_id"] == "MID"], "books_per_student")["level"] == "不合格"
    got = cards(rs).set_index(["school_id", "year"])["card"].to_dict()
    assert got == {("Y1", 2023): "黄牌", ("R2", 2023): "红牌",
                   ("R3", 2021): "黄牌", ("R3", 2022): "黄牌", ("R3", 2023): "红牌"}
    reasons = cards(rs).set_index(["school_id", "year"])["reasons"]
    assert "生均图书" in reasons[("Y1", 2023)] and "连续三年" in reasons[("R3", 2023)]
    assert "低于限制招生线" in reasons[("Y1", 2023)]
    assert cards(frame).set_index(["school_id", "year"])["card"].to_dict() == got


def test_unverified_restriction_values_raise_no_card(sqlite_engine, library):
    # the shipped library: the 专科 限制招生 table was not read in the published text, so its values are
    # reference values — the same schools are 不合格 where they miss 合格, and no card is raised
    _card_province(sqlite_engine)
    rs = compute(sqlite_engine, library)
    frame = rs.to_frame()
    books = _value(frame[frame["school_id"] == "Y1"], "books_per_student")
    assert books["level"] == "不合格"
    assert cards(rs).empty
    details = rs.details().set_index(["school_id", "indicator_id", "unit"])
    assert details.loc[("Y1", "books_per_student", ""), "reference_restriction"] == 35.0


def test_card_reason_says_above_for_a_lower_is_better_indicator(sqlite_engine, tmp_path):
    # 生师比 is lower-is-better: a school above its 限制招生 line is "高于", never "低于"
    load_frames(sqlite_engine, _merge(_small("HI", 2023, students=3000)),
                [{"school_id": "HI", "level": "高职", "category": "工科"}])
    reasons = cards(compute(sqlite_engine, verified_restrictions()))["reasons"].tolist()
    assert any("生师比" in r and "高于限制招生线" in r for r in reasons), reasons


# ----------------------------------------------------------------------------- ratio score
def test_ratio_method_score_by_hand():
    s = pd.Series
    # higher is better, 合格 60, 限制招生 35, weight 10
    value = s([60.0, 70.0, 48.0, 30.0])
    score = ratio_score(value, s([60.0] * 4), s([35.0] * 4), s([10.0] * 4), s([True] * 4))
    assert score.tolist() == pytest.approx([10.0, 10.0, 48 / 60 * 10, 0.0])
    # lower is better (生师比), 合格 18, 限制招生 22, weight 5: 16 → 5; 20 → 18/20 × 5 = 4.5; 23 → 0
    value = s([16.0, 20.0, 23.0])
    score = ratio_score(value, s([18.0] * 3), s([22.0] * 3), s([5.0] * 3), s([False] * 3))
    assert score.tolist() == pytest.approx([5.0, 4.5, 0.0])
    # no 限制招生 level: proportional all the way down; no 合格 level: no score
    score = ratio_score(s([30.0, 30.0]), s([60.0, np.nan]), s([np.nan, np.nan]), s([1.0, 1.0]), s([True, True]))
    assert score[0] == pytest.approx(0.5) and np.isnan(score[1])


# ------------------------------------------------------------------ the language in SQL
def _custom_models(tmp_path, registry=None):
    """Measures and indicators that exercise every aggregation, function and missing-value strategy."""
    def m(ident, table, agg, unit="人", **kw):
        return {"id": ident, "name_zh": ident, "name_en": ident, "table": table, "agg": agg, "unit": unit, **kw}

    def ind(ident, unit="1", **kw):
        return {"id": ident, "name_zh": ident, "name_en": ident, "definition_zh": "d", "definition_en": "d",
                "unit": unit, "direction": "higher_is_better", "items": ["学校管理"],
                "period": {"year": "academic", "kind": "stock"}, **kw}

    measures = [
        m("mean_income", "graduates", "mean", "元", filter="destination = '就业'", expr="monthly_income"),
        m("income_or_1000", "graduates", "sum", "元", expr="coalesce(monthly_income, 1000)"),
        m("enterprises", "internships", "distinct_count", "个", expr="enterprise_id"),
        m("interns", "internships", "count"),
        m("quoted_post", "internships", "count", filter="post = 'a''b'"),
        m("capped_hours", "teachers", "sum", "学时", expr="if(teaching_hours > 300, 300, teaching_hours)"),
        m("dual_sum", "teachers", "sum", expr="dual_qualified"),
        m("hours_per_day", "teachers", "sum", "学时", expr="teaching_hours / enterprise_practice_days"),
        m("min3", "teachers", "sum", "学时", expr="min(teaching_hours, 250, enterprise_practice_days * 20)"),
        m("max2", "teachers", "sum", "学时", expr="max(teaching_hours, enterprise_practice_days * 20)"),
        m("abs_days", "teachers", "sum", "天", expr="abs(enterprise_practice_days - 15)"),
        m("not_or", "teachers", "count", filter="not dual_qualified or teaching_hours > 300"),
        m("first_years", "students", "count", filter="entry_year = year and status in ('在籍')"),
        m("survey_resp", "surveys", "sum", expr="respondents"),
    ]
    names = [x["id"] for x in measures]
    units = {x["id"]: x["unit"] for x in measures}
    indicators = [ind(f"i_{n}", unit=units[n], measure=n) for n in names if n != "survey_resp"]
    ratio = {"numerator": "survey_resp", "denominator": "interns"}  # numerator missing: no survey rows
    indicators += [
        ind("r_any", ratio=ratio, missing="skip_if_any_missing"),
        ind("r_all", ratio=ratio, missing="skip_if_all_missing"),
        ind("r_zero", ratio=ratio, missing="treat_as_zero"),
        ind("d_some", expr="r_any + i_dual_sum / i_interns", missing="skip_if_all_missing"),
        ind("d_none", expr="r_any * 2", missing="skip_if_all_missing"),
        ind("d_zero", expr="r_any * 2 + 1", missing="treat_as_zero"),
        ind("d_case", expr="case(i_interns > 3, 1, i_interns > 1, 2, 3) + if(i_dual_sum = 2, 10, 20)"),
        ind("html", unit="人", measure="interns"),
    ]
    indicators[-1]["name_zh"] = "<b>粗</b>"
    if registry is not None:
        measures.append({"id": "plugin", "name_zh": "插件", "name_en": "plugin", "python": "forty_two", "unit": "人"})
        indicators.append(ind("i_plugin", unit="人", measure="plugin"))
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump({"measures": measures, "indicators": indicators}, allow_unicode=True),
                    encoding="utf-8")
    models, issues = load_models([path], registry=registry or MeasureRegistry())
    assert issues == []
    return models


def _custom_data() -> dict[str, pd.DataFrame]:
    c = {"school_id": "C", "year": 2023}
    return {
        "graduates": pd.DataFrame([{**c, "student_key": f"g{i}", "destination": d, "monthly_income": inc}
                                   for i, (d, inc) in enumerate([("就业", 3000.0), ("就业", 5000.0),
                                                                 ("就业", None), ("升学", 9000.0)])]),
        "internships": pd.DataFrame([{**c, "student_key": f"i{i}", "enterprise_id": e, "post": p}
                                     for i, (e, p) in enumerate([("E1", "a'b"), ("E1", "x"), ("E2", "x"),
                                                                 ("E3", "a'b")])]),
        "teachers": pd.DataFrame([{**c, "teacher_key": f"t{i}", "teaching_hours": h,
                                   "enterprise_practice_days": d, "dual_qualified": q}
                                  for i, (h, d, q) in enumerate([(400, 0, True), (200, 20, False), (300, 10, True)])]),
        "students": pd.DataFrame([{**c, "student_key": f"s{i}", "entry_year": y, "status": "在籍"}
                                  for i, y in enumerate([2023, 2023, 2022])]),
    }


def test_every_aggregation_and_function_on_both_back_ends(engine, tmp_path):
    load_frames(engine, _custom_data())
    frame = compute(engine, _custom_models(tmp_path)).to_frame()
    got = {r.indicator_id: r.value for r in frame.itertuples()}
    expected = {
        "i_mean_income": (3000 + 5000) / 2,  # 就业 with an income; the missing one is not counted
        "i_income_or_1000": 3000 + 5000 + 1000 + 9000,
        "i_enterprises": 3,  # E1, E2, E3
        "i_interns": 4,
        "i_quoted_post": 2,  # post = a'b
        "i_capped_hours": 300 + 200 + 300,
        "i_dual_sum": 2,  # true counts 1
        "i_hours_per_day": 200 / 20 + 300 / 10,  # 400 / 0 is null and left out of the sum
        "i_min3": 0 + 200 + 200,  # min(400, 250, 0), min(200, 250, 400), min(300, 250, 200)
        "i_max2": 400 + 400 + 300,
        "i_abs_days": 15 + 5 + 5,
        "i_not_or": 2,  # (true, 400 > 300) and (not dual); not the third
        "i_first_years": 2,  # entry_year = year 2023
        "r_all": 0 / 4,  # missing survey numerator counts as 0
        "r_zero": 0 / 4,
        "d_some": 0 + 2 / 4,  # r_any missing → 0 because the other inputs are present
        "d_zero": 0 * 2 + 1,
        "d_case": 1 + 10,  # 4 interns > 3 → 1; two dual-qualified → 10
        "html": 4,
    }
    assert set(got) == set(expected)  # r_any (any missing) and d_none (all missing) give no value
    for ident, value in expected.items():
        assert got[ident] == pytest.approx(value), ident
    mean = _value(frame, "i_mean_income")
    assert (mean["numerator"], mean["denominator"], mean["n"]) == (8000.0, 2.0, 2)


def test_python_measure_plugin(sqlite_engine, tmp_path):
    def forty_two(conn, version_ids, layer):
        rows = conn.execute(sa.text("SELECT school_id, year FROM data_versions")).fetchall()
        return pd.DataFrame({"school_id": [r[0] for r in rows], "year": [r[1] for r in rows], "value": 42.0})

    registry = MeasureRegistry()
    registry.register("forty_two", forty_two)
    load_frames(sqlite_engine, _custom_data())
    frame = compute(sqlite_engine, _custom_models(tmp_path, registry)).to_frame()
    row = _value(frame, "i_plugin")
    assert (row["value"], row["numerator"]) == (42.0, 42.0)


def test_html_escapes_names(sqlite_engine, tmp_path):
    load_frames(sqlite_engine, _custom_data())
    page = compute(sqlite_engine, _custom_models(tmp_path))._repr_html_()
    assert "&lt;b&gt;粗&lt;/b&gt;" in page and "<b>粗" not in page


def test_model_default_target_for_secondary_schools(sqlite_engine, library):
    load_frames(sqlite_engine, _small("Z", 2023), [{"school_id": "Z", "level": "中职", "category": "综合"}])
    d = compute(sqlite_engine, library).details().set_index(["indicator_id", "unit"])
    share = d.loc[("industry_teacher_share", "")]  # no external teachers: 0 % against the default 20 %
    assert (share["value"], share["target"], share["gap"], share["met"]) == (0.0, 20.0, -20.0, False)
    assert share["target_source"].startswith("模型默认目标")
    assert d.loc[("student_teacher_ratio", "")]["level"] == ""  # the 教发〔2004〕2号 ratio has no 中职 standard
    assert d.loc[("student_fulltime_teacher_ratio", "")]["level"] == "合格"  # 10 students per teacher ≤ 20 (中职)


def test_readme_worked_example(sqlite_engine, tmp_path):
    readme = (REPO_INDICATORS / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "teacher_practice.yaml").write_text(block, encoding="utf-8")
    models, issues = load_models([REPO_INDICATORS / "measures", tmp_path], registry=MeasureRegistry())
    assert issues == []
    days = [30, 45, 31, 0, 10, 29, 5, 0]  # 3 of 8 full-time teachers reach 30 days
    load_frames(sqlite_engine, {"teachers": pd.DataFrame({
        "school_id": "W", "year": 2024, "teacher_key": [f"t{i}" for i in range(8)], "employment": "专任",
        "enterprise_practice_days": days, "program_code": "P1"})})
    d = compute(sqlite_engine, models).details().set_index(["indicator_id", "unit"])
    row = d.loc[("enterprise_practice_share", "")]
    assert (row["value"], row["numerator"], row["denominator"]) == (37.5, 3.0, 8.0)
    assert (row["target"], row["gap"]) == (50.0, -12.5)
