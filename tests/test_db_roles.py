"""Least privilege in the database: a user's own PostgreSQL role reads only its scope, by plain SQL.

The world (:mod:`workflow_world`) holds a row of every kind for three schools; ``zhengai db grant`` makes a
login role per user.  Connecting with a role and running ``SELECT`` on every table of the live schema
(enumerated from ``pg_attribute``, so tables of later migrations are covered) must return no row of a
school outside the user's scope, whatever the application layer does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from workflow_world import REACH, world_in

from diagnostics.access.kanon import HIDDEN, SCHOOL_QI, STUDENT_QI, K, exposed_smallest_group, smallest_group
from diagnostics.store import privileges

TABLES_WITH_SCHOOL = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1"""


@pytest.fixture(scope="module")
def granted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roles")
    with world_in("postgresql", folder) as world:
        from diagnostics.engine import compute
        from diagnostics.models import load_models

        compute(world.engine, load_models()[0])  # indicator values and computed school-years, per school
        roles = privileges.grant(world.engine)
        try:
            yield world, dict(zip(roles["user_name"], roles["role"]))
        finally:
            privileges.revoke(world.engine)


def connect_as(world, role: str):
    url = make_url(world.engine.url).set(username=role, password=None)
    return create_engine(url)


def test_every_table_with_a_school_id_is_under_the_scope_policy(granted):
    world, _ = granted
    with world.engine.connect() as conn:
        tables = list(conn.execute(text(TABLES_WITH_SCHOOL)).scalars())
        policed = set(conn.execute(text("SELECT tablename FROM pg_policies WHERE policyname = 'zhengai_scope'"))
                      .scalars())
    assert len(tables) >= 20 and {"students", "indicator_values", "audit_log", "school_narratives"} <= set(tables)
    assert set(tables) <= policed
    assert "follow_up_comments" in policed  # no school_id: scoped through its follow-up


@pytest.mark.parametrize("who", sorted(REACH))
def test_a_users_own_role_reads_no_row_of_another_school_from_any_table(granted, who):
    world, roles = granted
    reach, _outside = REACH[who]
    with world.engine.connect() as owner:
        tables = list(owner.execute(text(TABLES_WITH_SCHOOL)).scalars())
        stored = {t: owner.execute(text(f'SELECT count(*) FROM "{t}" WHERE school_id <> ALL(:r)'),
                                   {"r": sorted(reach)}).scalar_one() for t in tables}
    assert sum(stored.values()) > 100  # the other schools' rows are there, for the owner
    engine = connect_as(world, roles[who])
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one() == roles[who]
            for table in tables:
                seen = conn.execute(text(f'SELECT DISTINCT school_id FROM "{table}"')).scalars().all()
                assert set(seen) - {None} <= reach, (table, seen)
                assert None not in seen or table == "users", table  # one's own user row has no school
            own = conn.execute(text("SELECT count(*) FROM students")).scalar_one()
            comments = conn.execute(text(
                "SELECT DISTINCT f.school_id FROM follow_up_comments c JOIN follow_ups f ON f.id = c.follow_up_id"))
            assert set(comments.scalars()) == reach
            # asking for another role's scope answers nothing; a session setting changes nothing
            other = roles["li" if who != "li" else "wang"]
            assert conn.execute(text("SELECT zhengai_scope(:r)"), {"r": other}).scalar_one() == []
            conn.execute(text("SET app.school = 'S2'"))
            assert conn.execute(text("SELECT count(*) FROM students WHERE school_id <> ALL(:r)"),
                                {"r": sorted(reach)}).scalar_one() == 0
    finally:
        engine.dispose()
    assert own > 0


def test_a_school_role_cannot_write_another_schools_rows(granted):
    world, roles = granted
    engine = connect_as(world, roles["wang"])
    try:
        with engine.begin() as conn:  # an update of another school's row touches nothing (it is invisible)
            changed = conn.execute(text("UPDATE improvement_tasks SET owner = 'x' WHERE school_id = 'S2'"))
            assert changed.rowcount == 0
        with pytest.raises(DBAPIError, match="row-level security"), engine.begin() as conn:
            conn.execute(text("INSERT INTO school_narratives (school_id, year, section, text, created_by, "
                              "created_at, updated_by, updated_at, version) VALUES ('S2', 2024, 'plan', 'x', "
                              "'wang', now(), 'wang', now(), 1)"))
        with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
            conn.execute(text("SELECT * FROM db_roles"))
    finally:
        engine.dispose()


