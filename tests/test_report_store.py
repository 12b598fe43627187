"""The report data layer on a real store (SQLite and PostgreSQL): the numbers are the engine's, reads are
scoped, and a report on values older than the data says so."""

from __future__ import annotations

import pytest
from tiny_data import FACILITIES, write_tiny

from diagnostics.access import PermissionDenied, Role, User, local_user
from diagnostics.engine import compute, current_values
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.reports import ReportDataError, StoreSource, gather_school
from diagnostics.reports.fmt import format_value
from diagnostics.reports.province import gather_province
from diagnostics.warnings import run_warnings


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
