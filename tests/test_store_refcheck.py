"""An indicator value cannot point at a compute run or data version that does not exist, on both back ends
— on PostgreSQL checked a statement at a time (:mod:`diagnostics.store.refcheck_sql`), with the
guarantees of the foreign keys it replaces: the writing statement fails whole, a referenced parent can be
neither deleted, re-keyed nor truncated, and a parent cannot vanish under a transaction that is writing
values pointing at it."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa
from alembic import command

from diagnostics.engine.persist import STORED_VALUE_COLUMNS
from diagnostics.store import init_db
from diagnostics.store.bulk import bulk_insert
from diagnostics.store.db import alembic_config
from diagnostics.store.refcheck_sql import SET_CHECKED
from diagnostics.store.results_schema import indicator_values

NOW = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
#: SQLAlchemy's error, or psycopg's own from the COPY (which runs on the driver's cursor)
REFUSED = (sa.exc.IntegrityError, psycopg.errors.IntegrityError)


def _parents(conn: sa.Connection, number: int = 1) -> tuple[int, int]:
    """A compute run and a data version (with its import batch); their ids."""
    batch = conn.execute(sa.text(
        "INSERT INTO import_batches (imported_by, imported_at, source_name, source_sha256, row_counts, "
        "versions_created) VALUES ('t', :now, 'x.zip', 'ab', '{}', 1) RETURNING id"), {"now": NOW}).scalar_one()
    version = conn.execute(sa.text(
        "INSERT INTO data_versions (school_id, year, version_no, batch_id, content_sha256, table_hashes, "
        "is_current, created_at) VALUES ('S1', 2024, :no, :b, 'cd', '{}', true, :now) RETURNING id"),
        {"b": batch, "now": NOW, "no": number}).scalar_one()
    run = conn.execute(sa.text("INSERT INTO compute_runs (started_at, model_version, scope) "
                               "VALUES (:now, 'm', '{}') RETURNING id"), {"now": NOW}).scalar_one()
    return int(run), int(version)


def _values(run: int, version: int, rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"run_id": run, "school_id": "S1", "year": 2024, "layer": "school", "unit": "",
                         "indicator_id": [f"i{k}" for k in range(rows)], "value": 1.5, "numerator": 3.0,
                         "denominator": 2.0, "n": 2, "level": "", "model_version": "m",
                         "data_version_id": version})


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM indicator_values")).scalar_one()


@pytest.mark.parametrize("column", ["run_id", "data_version_id"])
def test_a_value_pointing_at_a_missing_parent_is_refused_and_nothing_of_the_statement_is_kept(engine, column):
    with engine.begin() as conn:
        run, version = _parents(conn)
        bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS, _values(run, version))
    bad = _values(run, version, rows=5)
    bad.loc[3, column] = 999_999  # one row of five points nowhere
    bad["indicator_id"] = [f"j{k}" for k in range(5)]
    with pytest.raises(REFUSED) as caught, engine.begin() as conn:
        bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS, bad)  # COPY on PostgreSQL
    assert "foreign key" in str(caught.value).lower()
    if engine.dialect.name == "postgresql":  # the same SQLSTATE and detail as PostgreSQL's own key check
        assert getattr(caught.value, "orig", caught.value).sqlstate == "23503"
        assert 'constraint "fk_indicator_values_' in str(caught.value)
        assert f"Key ({column})=(999999) is not present" in str(caught.value)
    assert _count(engine) == 3
    run_sql = "999999" if column == "run_id" else "run_id"
    version_sql = "999999" if column == "data_version_id" else "data_version_id"
    with pytest.raises(sa.exc.IntegrityError) as caught, engine.begin() as conn:  # a plain INSERT … SELECT too
        conn.execute(sa.text(f"INSERT INTO indicator_values (run_id, school_id, year, layer, unit, indicator_id, "
                             f"level, model_version, data_version_id) SELECT {run_sql}, school_id, year, layer, "
                             f"unit, indicator_id || 'k', level, model_version, {version_sql} FROM indicator_values"))
    assert "foreign key" in str(caught.value).lower()
    assert _count(engine) == 3


def test_a_parent_still_referenced_can_be_neither_deleted_nor_rekeyed(engine):
    with engine.begin() as conn:
        run, version = _parents(conn)
        spare_run, spare_version = _parents(conn, number=2)
        bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS, _values(run, version))
    for sql in (f"DELETE FROM compute_runs WHERE id = {run}", f"DELETE FROM data_versions WHERE id = {version}",
                f"UPDATE compute_runs SET id = 999999 WHERE id = {run}",
                f"UPDATE data_versions SET id = 999999 WHERE id = {version}"):
        with pytest.raises(sa.exc.IntegrityError) as caught, engine.begin() as conn:
            conn.execute(sa.text(sql))
        assert "foreign key" in str(caught.value).lower(), sql
    with engine.begin() as conn:  # unreferenced parents go; an update keeping the key is fine
        conn.execute(sa.text(f"UPDATE compute_runs SET model_version = 'm2' WHERE id = {run}"))
        conn.execute(sa.text(f"DELETE FROM compute_runs WHERE id = {spare_run}"))
        conn.execute(sa.text(f"DELETE FROM data_versions WHERE id = {spare_version}"))
    assert _count(engine) == 3


def test_on_postgresql_the_keys_are_checked_by_statement_triggers_not_row_by_row(pg):
    with pg.connect() as conn:
        keys = conn.execute(sa.text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = 'indicator_values'::regclass"
        )).scalars().all()
        triggers = set(conn.execute(sa.text(
            "SELECT tgrelid::regclass::text || ':' || tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    assert keys == []
    for child, column, parent, _ in SET_CHECKED:
        name = f"fk_{child}_{column}_{parent}"
        assert {f"{child}:{name}_ins", f"{child}:{name}_upd", f"{parent}:{name}_del", f"{parent}:{name}_upd",
                f"{parent}:{name}_trunc"} <= triggers


def test_on_postgresql_a_referenced_parent_cannot_be_truncated(pg):
    with pg.begin() as conn:
        run, version = _parents(conn)
        bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS, _values(run, version))
    for table in ("compute_runs", "data_versions"):
        with pytest.raises(sa.exc.NotSupportedError, match="cannot truncate"), pg.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {table}"))
    assert _count(pg) == 3


def test_on_postgresql_a_parent_cannot_vanish_under_a_transaction_writing_values_for_it(pg):
    """The statement check locks the parent rows it found (FOR KEY SHARE, as the row-by-row check does): a
    concurrent delete waits for the writer and then fails, instead of leaving values pointing nowhere."""
    with pg.begin() as conn:
        run, version = _parents(conn)
    outcome: dict[str, object] = {}
    writer = pg.connect()
    tx = writer.begin()
    bulk_insert(writer, indicator_values, STORED_VALUE_COLUMNS, _values(run, version))

    def delete() -> None:
        try:
            with pg.begin() as conn:
                conn.execute(sa.text(f"DELETE FROM compute_runs WHERE id = {run}"))
            outcome["deleted"] = True
        except sa.exc.DBAPIError as exc:
            outcome["error"] = exc

    other = threading.Thread(target=delete)
    other.start()
    other.join(timeout=2)
    assert other.is_alive(), "the delete did not wait for the transaction writing values for that run"
    tx.commit()
    writer.close()
    other.join(timeout=30)
    assert "deleted" not in outcome and "foreign key" in str(outcome["error"]).lower()
    assert _count(pg) == 3


def test_on_postgresql_migration_0014_goes_down_to_the_foreign_keys_and_up_again(pg):
    cfg = alembic_config(pg)
    with pg.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0013_batch_scope")
    query = ("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'indicator_values'::regclass")
    with pg.connect() as conn:
        assert conn.execute(sa.text(query)).scalar_one() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'fk_indicator_values%'"
                                    )).scalar_one() == 0
    init_db(pg)
    with pg.connect() as conn:
        assert conn.execute(sa.text(query)).scalar_one() == 0


def test_on_postgresql_a_role_without_rights_on_the_parents_is_checked_the_same(pg):
    """The trigger functions run as the store's owner (like PostgreSQL's own key checks): a role that may
    only insert values — no rights on the parents, no EXECUTE on the functions — is checked all the same
    (row-level security is bypassed for this role: the scope policies are another test's subject)."""
    with pg.begin() as conn:
        run, version = _parents(conn)
        role = conn.execute(sa.text("SELECT 'zhengai_t_writer_' || substr(md5(random()::text), 1, 8)")).scalar_one()
        conn.execute(sa.text(f"CREATE ROLE {role} NOLOGIN BYPASSRLS"))
        conn.execute(sa.text(f"GRANT INSERT ON indicator_values TO {role}"))
    try:
        with pg.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL ROLE {role}"))
            conn.execute(sa.insert(indicator_values), _values(run, version).to_dict("records"))
        with pytest.raises(sa.exc.IntegrityError, match="is not present in table"), pg.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL ROLE {role}"))
            conn.execute(sa.insert(indicator_values), _values(run, 999_999).assign(indicator_id="z").to_dict("records"))
        assert _count(pg) == 3
    finally:
        with pg.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))