def test_researchers_reach_only_the_k_anonymous_research_schema(granted):
    world, roles = granted
    engine = connect_as(world, roles["res"])
    try:
        with pytest.raises(DBAPIError, match="permission denied"), engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM public.students"))
        with engine.connect() as conn:
            schools = conn.execute(text("SELECT * FROM research.schools")).mappings().all()
            students = conn.execute(text("SELECT * FROM research.students")).mappings().all()
    finally:
        engine.dispose()
    import pandas as pd

    s, st = pd.DataFrame(schools), pd.DataFrame(students)
    assert "name" not in s or not s["name"].astype(str).str.contains("学").any()
    assert len(s) == 3 and (s[list(SCHOOL_QI)] == HIDDEN).all().all()  # 3 schools: no attribute can be shown
    assert exposed_smallest_group(s, list(SCHOOL_QI), "school_id") >= K
    assert not {"id_hash", "id_problem", "birth_date"} & set(st.columns)
    if len(st):
        assert smallest_group(st, [c for c in STUDENT_QI if c in st]) >= K


COPIES = [f"X{i}" for i in range(1, 6)]
COPY_SQL = """
INSERT INTO schools (school_id, name, level, category, city, ownership, founded, batch_id)
  SELECT 'X' || g, name || g, level, category, '外市', ownership, founded, batch_id
    FROM schools, generate_series(1, 5) g WHERE school_id = 'S1';
INSERT INTO computed_school_years (run_id, school_id, year, data_version_id, model_version)
  SELECT run_id, 'X' || g, year, data_version_id, model_version
    FROM computed_school_years, generate_series(1, 5) g WHERE school_id = 'S1';
INSERT INTO indicator_values (run_id, school_id, year, layer, unit, indicator_id, value, numerator, denominator, n,
                              level, model_version, data_version_id)
  SELECT run_id, 'X' || g, year, layer, unit, indicator_id, value + g, numerator, denominator, n, level,
         model_version, data_version_id FROM indicator_values, generate_series(1, 5) g WHERE school_id = 'S1';
"""


def test_peers_under_a_users_role_come_from_the_database_anonymous_and_in_groups_of_5(granted):
    from workflow_world import USERS

    from diagnostics.reports import StoreSource
    from diagnostics.store.rls_sql import run_script

    world, roles = granted
    with world.engine.begin() as conn:  # five more schools of S1's level (in another city): a group of ≥ 5
        run_script(conn, COPY_SQL)
    try:
        engine = connect_as(world, roles["wang"])
        try:
            peers = StoreSource(engine, USERS["wang"]).province_values("school")
        finally:
            engine.dispose()
        ids = set(peers["school_id"])
        assert "S1" in ids and not ids & {"S2", "S3", *COPIES}  # no other school's id
        others = peers[peers["school_id"] != "S1"]
        assert others["school_id"].nunique() >= 5 and others["school_id"].str.startswith("peer-").all()
        assert others["city"].isna().all()  # school staff: no city of another school
        level = peers.loc[peers["school_id"] == "S1", "school_level"].iloc[0]
        assert (peers["school_level"] == level).all()  # S3's level has one school: not served at all
        assert peers.groupby("school_level")["school_id"].nunique().min() >= 5
    finally:
        with world.engine.begin() as conn:
            for table in ("indicator_values", "computed_school_years", "schools"):
                conn.execute(text(f"DELETE FROM {table} WHERE school_id = ANY(:x)"), {"x": COPIES})


def test_zhengai_db_grant_roles_revoke(tmp_path, capsys, monkeypatch):
    import stat

    from conftest import PgDatabase
    from import_helpers import as_account, run_cli

    from diagnostics.access import Access, Role, User
    from diagnostics.store import init_db, make_engine

    for var in ("JUPYTERHUB_USER", "ZHENGAI_USER", "ZHENGAI_SHARED"):
        monkeypatch.delenv(var, raising=False)
    sqlite = f"sqlite:///{tmp_path / 's.db'}"
    assert run_cli(capsys, sqlite, "init").code == 0
    assert run_cli(capsys, sqlite, "db", "grant").code == 2  # no roles on SQLite
    pg = PgDatabase()
    engine = make_engine(pg.url)
    try:
        init_db(engine)
        Access(engine, User("admin", Role.PROVINCE)).add_user("wang", "school", school_id="S1")
        Access(engine, User("admin", Role.PROVINCE)).add_user("prov", "province")
        as_account(monkeypatch, "wang")
        refused = run_cli(capsys, pg.url, "db", "grant")
        assert refused.code == 2 and "province officer" in refused.err
        as_account(monkeypatch, "prov")
        done = run_cli(capsys, pg.url, "db", "grant", "--passwords", str(tmp_path / "pw"), "--format", "csv")
        assert done.code == 0, done.err
        assert "wang" in done.out and "_u_wang" in done.out
        url_file = tmp_path / "pw" / "wang.url"
        assert stat.S_IMODE(url_file.stat().st_mode) == 0o600
        user_engine = make_engine(url_file.read_text().strip())
        with user_engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar_one().endswith("_u_wang")
        user_engine.dispose()
        listed = run_cli(capsys, pg.url, "db", "roles")
        assert listed.code == 0 and "prov" in listed.out and "school" in listed.out
        gone = run_cli(capsys, pg.url, "db", "revoke")
        assert gone.code == 0 and "7" in gone.out  # 2 login roles and 5 groups
    finally:
        privileges.revoke(engine)
        engine.dispose()
        pg.drop()


