"""Bulk-load mode on PostgreSQL: build a data table's keys and indexes after a big COPY, not during it.

Maintaining a primary key, four or five B-trees and a foreign-key check for every copied row costs far
more than building them once over the loaded table (the 681,000 students of a province, measured
with psql: 18.8 s of COPY with them against 1.0 s of COPY into the bare table and 4.8 s of builds).  So, when an import brings at least as many rows to a data table as
it holds already (at least ``BULK_MIN_ROWS``), :func:`bulk_load` drops the table's foreign keys,
secondary indexes and primary key, lets the caller COPY, then re-creates them from the table's own
SQLAlchemy objects (:mod:`.schema`, ``flags_schema``) — the very definitions the migrations create — with
``maintenance_work_mem`` raised for the builds.  A duplicate key or a dangling version id fails the
rebuild as it would have failed the COPY.

Everything happens inside the import's one transaction: on any error the drops are rolled back with
the rows, and the store is as it was.  Only the store's owner may do this (a user's own role keeps
INSERT under row-level security and never reaches this path).

The price: from the first ``DROP`` until the import commits, the table is held ``ACCESS EXCLUSIVE``, so
other sessions' reads of that table wait for the import to finish, and ``data_versions`` is held
``SHARE ROW EXCLUSIVE`` (reads go on, other writers of versions wait).  That is acceptable because only
a load that at least doubles the table triggers it — a first import, or a province's data arriving at
once — when the table's previous content is a minority of what readers will see, and the import is
then several times shorter than with indexes kept.  Two imports loading the same table at the same
time may deadlock on the lock upgrade; PostgreSQL then aborts one, which rolls back whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import AddConstraint, Constraint, CreateIndex, DropConstraint, DropIndex

from .bulk import copy_allowed

BULK_MIN_ROWS = 20_000  # smaller loads keep the indexes: the rebuild would cost more than it saves
BUILD_MEMORY_KB = 256 * 1024  # maintenance_work_mem for the index builds (kB), unless set higher
LOG = logging.getLogger(__name__)


@contextmanager
def bulk_load(conn: Connection, table: Table, incoming: int) -> Iterator[bool]:
    """Around the COPY of about ``incoming`` rows into ``table``: drop and afterwards rebuild its keys and
    indexes when that pays (yields whether it does).  On an error in the block nothing is rebuilt: the
    transaction is to be rolled back, which restores them."""
    if not _pays(conn, table, incoming):
        yield False
        return
    foreign_keys = sorted(table.foreign_key_constraints, key=_name)
    indexes = sorted(table.indexes, key=_name)
    for fk in foreign_keys:
        conn.execute(DropConstraint(fk))
    for index in indexes:
        conn.execute(DropIndex(index))
    conn.execute(DropConstraint(table.primary_key))
    yield True
    memory = conn.execute(text("SELECT current_setting('maintenance_work_mem'), "
                               "setting::bigint FROM pg_settings WHERE name = 'maintenance_work_mem'")).one()
    if memory[1] < BUILD_MEMORY_KB:
        conn.execute(text("SELECT set_config('maintenance_work_mem', :m, true)"), {"m": f"{BUILD_MEMORY_KB}kB"})
    conn.execute(_add(table.primary_key))
    for index in indexes:
        conn.execute(CreateIndex(index))
    for fk in foreign_keys:
        conn.execute(_add(fk))
    conn.execute(text("SELECT set_config('maintenance_work_mem', :m, true)"), {"m": memory[0]})


def _pays(conn: Connection, table: Table, incoming: int) -> bool:
    """PostgreSQL, the store's owner, at least ``BULK_MIN_ROWS`` incoming and no more rows already there."""
    if conn.dialect.name != "postgresql" or incoming < BULK_MIN_ROWS:
        return False
    if not copy_allowed(conn):
        return False
    quoted = conn.dialect.identifier_preparer.quote(table.name)
    found = conn.execute(text("SELECT pg_has_role(current_user, relowner, 'USAGE'), reltuples FROM pg_class "
                              "WHERE oid = to_regclass(:t)"), {"t": quoted}).first()
    if found is None or not found[0]:  # only the table's owner (or a superuser) may drop its indexes
        return False
    estimate = found[1]
    if estimate > 2 * incoming:  # clearly bigger by the planner's count (-1: never counted)
        return False
    existing = conn.execute(text(f"SELECT count(*) FROM (SELECT 1 FROM {quoted} LIMIT :n) AS t"),
                            {"n": incoming + 1}).scalar_one()  # exact, and reads at most incoming + 1 rows
    return existing <= incoming


def _name(item: object) -> str:
    return str(getattr(item, "name", ""))


def _add(constraint: Constraint) -> AddConstraint:
    """``ALTER TABLE … ADD CONSTRAINT``, leaving the constraint part of the table's CREATE TABLE."""
    try:
        return AddConstraint(constraint, isolate_from_table=False)
    except TypeError:  # SQLAlchemy before 2.0.39 always isolates; no code here creates tables from the metadata
        return AddConstraint(constraint)


def vacuum_loaded(engine: object, tables: list[str]) -> None:
    """After the import that bulk-loaded ``tables`` (names) has committed: ``VACUUM (ANALYZE)`` them.

    Freshly copied pages are not yet marked all-visible, so until autovacuum comes by (minutes later) every
    index-only scan still visits the heap and the planner works from no statistics: the duplicate-person
    check after a province's first import took 15 s instead of 3.8 s (a sort spilled to disk instead of
    one pass over ``ix_students_person``).  The vacuum of a province's tables takes a few seconds, once.
    It runs outside the import's transaction (VACUUM cannot run inside one); a failure is logged and
    changes nothing (autovacuum will do it later).  Nothing is done when ``engine`` is not an
    :class:`~sqlalchemy.Engine` but a caller's open transaction (``access.data.InTransaction``): the rows are
    not committed yet, and a vacuum from another connection would wait for that transaction's locks; the
    caller calls this once it has committed."""
    if not tables or not isinstance(engine, Engine) or engine.dialect.name != "postgresql":
        return
    quote = engine.dialect.identifier_preparer.quote
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in tables:
                conn.execute(text(f"VACUUM (ANALYZE) {quote(name)}"))
    except DBAPIError as exc:  # the rows are committed; this is upkeep only
        LOG.warning("VACUUM after the bulk load failed (autovacuum will do it later): %s", exc)
