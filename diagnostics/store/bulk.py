"""Moving many rows between pandas and the store the fastest way each back end offers.

``bulk_insert`` writes with ``COPY`` on PostgreSQL (psycopg 3; the data built a column at a time by
:mod:`.copytext`; ``INSERT`` under a user's own role, where row-level security forbids ``COPY FROM``) and a raw DBAPI
``executemany`` on SQLite, inside the caller's transaction; ``read_frame`` builds
a frame from a query's rows without SQLAlchemy's per-row objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, Date, Table, insert
from sqlalchemy.sql import Executable

from .copytext import copy_text


def column_values(frame: pd.DataFrame, column: str) -> list:
    """One column as plain Python values, missing as None."""
    if column not in frame:
        return [None] * len(frame)
    col = frame[column]
    obj = col.astype(object)
    values = obj.where(obj.notna(), None).tolist()
    if col.dtype == object:
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
    return values


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of plain Python values, missing as None."""
    if not columns:
        return []
    values = [column_values(frame, c) for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)]


def bulk_insert(conn: Connection, table: Table, columns: list[str], frame: pd.DataFrame) -> None:
    """Insert the ``columns`` of ``frame`` into ``table`` (COPY on PostgreSQL, raw executemany on SQLite)."""
    bulk_insert_chunks(conn, table, columns, [frame])


def bulk_insert_chunks(conn: Connection, table: Table, columns: list[str], frames: Iterable[pd.DataFrame]) -> int:
    """Insert the ``columns`` of each frame into ``table``, on PostgreSQL in one COPY (formatting a frame
    while the server stores the previous one); the number of rows inserted."""
    frames = (f for f in frames if len(f))
    first = next(frames, None)
    if first is None:
        return 0
    frames = itertools.chain([first], frames)
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _pg_insert(conn, table, columns, frames)
    rows = 0
    for frame in frames:
        values = [column_values(frame, c) for c in columns]
        if dialect.name == "sqlite":
            for i, c in enumerate(columns):
                if isinstance(table.c[c].type, Date):  # stored as ISO text, as SQLAlchemy does on SQLite
                    iso: dict[object, str] = {}  # dates repeat: format each once
                    values[i] = [None if v is None else iso[v] if v in iso else iso.setdefault(v, v.isoformat())
                                 for v in values[i]]
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            conn.exec_driver_sql(sql, list(zip(*values)))
        else:
            conn.execute(insert(table), [dict(zip(columns, row)) for row in zip(*values)])
        rows += len(frame)
    return rows


def _pg_insert(conn: Connection, table: Table, columns: list[str], frames: Iterable[pd.DataFrame]) -> int:
    """COPY the rows as text built a column at a time (:mod:`.copytext`; row by row for a frame where that
    cannot write a column exactly), sent by psycopg's writer thread; INSERT under a user's own role."""
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    rows = 0
    with conn.connection.driver_connection.cursor() as cursor:
        if not copy_allowed(conn):  # a user's own role: PostgreSQL refuses COPY FROM under row-level security
            for frame in frames:
                cursor.executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES "
                                   f"({', '.join(['%s'] * len(columns))})",
                                   list(zip(*(column_values(frame, c) for c in columns))))
                rows += len(frame)
            return rows
        with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN",
                         writer=QueuedLibpqWriter(cursor)) as copy:
            for frame in frames:
                data = copy_text(frame, columns)
                if data is not None:
                    copy.write(data)
                else:
                    for row in zip(*(column_values(frame, c) for c in columns)):
                        copy.write_row(row)
                rows += len(frame)
    return rows


def copy_allowed(conn: Connection) -> bool:
    """Whether ``COPY FROM`` may write here: not under row-level security (the store's owner); kept per
    database connection."""
    info = conn.connection.info
    if "zhengai_copy" not in info:
        from .privileges import restricted

        info["zhengai_copy"] = not restricted(conn)
    return bool(info["zhengai_copy"])


def read_frame(conn: Connection, query: Executable, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of ``query`` as a frame (columns: ``columns`` or the query's own names).

    The values are the DBAPI's own, without SQLAlchemy's result processing: numbers and text
    as they are, but a ``Date`` column comes back as ISO text on SQLite.  Meant for the large
    numeric reads of the engine and the warnings; read dates through ``pd.read_sql``."""
    result = conn.execute(query)
    names = columns or list(result.keys())
    cursor = getattr(result, "cursor", None)
    if cursor is not None:  # the DBAPI's plain tuples: no per-row Row objects for large results
        rows = cursor.fetchall()
        result.close()
    else:  # pragma: no cover - every back end we support has a cursor
        rows = [tuple(r) for r in result.fetchall()]
    return pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)