@pytest.mark.parametrize("who", ["wang", "zhou", "exp1", "res"])
def test_each_role_resolves_its_own_user_and_no_one_elses(granted, who):
    from workflow_world import USERS

    from diagnostics.access import resolve_user

    world, roles = granted
    engine = connect_as(world, roles[who])
    try:
        user = resolve_user(engine, who)
        assert (user.role, user.school_id, user.city, user.schools) == (
            USERS[who].role, USERS[who].school_id, USERS[who].city, USERS[who].schools)
        with engine.connect() as conn:
            names = set(conn.execute(text("SELECT user_name FROM users")).scalars())
        assert who in names and not names & {"li", "exp2", "prov"} - {who}
    finally:
        engine.dispose()


def test_a_school_role_imports_its_own_school_through_the_policies(granted, tmp_path):
    from workflow_world import USERS

    from diagnostics.access import Access
    from diagnostics.store import init_db

    world, roles = granted
    own = tmp_path / "own"
    own.mkdir()
    for csv in world.changed.glob("*.csv"):  # the changed data (a teacher of S1 differs), S1's rows only
        lines = csv.read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if line.startswith("S1,")]
        (own / csv.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    versions = "SELECT school_id, count(*) FROM data_versions GROUP BY 1"
    with world.engine.connect() as owner:
        before = dict(owner.execute(text(versions)).all())
    engine = connect_as(world, roles["wang"])
    try:
        init_db(engine)  # `zhengai import` migrates first: on a user's role that is a no-op, not an error
        result = Access(engine, USERS["wang"]).import_data(own)
        assert result.ok, result.to_text()
        assert {s for s, _, _ in result.summary.new_versions} == {"S1"}
    finally:
        engine.dispose()
    with world.engine.connect() as owner:  # written under the policies (INSERT, not COPY), S2 untouched
        after = dict(owner.execute(text(versions)).all())
    assert after["S1"] == before["S1"] + len(result.summary.new_versions) and after["S2"] == before["S2"]


@pytest.mark.parametrize("who", sorted(REACH))
def test_import_batches_are_seen_only_by_those_who_see_what_they_wrote(granted, who):
    """A batch has no school of its own: a role sees it when it sees a school-year or school it wrote, or
    made it; a batch of another school's file (here one that wrote nothing yet) stays hidden."""
    world, roles = granted
    reach, _outside = REACH[who]
    with world.engine.begin() as owner:
        hidden = owner.execute(text(
            "INSERT INTO import_batches (imported_by, imported_at, source_name, source_sha256, row_counts, "
            "versions_created) VALUES ('someone else', now(), 'S2-secret.zip', 'x', '{}', 0) RETURNING id")
        ).scalar_one()
        wrote = {b: set(s) for b, s in owner.execute(text(
            "SELECT batch_id, array_agg(DISTINCT school_id) FROM data_versions GROUP BY 1")).all()}
    engine = connect_as(world, roles[who])
    try:
        with engine.connect() as conn:
            seen = set(conn.execute(text("SELECT id FROM import_batches")).scalars())
            sees_all = conn.execute(text("SELECT zhengai_sees_all(current_user::text)")).scalar_one()
    finally:
        engine.dispose()
        with world.engine.begin() as owner:
            owner.execute(text("DELETE FROM import_batches WHERE id = :i"), {"i": hidden})
    if sees_all:
        assert hidden in seen and set(wrote) <= seen
        return
    assert hidden not in seen
    assert {b for b, schools in wrote.items() if schools & reach} <= seen
    assert all(wrote.get(b, set()) & reach for b in seen), "a batch of only other schools' data was seen"


@pytest.mark.parametrize("who", ["prov", *sorted(REACH)])
def test_only_the_province_reads_which_schools_a_compute_run_covered(granted, who):
    """A run has no school of its own, but its scope names every school-year it recomputed (whose data
    changed when): staff roles read a run's id, times and model version; its scope only the province."""
    world, roles = granted
    engine = connect_as(world, roles[who])
    try:
        with engine.connect() as conn:
            runs = conn.execute(text("SELECT id, started_at, finished_at, model_version FROM compute_runs")).all()
            sees_all = conn.execute(text("SELECT zhengai_sees_all(current_user::text)")).scalar_one()
        assert sees_all == (who == "prov")
        if sees_all:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(scope) FROM compute_runs")).scalar_one() == len(runs)
        else:
            with pytest.raises(DBAPIError, match="permission denied"), engine.connect() as conn:
                conn.execute(text("SELECT scope FROM compute_runs"))
    finally:
        engine.dispose()
    assert len(runs) >= 1
