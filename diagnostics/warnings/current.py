"""SQL views of the current data for the data checks, so they run inside the database.

The data checks (rules, integrity, completeness) read tables that can hold millions of rows (students,
graduates, internships); they are written as SQL over the current versions and return only what they
find.  Every row of a school-year carries the ``version_id`` of that school-year, so rows of two
tables of the same school-year meet on ``version_id`` — a primary-key prefix — and aggregates are
grouped by ``version_id`` before they meet the (small) ``data_versions`` table.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Integer, Select, Subquery, Table, cast, select

from ..store.bulk import read_frame as bulk_read_frame
from ..store.schema import DATA_TABLES, data_versions


def current_versions(school: str | None = None, year: int | None = None) -> Select:
    """SELECT ``version_id, school_id, year`` of the current school-year versions in scope."""
    dv = data_versions
    query = select(dv.c.id.label("version_id"), dv.c.school_id, cast(dv.c.year, Integer).label("year")).where(
        dv.c.is_current.is_(True))
    if school is not None:
        query = query.where(dv.c.school_id == school)
    if year is not None:
        query = query.where(dv.c.year == year)
    return query


def current_select(table: str, school: str | None = None, year: int | None = None) -> Select:
    """SELECT of the current rows of ``table``: ``version_id``, every stored column, ``year`` as integer."""
    t = DATA_TABLES[table]
    cols = [cast(c, Integer).label("year") if c.name == "year" else c for c in t.columns]
    query = (select(*cols).join(data_versions, data_versions.c.id == t.c.version_id)
             .where(data_versions.c.is_current.is_(True)))
    if school is not None:
        query = query.where(data_versions.c.school_id == school)
    if year is not None:
        query = query.where(data_versions.c.year == year)
    return query


def current(table: str, school: str | None = None, year: int | None = None, name: str | None = None) -> Subquery:
    """The current rows of ``table`` as a subquery (alias ``name``)."""
    return current_select(table, school, year).subquery(name or f"cur_{table}")


def raw(table: str, name: str) -> Table:
    """An alias of the stored table itself, for aggregates grouped by ``version_id``."""
    return DATA_TABLES[table].alias(name)


def read_frame(engine: Engine, query: Select) -> pd.DataFrame:
    """The rows of ``query`` as a frame."""
    with engine.connect() as conn:
        return bulk_read_frame(conn, query)
