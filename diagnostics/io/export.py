"""``zhengai export``: the current data back out in the contract's format.

The clear ID number is never stored, so it cannot be exported: students carry
``id_hash`` and ``id_problem`` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from ..contract import TABLES
from ..store.files import private_file
from ..store.schema import DATA_TABLES, data_versions, schools, stored_columns
from .cells import harden, write_csv


def current_table(engine: Engine, name: str, school: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The rows of one table in the current versions (contract column order)."""
    if name == "schools":
        query = select(*[schools.c[c] for c in stored_columns("schools")])
        if school:
            query = query.where(schools.c.school_id == school)
    else:
        t = DATA_TABLES[name]
        query = (select(*[t.c[c] for c in stored_columns(name)])
                 .join(data_versions, data_versions.c.id == t.c.version_id)
                 .where(data_versions.c.is_current.is_(True)))
        if school:
            query = query.where(t.c.school_id == school)
        if year is not None:
            query = query.where(t.c.year == year)
    with engine.connect() as conn:
        return pd.read_sql(query, conn)


def export(engine: Engine, out: Path, fmt: str = "csv", school: str | None = None,
           year: int | None = None,
           read: Callable[[str, str | None, int | None], pd.DataFrame] | None = None) -> list[Path]:
    """Write every table (CSV folder, or one ``.xlsx`` when ``out`` ends so or fmt is xlsx).

    ``read(name, school, year)``: how a table is read (``zhengai export``: through the scoped door as
    the current user); default: straight from the store."""
    out = Path(out)
    read = read or (lambda name, s, y: current_table(engine, name, s, y))
    frames = {t.name: read(t.name, school, year) for t in TABLES}
    frames = {name: frame for name, frame in frames.items() if len(frame)}  # an empty table is not data
    if fmt == "xlsx" or out.suffix.lower() == ".xlsx":
        target = out if out.suffix.lower() == ".xlsx" else out / "status-data.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name, index=False)
            harden(writer.book)  # a name starting with = is text, never a live formula
        private_file(target)
        return [target]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        write_csv(frame, path, encoding="utf-8")
        private_file(path)
        written.append(path)
    return written
