"""The CLI's reads go through the scoped door as the current user (issue 12).

``zhengai values``, ``flags``, ``status``, ``export`` and ``report --province`` run as the user
``resolve_user`` names — in a shared deployment the operating-system account, which must be registered:
school staff get their school only, researchers codes instead of ids, the province report is refused to all
but city and province officers, and an unregistered account reads nothing.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from import_helpers import as_account, run_cli, url_of
from workflow_world import NAMES, REACH, world_in

from diagnostics.access import Access, PermissionDenied, User
from diagnostics.access.roles import Role
from diagnostics.reports import StoreSource


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from diagnostics.engine import compute
    from diagnostics.models import load_models
    from diagnostics.warnings import run_warnings

    with world_in("sqlite", tmp_path_factory.mktemp("cli_world")) as w:
        models = load_models()[0]
        run_warnings(w.engine, models=models, values=compute(w.engine, models))
        yield w


@pytest.fixture
def as_user(monkeypatch):
    return lambda name: as_account(monkeypatch, name)


def _json(capsys, world, *args: str) -> pd.DataFrame:
    run = run_cli(capsys, url_of(world.engine), *args, "--format", "json")
    assert run.code == 0, run.err
    return pd.DataFrame(json.loads(run.out))


@pytest.mark.parametrize("command", [("values",), ("flags",), ("status",)])
def test_reads_are_scoped_to_the_user(world, capsys, as_user, command):
    as_user("prov")
    everyone = set(_json(capsys, world, *command)["school_id"])
    assert {"S1", "S2"} <= everyone  # S3 has no status data
    for who, (reach, _other) in REACH.items():
        as_user(who)
        assert set(_json(capsys, world, *command)["school_id"]) == everyone & reach, who
    as_user("res")
    coded = _json(capsys, world, *command)
    assert len(coded) and not set(coded["school_id"]) & set(NAMES)
    assert coded["school_id"].str.startswith("SCH-").all()


def test_naming_another_school_is_refused(world, capsys, as_user):
    as_user("wang")
    for args in (("values", "--school", "S2"), ("flags", "--school", "S2"), ("status", "--school", "S2")):
        run = run_cli(capsys, url_of(world.engine), *args)
        assert run.code == 1 and "S2" in run.err and "scope" in run.err, args


def test_a_shared_deployment_without_a_user_reads_nothing(world, capsys, as_user, monkeypatch):
    as_user("nobody")  # an account no one registered; ZHENGAI_USER naming a registered one changes nothing
    monkeypatch.setenv("ZHENGAI_USER", "prov")
    for args in (("values",), ("flags",), ("status",), ("export", "out")):
        run = run_cli(capsys, url_of(world.engine), *args)
        assert run.code == 1 and "not registered" in run.err and run.out == "", args


def test_export_writes_only_the_users_rows_and_researchers_get_no_id_hash(world, capsys, as_user, tmp_path):
    as_user("wang")
    assert run_cli(capsys, url_of(world.engine), "export", str(tmp_path / "wang")).code == 0
    files = sorted((tmp_path / "wang").glob("*.csv"))
    assert {"schools.csv", "teachers.csv", "students.csv"} <= {f.name for f in files}
    for f in files:
        assert set(pd.read_csv(f, dtype=str)["school_id"]) == {"S1"}, f.name
    as_user("res")
    assert run_cli(capsys, url_of(world.engine), "export", str(tmp_path / "res")).code == 0
    text = "".join(f.read_text(encoding="utf-8") for f in (tmp_path / "res").glob("*.csv"))
    assert not any(name in text for name in NAMES.values())
    assert not any(f",{sid}," in text for sid in NAMES)
    students = tmp_path / "res" / "students.csv"
    if students.exists():
        header = students.read_text(encoding="utf-8").splitlines()[0]
        assert "id_hash" not in header and "birth_date" not in header


@pytest.mark.parametrize("who", ["wang", "exp1", "res"])
def test_the_province_report_is_refused_to_all_but_city_and_province_officers(world, capsys, as_user, who,
                                                                              tmp_path):
    as_user(who)
    run = run_cli(capsys, url_of(world.engine), "report", "--province", "--year", "2023", "--format", "html",
                  "--out", str(tmp_path))
    assert run.code == 2 and "province report" in run.err
    assert not list(tmp_path.iterdir())


def test_a_city_officer_gets_the_province_report_listing_only_their_schools(world, capsys, as_user, tmp_path):
    as_user("zhou")
    run = run_cli(capsys, url_of(world.engine), "report", "--province", "--year", "2023", "--format", "html",
                  "--out", str(tmp_path))
    assert run.code == 0, run.err
    html = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.html"))
    assert NAMES["S1"] in html and NAMES["S2"] not in html and "S2" not in html


def test_another_schools_version_is_refused(world):
    wang = StoreSource(world.engine, User("wang", Role.SCHOOL, school_id="S1"))
    assert wang.version("S1", 2023).data_version
    with pytest.raises(PermissionDenied):
        wang.version("S2", 2023)
    with pytest.raises(PermissionDenied):
        wang.version(None, 2023)


def test_importing_another_schools_unchanged_data_is_refused_like_changed_data(world):
    li = Access(world.engine, User("li", Role.SCHOOL, school_id="S2"))
    for folder in (world.folder, world.changed):  # unchanged, then one digit changed: the same answer
        with pytest.raises(PermissionDenied, match="S1"):
            li.import_data(folder, dry_run=True)
