"""The report data layer on a real store (SQLite and PostgreSQL): the numbers are the engine's, reads are
scoped, a report on values older than the data says so, and a city report is the verdict's for its schools."""

from __future__ import annotations

import pytest
from tiny_data import FACILITIES, write_tiny

from diagnostics.access import Access, NotFound, PermissionDenied, Role, User, local_user
from diagnostics.engine import compute, current_values
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.reports import ReportDataError, StoreSource, gather_school
from diagnostics.reports.city import gather_city
from diagnostics.reports.fmt import format_value
from diagnostics.reports.province import gather_province
from diagnostics.warnings import run_warnings
from diagnostics.warnings.verdict import load_verdict


@pytest.fixture
def computed(engine, tmp_path):
    assert import_path(engine, write_tiny(tmp_path / "data")).ok
    models, _ = load_models()
    compute(engine, models)
    run_warnings(engine, models=models)
    return engine, models


def test_every_number_is_the_engines(computed):
    engine, models = computed
    report = gather_school(StoreSource(engine, local_user(), models), "S1", 2024)
    values = current_values(engine, school="S1", year=2024, layer="school").set_index("indicator_id")["value"]
    shown = {row.indicator_id: row.text for row in report.definitions}
    assert shown and set(shown) == {i for i, v in values.items() if v == v}
    for ind, text in shown.items():
        assert text == format_value(values[ind], models.indicators[ind].unit), ind
    assert report.school.name == "江州职业技术学院"
    assert report.provenance.data_version.startswith("第 1 版（导入批次 #1，")
    assert report.provenance.run_id is not None and not report.provenance.stale and not report.notes


def test_a_school_user_reports_on_their_own_school_only(computed):
    engine, models = computed
    source = StoreSource(engine, User("wang", Role.SCHOOL, school_id="S1"), models)
    assert gather_school(source, "S1", 2024).school.school_id == "S1"
    with pytest.raises((ReportDataError, PermissionDenied)):
        gather_school(source, "S2", 2024)


def test_values_older_than_the_data_are_flagged(computed, tmp_path):
    engine, models = computed
    changed = FACILITIES.replace("S1,2024,200000", "S1,2024,210000")
    assert import_path(engine, write_tiny(tmp_path / "again", tables={"facilities": changed})).ok
    report = gather_school(StoreSource(engine, local_user(), models), "S1", 2024)
    assert report.provenance.stale
    assert any("不是最新导入的状态数据" in note for note in report.notes)  # said in the closing appendix


def test_province_report_counts_every_school(computed):
    engine, models = computed
    report = gather_province(StoreSource(engine, local_user(), models), 2024)
    assert dict(report.schools_by_level) == {"高职": 1, "中职": 1}
    assert report.provenance.data_version.startswith("2 所学校")
    assert {level for level in report.rankings} <= {"高职", "中职"}


def test_city_report_is_the_verdicts_for_its_schools(computed):
    engine, models = computed
    officer = User("zhou", Role.CITY, city="江州市")
    source = StoreSource(engine, officer, models)
    report = gather_city(source, "江州市", source.access.city_schools("江州市"), 2024)
    verdict = load_verdict(engine, models, year=2024)
    assert [s.school_id for s in report.schools] == ["S1"]  # S2 is in 海川市
    s = report.schools[0]
    v = verdict.school("S1", 2024)
    assert (s.light, s.red, s.yellow, s.card) == (v["light"], v["red"], v["yellow"], v["card"])
    assert s.red + s.yellow > 0  # the tiny data has warnings: the comparison means something
    assert report.provenance.data_version.startswith("1 所学校")  # the city's schools, not the province's


def test_only_that_citys_officers_and_the_province_ask(computed):
    engine, _ = computed
    assert list(Access(engine, local_user()).city_schools("海川市")["school_id"]) == ["S2"]
    assert list(Access(engine, User("zhou", Role.CITY, city="江州市")).city_schools("江州市")["school_id"]) == ["S1"]
    for user in (User("qian", Role.CITY, city="海川市"), User("wang", Role.SCHOOL, school_id="S1"),
                 User("exp", Role.EXPERT, schools=frozenset({"S1"})), User("res", Role.RESEARCHER)):
        with pytest.raises(PermissionDenied):
            Access(engine, user).city_schools("江州市")
    with pytest.raises(NotFound):
        Access(engine, local_user()).city_schools("无此市")
