"""Put hand-built status data into a test store without the importer.

>>> versions = load_frames(engine, {"teachers": teachers_df, "students": students_df},
...                        [{"school_id": "S1", "level": "高职", "category": "工科"}])   # doctest: +SKIP

One import batch per call; one new *current* data version per school-year found in
the frames (a school-year that already has a current version gets a new one and the
old one stops being current — so pass every table of that school-year again).
Columns a frame leaves out get neutral defaults (numbers 0, booleans false, codes
their field default or first code, key columns a unique ``k<row>``, nullable
columns empty), so a test states only what it is about.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import sqlalchemy as sa

from diagnostics.contract import BOOL, BY_NAME, CODE, DATE, FLOAT, INT, YEAR
from diagnostics.store.schema import DATA_TABLES, data_versions, import_batches, schools, stored_columns

SCHOOL_DEFAULTS = {"level": "高职", "category": "综合", "city": "测试市", "ownership": "公办", "founded": 2000}


def _default(table: str, column: str, i: int, year: int) -> object:
    ctable = BY_NAME[table]
    if column in ("id_hash", "id_problem"):
        return None
    field = ctable.field(column)
    if field.default is not None:
        return field.default
    if column in ctable.key:
        return f"k{i}"
    if field.nullable:
        return None
    return {INT: 0, FLOAT: 0.0, BOOL: False, YEAR: year, CODE: (field.codes or ("",))[0],
            DATE: dt.date(2000, 1, 1)}.get(field.kind, "")


def _rows(table: str, frame: pd.DataFrame, version_id: int, year: int) -> list[dict]:
    rows = []
    for i, record in enumerate(frame.to_dict("records")):
        row: dict = {"version_id": version_id}
        for column in stored_columns(table):
            if column == "year":
                row[column] = str(year)
            elif column in record and not (isinstance(record[column], float) and pd.isna(record[column])):
                value = record[column]
                row[column] = value.item() if hasattr(value, "item") else value
            else:
                row[column] = _default(table, column, i, year)
        rows.append(row)
    return rows


def load_frames(engine: sa.Engine, frames: dict[str, pd.DataFrame],
                school_rows: list[dict] | pd.DataFrame | None = None) -> dict[tuple[str, int], int]:
    """Insert ``frames`` as new current versions; return ``{(school_id, year): version_id}``."""
    now = dt.datetime.now(dt.UTC)
    school_records = (school_rows.to_dict("records") if isinstance(school_rows, pd.DataFrame)
                      else list(school_rows or []))
    school_years = sorted({(str(s), int(y)) for f in frames.values() if len(f)
                           for s, y in zip(f["school_id"], f["year"])})
    with engine.begin() as conn:
        batch_id = conn.execute(import_batches.insert().values(
            imported_by="tests", imported_at=now, source_name="tests/store_fixtures.py",
            source_sha256="0" * 64, row_counts=json.dumps({t: len(f) for t, f in frames.items()}),
            versions_created=len(school_years))).inserted_primary_key[0]
        known = {r.school_id for r in conn.execute(sa.select(schools.c.school_id))}
        given = {str(r["school_id"]): r for r in school_records}
        for school in sorted({s for s, _ in school_years} | set(given)):
            row = {**SCHOOL_DEFAULTS, "name": school, **given.get(school, {}), "school_id": school,
                   "batch_id": batch_id}
            if school in known:
                conn.execute(schools.update().where(schools.c.school_id == school).values(**row))
            else:
                conn.execute(schools.insert().values(**row))
        versions: dict[tuple[str, int], int] = {}
        for school, year in school_years:
            where = sa.and_(data_versions.c.school_id == school, data_versions.c.year == year)
            last = conn.execute(sa.select(sa.func.max(data_versions.c.version_no)).where(where)).scalar()
            conn.execute(data_versions.update().where(where).values(is_current=False))
            versions[(school, year)] = conn.execute(data_versions.insert().values(
                school_id=school, year=year, version_no=(last or 0) + 1, batch_id=batch_id,
                content_sha256="0" * 64, table_hashes="{}", is_current=True, created_at=now,
            )).inserted_primary_key[0]
        for table, frame in frames.items():
            for (school, year), part in frame.groupby([frame["school_id"].astype(str), frame["year"].astype(int)]):
                rows = _rows(table, part, versions[(school, year)], year)
                if rows:
                    conn.execute(DATA_TABLES[table].insert(), rows)
    return versions
