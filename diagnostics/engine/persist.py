"""Reading the inputs of a compute from the store and writing its results back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Connection, Engine

from ..store.bulk import bulk_insert, read_frame
from ..store.results_schema import compute_runs, computed_school_years, indicator_values
from ..store.schema import DATA_TABLES, data_versions, schools
from .arith import VALUE_COLUMNS

PROVENANCE = ["run_id", "model_version", "data_version_id"]


def as_list(value: object) -> list | None:
    """``None``, one value, or several values as a list."""
    if value is None:
        return None
    if isinstance(value, str | int):
        return [value]
    return list(value)  # type: ignore[call-overload]


def current_versions(conn: Connection, school: object = None, year: object = None) -> pd.DataFrame:
    """The current data version of every school-year in scope: ``version_id, school_id, year``."""
    dv = data_versions
    query = sa.select(dv.c.id.label("version_id"), dv.c.school_id, dv.c.year).where(dv.c.is_current.is_(sa.true()))
    if (schools_ := as_list(school)) is not None:
        query = query.where(dv.c.school_id.in_([str(s) for s in schools_]))
    if (years := as_list(year)) is not None:
        query = query.where(dv.c.year.in_([int(y) for y in years]))
    return pd.DataFrame(conn.execute(query.order_by(dv.c.school_id, dv.c.year)).fetchall(),
                        columns=["version_id", "school_id", "year"])


def computed_state(conn: Connection, scope: pd.DataFrame) -> pd.DataFrame:
    """For each school-year of ``scope``: the data and model version its latest values come from."""
    csy = computed_school_years
    latest = (sa.select(csy.c.school_id, csy.c.year, sa.func.max(csy.c.run_id).label("run_id"))
              .where(csy.c.school_id.in_(scope["school_id"].unique().tolist()))
              .group_by(csy.c.school_id, csy.c.year).subquery())
    query = (sa.select(csy.c.school_id, csy.c.year, csy.c.data_version_id, csy.c.model_version)
             .join(latest, sa.and_(csy.c.run_id == latest.c.run_id, csy.c.school_id == latest.c.school_id,
                                   csy.c.year == latest.c.year)))
    return pd.DataFrame(conn.execute(query).fetchall(),
                        columns=["school_id", "year", "data_version_id", "model_version"])


def school_info(conn: Connection) -> pd.DataFrame:
    """Every school's ``school_id, name, level, category, city, founded``."""
    rows = conn.execute(sa.select(schools.c.school_id, schools.c.name, schools.c.level, schools.c.category,
                                  schools.c.city, schools.c.founded))
    return pd.DataFrame(rows.fetchall(), columns=["school_id", "name", "level", "category", "city", "founded"])


def read_targets(conn: Connection, version_ids: Iterable[int]) -> pd.DataFrame:
    """The schools' own targets (``targets`` table) in the given current data versions."""
    t = DATA_TABLES["targets"]
    query = (sa.select(data_versions.c.school_id, data_versions.c.year, t.c.indicator_id, t.c.program_code,
                       t.c.teacher_key, t.c.target)
             .join(data_versions, t.c.version_id == data_versions.c.id)
             .where(data_versions.c.is_current.is_(sa.true()), data_versions.c.id.in_(list(version_ids))))
    return pd.DataFrame(conn.execute(query).fetchall(),
                        columns=["school_id", "year", "indicator_id", "program_code", "teacher_key", "target"])


WRITE_CACHE_KIB = -262_144  # 256 MiB (negative: KiB), allocated only as pages are used
WRITE_CHUNK = 100_000  # value rows converted to Python values and sent per bulk insert
STORED_VALUE_COLUMNS = ["run_id", *VALUE_COLUMNS, "level", "model_version", "data_version_id"]


@contextmanager
def _write_cache(conn: Connection, rows: int) -> Iterator[None]:
    """On SQLite, a larger page cache while a large run is written: with the default 2 MB the
    transaction spills and rewrites the same B-tree pages to the WAL again and again."""
    if conn.dialect.name != "sqlite" or rows < WRITE_CHUNK:
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size={WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def start_run(conn: Connection, model_version: str, scope: dict, started: datetime) -> int:
    """Record a compute run (not yet finished); return its id."""
    return int(conn.execute(compute_runs.insert().values(
        started_at=started, model_version=model_version,
        scope=json.dumps(scope, ensure_ascii=False))).inserted_primary_key[0])


def write_values(conn: Connection, run_id: int, model_version: str, values: pd.DataFrame,
                 computed: pd.DataFrame) -> None:
    """Store a run's school-years and values and mark it finished.  Readers find a school-year's
    values through ``computed_school_years``, written in the same transaction as the values."""
    bulk_insert(conn, computed_school_years, ["run_id", "school_id", "year", "data_version_id", "model_version"],
                computed.assign(run_id=run_id, model_version=model_version))
    with _write_cache(conn, len(values)):
        for start in range(0, len(values), WRITE_CHUNK):
            bulk_insert(conn, indicator_values, STORED_VALUE_COLUMNS,
                        values.iloc[start:start + WRITE_CHUNK].assign(run_id=run_id))
    conn.execute(compute_runs.update().where(compute_runs.c.id == run_id)
                 .values(finished_at=datetime.now(UTC)))


def write_run(conn: Connection, model_version: str, scope: dict, started: datetime,
              values: pd.DataFrame, computed: pd.DataFrame) -> int:
    """Store one compute run: the school-years it computed and their values; return the run id."""
    run_id = start_run(conn, model_version, scope, started)
    write_values(conn, run_id, model_version, values, computed)
    return run_id


def current_values(engine: Engine | Connection, school: object = None, year: object = None,
                   layer: str | None = None, with_provenance: bool = False) -> pd.DataFrame:
    """The latest computed values: for each school-year, those of the latest run that computed it.

    ``school`` and ``year`` take one value or several.  Columns: ``school_id, year,
    layer, unit, indicator_id, value, numerator, denominator, n, level`` and, with
    ``with_provenance``, ``run_id, model_version, data_version_id``.
    """
    csy, iv = computed_school_years, indicator_values
    latest = sa.select(csy.c.school_id, csy.c.year, sa.func.max(csy.c.run_id).label("run_id"))
    if (schools_ := as_list(school)) is not None:
        latest = latest.where(csy.c.school_id.in_([str(s) for s in schools_]))
    if (years := as_list(year)) is not None:
        latest = latest.where(csy.c.year.in_([int(y) for y in years]))
    latest = latest.group_by(csy.c.school_id, csy.c.year).subquery()
    columns = [*VALUE_COLUMNS, "level", *(PROVENANCE if with_provenance else [])]
    query = (sa.select(*(iv.c[c] for c in columns))
             .join(latest, sa.and_(iv.c.run_id == latest.c.run_id, iv.c.school_id == latest.c.school_id,
                                   iv.c.year == latest.c.year)))
    if layer is not None:
        query = query.where(iv.c.layer == layer)
    query = query.order_by(iv.c.school_id, iv.c.year, iv.c.layer, iv.c.unit, iv.c.indicator_id)
    if isinstance(engine, Connection):
        return typed_values(read_frame(engine, query, columns))
    with engine.connect() as conn:
        return typed_values(read_frame(conn, query, columns))


def typed_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Values with stable dtypes on both back ends."""
    frame = frame.copy()
    for col in ("school_id", "layer", "unit", "indicator_id", "level"):
        frame[col] = frame[col].astype(object).fillna("").astype(str)
    frame["year"] = frame["year"].astype(int)
    for col in ("value", "numerator", "denominator"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce").astype("Int64")
    return frame
