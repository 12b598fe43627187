"""The city report on a real store (SQLite and PostgreSQL): the verdict's numbers, its schools' data
version, and who may ask for it."""

from __future__ import annotations

import pytest
from tiny_data import write_tiny

from diagnostics.access import Access, NotFound, PermissionDenied, Role, User, local_user
from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.reports import StoreSource
from diagnostics.reports.city import gather_city
from diagnostics.warnings import run_warnings
from diagnostics.warnings.verdict import load_verdict


@pytest.fixture
def computed(engine, tmp_path):
    assert import_path(engine, write_tiny(tmp_path / "data")).ok
    models, _ = load_models()
    compute(engine, models)
    run_warnings(engine, models=models)
    return engine, models


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
