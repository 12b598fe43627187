"""Schools' master data (issue 13): a school user's import may not change its level, category, city,
ownership or founding year (located, bilingual, exit 2, the store unchanged); a province officer's may,
and every change is kept in ``school_history`` with who, when, old and new."""

from __future__ import annotations

import json

import pytest
from import_helpers import assert_located, dump, populate, read_errors, run_cli, url_of
from sqlalchemy import select
from tiny_data import write_tiny

from diagnostics.access import Access, Role, User
from diagnostics.store.history_schema import school_history
from diagnostics.store.workflow_schema import audit_log

HEAD = "school_id,name,level,category,city,ownership,founded\n"
S1 = "S1,江州职业技术学院,高职,工科,江州市,公办,1985\n"
ONLY_SCHOOLS = {t: None for t in ("programs", "students", "teachers", "facilities")}


@pytest.fixture
def store(engine, tmp_path):
    populate(engine, write_tiny(tmp_path / "existing"))
    admin = Access(engine, User("admin", Role.PROVINCE))
    admin.add_user("wang", "school", school_id="S1")
    admin.add_user("li", "province")
    return engine


def schools_input(tmp_path, row: str, name: str = "input"):
    return write_tiny(tmp_path / name, tables={**ONLY_SCHOOLS, "schools": HEAD + row})


def history(engine, changes_only: bool = True) -> list[dict]:
    """The rows of ``school_history`` (``changes_only``: of existing schools, not first registrations)."""
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(school_history).order_by(school_history.c.id)).mappings()]
    return [r for r in rows if r["old_value"] is not None or not changes_only]


@pytest.mark.parametrize("row, column", [
    ("S1,江州职业技术学院,中职,工科,江州市,公办,1985\n", "level"),
    ("S1,江州职业技术学院,高职,财经,江州市,公办,1985\n", "category"),
    ("S1,江州职业技术学院,高职,工科,海川市,公办,1985\n", "city"),
    ("S1,江州职业技术学院,高职,工科,江州市,公办,2010\n", "founded"),
])
def test_a_school_user_cannot_change_master_data(store, tmp_path, capsys, row, column):
    dry = column == "level"  # a dry run is refused the same way
    before = dump(store)
    errors = tmp_path / "errors.csv"
    args = ["import", str(schools_input(tmp_path, row)), "--user", "wang", "--errors", str(errors)]
    run = run_cli(capsys, url_of(store), *args, *(["--dry-run"] if dry else []))
    assert run.code == 2, run.text
    assert "省级" in run.err and "province" in run.err and "Traceback" not in run.text
    assert_located(read_errors(errors), "input", "schools", None, column)
    assert dump(store) == before


def test_a_school_user_may_correct_its_name_and_it_is_recorded(store, tmp_path, capsys):
    run = run_cli(capsys, url_of(store), "import", str(schools_input(tmp_path, S1.replace("江州职业技术学院", "江州职院"))),
                  "--user", "wang")
    assert run.code == 0, run.text
    rows = history(store)
    assert [(r["school_id"], r["field"], r["old_value"], r["new_value"], r["changed_by"]) for r in rows] == [
        ("S1", "name", "江州职业技术学院", "江州职院", "wang")]


def test_a_province_officer_changes_master_data_with_history_and_audit(store, tmp_path, capsys):
    row = "S1,江州职业技术学院,中职,工科,海川市,公办,1985\n"
    run = run_cli(capsys, url_of(store), "import", str(schools_input(tmp_path, row)), "--user", "li")
    assert run.code == 0, run.text
    assert "level: 高职 → 中职" in run.out and "city: 江州市 → 海川市" in run.out
    rows = {r["field"]: r for r in history(store)}
    assert set(rows) == {"level", "city"}
    assert (rows["level"]["old_value"], rows["level"]["new_value"]) == ("高职", "中职")
    assert (rows["city"]["old_value"], rows["city"]["new_value"]) == ("江州市", "海川市")
    assert {r["changed_by"] for r in rows.values()} == {"li"}
    assert all(r["batch_id"] is not None and r["changed_at"] is not None for r in rows.values())
    with store.connect() as conn:
        audit = conn.execute(select(audit_log).where(audit_log.c.entity == "school", audit_log.c.actor == "li")).one()
    assert json.loads(audit.before) == {"level": "高职", "city": "江州市"}
    assert {"level": "中职", "city": "海川市"}.items() <= json.loads(audit.after).items()
    # the city officer of the old city no longer reaches the school; the new one does
    with store.connect() as conn:
        schools = Access(store, User("zhou", Role.CITY, city="海川市"))._scope(conn)
    assert "S1" in schools


def test_a_school_user_may_register_its_own_new_school(engine, tmp_path, capsys):
    Access(engine, User("admin", Role.PROVINCE)).add_user("zhao", "school", school_id="S1")
    run = run_cli(capsys, url_of(engine), "import", str(schools_input(tmp_path, S1)), "--user", "zhao")
    assert run.code == 0, run.text
    assert {(r["field"], r["old_value"], r["changed_by"]) for r in history(engine, changes_only=False)} >= {
        ("level", None, "zhao"), ("city", None, "zhao")}
