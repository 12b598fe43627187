"""Writing to PostgreSQL fast without giving anything up: COPY text built a column at a time
(:mod:`diagnostics.store.copytext`) stores exactly what the row-by-row path stores, and bulk-load mode
(:mod:`diagnostics.store.bulkload`) leaves exactly the indexes and constraints it found, on success and
after any error (everything inside the import's one transaction)."""

from __future__ import annotations

import contextlib
import datetime as dt
import math

import numpy as np
import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from diagnostics.store import bulk, bulkload, writer
from diagnostics.store.bulk import bulk_insert_chunks
from diagnostics.store.copytext import copy_text
from diagnostics.store.schema import DATA_TABLES, stored_columns

TEXTS = ["a,b", 'say "hi"', "tab\there", "line\nbreak\r\nend", "back\\slash \\N", "中文，逗号；引号“”",
         None, "", "\\N", "\\."]
KINDS = sa.Table(
    "copy_kinds", sa.MetaData(),
    sa.Column("i", sa.Integer, primary_key=True), sa.Column("text", sa.Text), sa.Column("short", sa.String(16)),
    sa.Column("n", sa.BigInteger), sa.Column("x", sa.Float), sa.Column("y", sa.Float), sa.Column("day", sa.Date),
    sa.Column("flag", sa.Boolean), sa.Column("plain_flag", sa.Boolean), sa.Column("absent", sa.Text),
)
DEFINITIONS = """
SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
UNION ALL
SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid) || ' ' || convalidated
  FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
ORDER BY 1, 2, 3"""