def _scans(engine: sa.Engine, table: str) -> int:
    """Sequential plus index scans of ``table`` so far (statistics flushed first)."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                                    "WHERE relid = to_regclass(:t)"), {"t": table}).scalar_one()


def test_on_postgresql_an_update_keeping_the_parent_keys_does_not_read_the_values(pg):
    """Every import marks old versions not current and every compute marks its run finished: such updates
    keep the keys, so the check stops before reading the (growing) values table."""
    with pg.begin() as conn:
        run, version = _parents(conn)
        bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS, _values(run, version))
        conn.execute(sa.text("SELECT pg_stat_force_next_flush()"))
    before = _scans(pg, "indicator_values")
    with pg.begin() as conn:
        conn.execute(sa.text(f"UPDATE data_versions SET is_current = false WHERE id = {version}"))
        conn.execute(sa.text(f"UPDATE compute_runs SET finished_at = now() WHERE id = {run}"))
        conn.execute(sa.text("SELECT pg_stat_force_next_flush()"))
    assert _scans(pg, "indicator_values") == before
    with pytest.raises(sa.exc.IntegrityError), pg.begin() as conn:  # a key that goes is still looked up
        conn.execute(sa.text(f"UPDATE data_versions SET id = id + 1000 WHERE id = {version}"))
        conn.execute(sa.text("SELECT pg_stat_force_next_flush()"))