def kinds_frame() -> pd.DataFrame:
    n = len(TEXTS)
    return pd.DataFrame({
        "i": np.arange(n, dtype=np.int64),
        "text": pd.Series(TEXTS, dtype=object),
        "short": pd.Series(["k", None, "", "b\\c", "x\ty", "键", "z", None, "q", "r"], dtype="str"),
        "n": pd.array([1, None, -(2**63) + 1, 2**63 - 1, 0, -7, None, 42, 10**15, 3], dtype="Int64"),
        "x": pd.array([0.1 + 0.2, None, 1e-300, -0.0, 1 / 3, 1e300, 5e-324, math.inf, -math.inf, 2.5],
                      dtype="Float64"),
        "y": np.array([0.1, np.nan, 1e-300, 0.0, -1 / 3, 123456789.123456789, 1e16, 2.0**-1074, 7.0, -0.0]),
        "day": pd.Series([dt.date(2000, 2, 29), None, dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 1, 1),
                          dt.date(2000, 2, 29), None, dt.date(1970, 1, 1), dt.date(2024, 1, 1), dt.date(1999, 9, 9)],
                         dtype=object),
        "flag": pd.array([True, None, False, True, False, None, True, True, False, False], dtype="boolean"),
        "plain_flag": np.array([True, False] * (n // 2)),
    })


def stored(engine: sa.Engine, table: sa.Table) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    return [tuple(repr(v) if isinstance(v, float) else v for v in row) for row in rows]  # -0.0 is not 0.0


def expected_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    def plain(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, np.generic):
            value = value.item()
        return repr(value) if isinstance(value, float) else value

    return [tuple(plain(frame.at[i, c]) if c in frame else None for c in columns) for i in frame.index]


def test_copy_text_stores_every_column_kind_exactly(pg, monkeypatch):
    frame = kinds_frame()
    columns = [c.name for c in KINDS.columns]
    assert copy_text(frame, columns) is not None  # the column-at-a-time path, not the row fallback
    KINDS.create(pg)
    with pg.begin() as conn:
        assert bulk_insert_chunks(conn, KINDS, columns, [frame.iloc[:4], frame.iloc[4:]]) == len(frame)
    fast = stored(pg, KINDS)
    assert fast == expected_rows(frame, columns)
    with pg.begin() as conn:  # the same frame row by row (psycopg's own conversion) stores the same
        conn.execute(KINDS.delete())
        monkeypatch.setattr(bulk, "copy_text", lambda *_: None)
        bulk_insert_chunks(conn, KINDS, columns, [frame])
    assert stored(pg, KINDS) == fast


@pytest.mark.parametrize("column, values", [
    ("text", [1, "a"]),  # not all text: psycopg converts it
    ("text", ["a\0b", "c"]),  # PostgreSQL refuses a NUL: the row path says so
    ("day", [dt.datetime(2000, 1, 1, 12), None]),  # a datetime is a date too
])
def test_columns_it_cannot_write_exactly_go_row_by_row(column, values):
    frame = pd.DataFrame({"i": [1, 2], column: pd.Series(values, dtype=object)})
    assert copy_text(frame, ["i", column]) is None


def students(school: str, n: int, start: int = 0) -> pd.DataFrame:
    keys = [f"{school}-{start + i:06d}" for i in range(n)]
    return pd.DataFrame({
        "school_id": school, "year": pd.array([2024] * n, dtype="Int64"), "student_key": keys,
        "id_hash": [f"{hash(k) & 0xffffffff:064x}" for k in keys], "id_problem": [None, "checksum"] * (n // 2),
        "program_code": "460104", "entry_year": pd.array([2022] * n, dtype="Int64"), "status": "在籍",
        "study_mode": "全日制", "gender": ["男", "女"] * (n // 2), "birth_date": dt.date(2006, 5, 1),
    })


def definitions(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(DEFINITIONS))]


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


@pytest.fixture
def modes(monkeypatch):
    """Whether each table was loaded in bulk-load mode, in order; bulk-load mode from the first row."""
    seen: list[tuple[str, bool]] = []
    original = bulkload.bulk_load

    @contextlib.contextmanager
    def spy(conn, table, incoming):  # noqa: ANN001, ANN202
        with original(conn, table, incoming) as bulk_mode:
            seen.append((table.name, bulk_mode))
            yield bulk_mode

    monkeypatch.setattr(bulkload, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(writer, "bulk_load", spy)
    return seen


def test_bulk_load_into_an_empty_table_leaves_the_same_indexes_and_constraints(pg, modes):
    before = definitions(pg)
    assert any(name == "ix_students_person" for _, _, name, _ in before)
    assert not any(name == "ix_students_id_hash" for _, _, name, _ in before)  # migration 0012
    frame = students("S1", 200)
    writer.write_import(pg, {"students": frame}, "s.csv", "0" * 64)
    assert modes == [("students", True)]
    assert definitions(pg) == before
    columns = stored_columns("students")
    got = stored(pg, DATA_TABLES["students"])
    assert [row[1:] for row in got] == expected_rows(frame, columns)  # without the version id


def test_no_bulk_load_when_fewer_rows_come_than_the_table_holds(pg, modes):
    writer.write_import(pg, {"students": students("S1", 200)}, "a.csv", "0" * 64)
    writer.write_import(pg, {"students": students("S2", 100)}, "b.csv", "1" * 64)
    assert modes == [("students", True), ("students", False)]
    writer.write_import(pg, {"students": students("S3", 300)}, "c.csv", "2" * 64)  # 300 >= 300 there
    assert modes[-1] == ("students", True)
    assert count(pg, "students") == 600


def upkeep(engine: sa.Engine, table: str) -> tuple[int, int, int, int]:
    """Pages marked all-visible, pages, and the manual VACUUMs and ANALYZEs of ``table`` so far."""
    with engine.connect() as conn:
        return tuple(conn.execute(sa.text(
            "SELECT c.relallvisible, c.relpages, s.vacuum_count, s.analyze_count FROM pg_class c "
            "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass(:t)"), {"t": table}).one())


def test_a_table_loaded_in_bulk_is_vacuumed_and_analysed_once_committed(pg, modes):
    """Index-only scans need the pages marked all-visible and the planner needs statistics: without the
    vacuum the duplicate-person check read the heap and spilled its sort (15 s against 3.8 s at full size)."""
    writer.write_import(pg, {"students": students("S1", 3000)}, "a.csv", "0" * 64)
    assert modes == [("students", True)]
    all_visible, pages, vacuums, analyses = upkeep(pg, "students")
    assert pages > 1 and all_visible == pages and (vacuums, analyses) == (1, 1)
    writer.write_import(pg, {"students": students("S2", 100)}, "b.csv", "1" * 64)  # no bulk load: left to autovacuum
    assert modes[-1] == ("students", False)
    assert upkeep(pg, "students")[2:] == (1, 1)
    writer.write_import(pg, {"students": students("S3", 4000)}, "c.csv", "2" * 64, dry_run=True)
    assert modes[-1] == ("students", True) and upkeep(pg, "students")[2:] == (1, 1)  # rolled back: not vacuumed


@pytest.mark.parametrize("failure", ["copy", "rebuild"])
def test_an_error_rolls_back_the_rows_and_the_dropped_indexes(pg, modes, failure):
    writer.write_import(pg, {"students": students("S1", 20)}, "a.csv", "0" * 64)
    before, batches = definitions(pg), count(pg, "import_batches")
    frame = students("S2", 40)
    if failure == "copy":  # the server refuses a row in the middle of the COPY
        frame.loc[30, "student_key"] = "k" * 65
    else:  # a duplicate key: found when the primary key is built again
        frame.loc[30, "student_key"] = frame.loc[0, "student_key"]
    with pytest.raises((sa.exc.DBAPIError, psycopg.Error)):  # COPY runs on the driver's own cursor
        writer.write_import(pg, {"students": frame}, "b.csv", "1" * 64)
    assert modes[-1] == ("students", True)  # the indexes had been dropped
    assert definitions(pg) == before
    assert count(pg, "students") == 20 and count(pg, "import_batches") == batches
    assert count(pg, "data_versions") == 1


def test_a_users_own_role_writes_through_the_policies_without_bulk_load(tmp_path, modes):
    from sqlalchemy.engine import make_url
    from workflow_world import USERS, world_in

    from diagnostics.access import Access
    from diagnostics.store import privileges

    with world_in("postgresql", tmp_path) as world:
        roles = dict(privileges.grant(world.engine)[["user_name", "role"]].values)
        try:
            own = tmp_path / "own"
            own.mkdir()
            for csv in world.changed.glob("*.csv"):  # the changed data, S1's rows only
                lines = csv.read_text(encoding="utf-8").splitlines()
                kept = [lines[0]] + [line for line in lines[1:] if line.startswith("S1,")]
                (own / csv.name).write_text("\n".join(kept) + "\n", encoding="utf-8")
            before = definitions(world.engine)
            modes.clear()  # building the world was the owner's import
            engine = sa.create_engine(make_url(world.engine.url).set(username=roles["wang"], password=None))
            try:
                result = Access(engine, USERS["wang"]).import_data(own)
            finally:
                engine.dispose()
            assert result.ok, result.to_text()
            assert modes and not any(bulk_mode for _, bulk_mode in modes)
            assert definitions(world.engine) == before
        finally:
            privileges.revoke(world.engine)


def test_an_import_through_access_is_vacuumed_after_its_transaction_with_the_audit_commits(pg, modes, tmp_path):
    """Access writes the import and its audit rows in one transaction: the vacuum waits until that commits
    (run from inside it, it would wait on the import's own locks)."""
    from tiny_data import write_tiny
    from workflow_world import PROVINCE

    from diagnostics.access import Access

    assert Access(pg, PROVINCE).import_data(write_tiny(tmp_path / "tiny")).ok
    loaded = [name for name, bulk_mode in modes if bulk_mode]
    assert "students" in loaded
    for name in loaded:
        assert upkeep(pg, name)[2:] == (1, 1), name
    assert count(pg, "audit_log") > 0
