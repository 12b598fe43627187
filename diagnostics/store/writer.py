"""Write validated status data as new versions of school-years, in one transaction.

For each school-year in the input the content of each table is hashed.  If it
equals the current version's, nothing is written.  Otherwise a new version is
made: the input's tables are inserted, the tables the input does not carry are
copied from the previous version, and the old version stays (``is_current``
false).  Re-importing the same data therefore changes nothing.

On PostgreSQL a table receiving at least as many rows as it holds is loaded in bulk-load mode
(:mod:`.bulkload`: its keys and indexes rebuilt after the COPY, still inside the one transaction).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Integer, insert, literal, select, update

from .bulk import bulk_insert_chunks, records
from .bulkload import bulk_load, vacuum_loaded
from .content import group_hashes
from .schema import DATA_TABLES, data_versions, import_batches, schools, stored_columns


@dataclass
class WriteSummary:
    """What an import wrote (or would write, for a dry run)."""

    batch_id: int | None = None
    new_versions: list[tuple[str, int, int]] = field(default_factory=list)  # school, year, version_no
    unchanged: list[tuple[str, int]] = field(default_factory=list)
    schools_added: list[str] = field(default_factory=list)
    schools_updated: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    #: every master-data field an import changed: (school, field, old, new); old is None for a new school
    school_changes: list[tuple[str, str, object, object]] = field(default_factory=list)
    #: tables written in bulk-load mode: vacuumed by whoever commits the import (:func:`.bulkload.vacuum_loaded`)
    bulk_loaded: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.new_versions or self.schools_added or self.schools_updated)

    def to_text(self) -> str:
        if not self.changed:
            return "数据与库中当前版本相同，未做任何更改 / identical to the current data: nothing changed"
        lines = [f"导入批次 batch {self.batch_id}: 新版本 {len(self.new_versions)} 个学校学年 / "
                 f"{len(self.new_versions)} new school-year version(s); 未变 unchanged {len(self.unchanged)}"]
        if self.schools_added or self.schools_updated:
            lines.append(f"学校 schools: 新增 added {len(self.schools_added)}, 更新 updated {len(self.schools_updated)}")
        lines += [f"  学校 school {s} {f}: {old} → {new}" for s, f, old, new in self.school_changes if old is not None]
        lines += [f"  {t}: {n} 行 rows" for t, n in self.rows.items()]
        return "\n".join(lines)


INSERT_CHUNK = 50_000  # rows formatted and sent at a time
SQLITE_CACHE_KIB = 256 * 1024


def _current_versions(conn: Connection, keys: set[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    out: dict[tuple[str, int], dict] = {}
    school_ids = sorted({s for s, _ in keys})
    for i in range(0, len(school_ids), 500):
        rows = conn.execute(select(data_versions).where(data_versions.c.is_current.is_(True),
                                                        data_versions.c.school_id.in_(school_ids[i:i + 500])))
        for r in rows.mappings():
            if (r["school_id"], r["year"]) in keys:
                out[(r["school_id"], r["year"])] = dict(r)
    return out


def _importer_name(imported_by: str | None) -> str:
    if imported_by:
        return imported_by
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "unknown"


@dataclass
class TableInput:
    """One table of an import: the content hash of each school-year and the typed rows, in chunks."""

    name: str
    hashes: dict[tuple[str, int], str]
    chunks: Callable[[], Iterable[pd.DataFrame]]  # may be called once per write
    rows: int


def table_input(name: str, frame: pd.DataFrame) -> TableInput:
    """A whole in-memory table as a :class:`TableInput`."""
    return TableInput(name, group_hashes(frame, stored_columns(name)), lambda: [frame], len(frame))


def write_import(engine: Engine, frames: dict[str, pd.DataFrame], source_name: str, source_sha256: str,
                 imported_by: str | None = None, dry_run: bool = False) -> WriteSummary:
    """Write typed, validated frames (``id_number`` already replaced) in one transaction."""
    tables = {name: table_input(name, f) for name, f in frames.items() if name != "schools"}
    return write_tables(engine, frames.get("schools"), tables, source_name, source_sha256, imported_by, dry_run)


def write_tables(engine: Engine, schools_frame: pd.DataFrame | None, tables: dict[str, TableInput],
                 source_name: str, source_sha256: str, imported_by: str | None = None,
                 dry_run: bool = False) -> WriteSummary:
    """Write validated tables given chunk by chunk, in one transaction (the streaming form of :func:`write_import`)."""
    summary = WriteSummary()
    groups: dict[tuple[str, int], dict[str, str]] = {}  # school-year -> {table: hash}
    for name, t in tables.items():
        for k, h in t.hashes.items():
            groups.setdefault(k, {})[name] = h
    now = dt.datetime.now(dt.UTC)
    counts = {t.name: t.rows for t in tables.values()}
    if schools_frame is not None:
        counts = {"schools": len(schools_frame), **counts}
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # index pages of big imports
        batch_id = None

        def batch() -> int:
            nonlocal batch_id
            if batch_id is None:
                batch_id = conn.execute(insert(import_batches).values(
                    imported_by=_importer_name(imported_by), imported_at=now, source_name=source_name,
                    source_sha256=source_sha256, row_counts=json.dumps(counts), versions_created=0,
                ).returning(import_batches.c.id)).scalar_one()
            return batch_id

        if schools_frame is not None:
            _write_schools(conn, schools_frame, summary, batch)
            _record_history(conn, summary.school_changes, _importer_name(imported_by), now, batch_id)
        current = _current_versions(conn, set(groups))
        new: dict[tuple[str, int], dict] = {}  # school-year -> the new data_versions row
        for k in sorted(groups):
            hashes, prev = groups[k], current.get(k)
            prev_hashes = json.loads(prev["table_hashes"]) if prev else {}
            if prev and all(prev_hashes.get(n) == h for n, h in hashes.items()):
                summary.unchanged.append(k)
                continue
            merged = json.dumps({**prev_hashes, **hashes}, sort_keys=True)
            new[k] = dict(school_id=k[0], year=k[1], version_no=(prev["version_no"] + 1) if prev else 1,
                          batch_id=batch(), content_sha256=hashlib.sha256(merged.encode()).hexdigest(),
                          table_hashes=merged, is_current=True, created_at=now)
            summary.new_versions.append((k[0], k[1], new[k]["version_no"]))
        if new:
            vids = _new_versions(conn, new, [current[k]["id"] for k in new if k in current], batch_id)
            for name, t in tables.items():
                inserted = _insert_rows(conn, name, t, vids, summary.bulk_loaded)
                if inserted:
                    summary.rows[name] = inserted
            for k in new:
                prev = current.get(k)
                if prev:
                    carried = set(json.loads(prev["table_hashes"])) - set(groups[k])
                    _carry_forward(conn, prev["id"], vids[k], carried)
        if batch_id is not None:
            conn.execute(update(import_batches).where(import_batches.c.id == batch_id)
                         .values(versions_created=len(summary.new_versions)))
        summary.batch_id = batch_id
        if dry_run:
            conn.rollback()
            summary.batch_id = None
            summary.bulk_loaded.clear()
    vacuum_loaded(engine, summary.bulk_loaded)  # committed here (not when the engine is a caller's transaction)
    return summary


def _new_versions(conn: Connection, new: dict[tuple[str, int], dict], old_ids: list[int],
                  batch_id: int | None) -> dict[tuple[str, int], int]:
    """Retire the previous versions, insert the new ones; their ids by school-year."""
    for i in range(0, len(old_ids), 500):
        conn.execute(update(data_versions).where(data_versions.c.id.in_(old_ids[i:i + 500]))
                     .values(is_current=False))
    conn.execute(insert(data_versions), list(new.values()))
    rows = conn.execute(select(data_versions.c.id, data_versions.c.school_id, data_versions.c.year)
                        .where(data_versions.c.batch_id == batch_id, data_versions.c.is_current.is_(True)))
    return {(r.school_id, r.year): r.id for r in rows if (r.school_id, r.year) in new}


def _insert_rows(conn: Connection, name: str, table: TableInput, vids: dict[tuple[str, int], int],
                 loaded: list[str]) -> int:
    """Insert the rows of table ``name`` that belong to a new school-year version (one COPY on PostgreSQL,
    in bulk-load mode when it at least doubles the table); the number of rows inserted.  (``name`` is the
    second argument: ``benchmarks/import_bench.py`` times each table by it.)  A table loaded in bulk-load
    mode is added to ``loaded``."""
    new = sum(k in vids for k in table.hashes)
    incoming = table.rows * new // len(table.hashes) if table.hashes else table.rows  # about
    with bulk_load(conn, DATA_TABLES[name], incoming) as bulk:
        if bulk:
            loaded.append(name)
        return bulk_insert_chunks(conn, DATA_TABLES[name], ["version_id", *stored_columns(name)],
                                  _new_rows(table.chunks(), vids))


def _new_rows(chunks: Iterable[pd.DataFrame], vids: dict[tuple[str, int], int]) -> Iterator[pd.DataFrame]:
    """The rows of each chunk that belong to a new school-year version, with its id, ``INSERT_CHUNK`` at a time."""
    for frame in chunks:
        if len(frame) == 0:
            continue
        keys = pd.MultiIndex.from_arrays([frame["school_id"].astype(str), frame["year"].astype("int64")])
        version = pd.Series(vids, dtype="float64").reindex(keys).to_numpy()  # NaN: an unchanged school-year
        keep = ~np.isnan(version)
        if not keep.any():
            continue
        rows = frame.loc[keep].assign(version_id=version[keep].astype(np.int64))
        for start in range(0, len(rows), INSERT_CHUNK):
            yield rows.iloc[start:start + INSERT_CHUNK]


def _carry_forward(conn: Connection, old_vid: int, new_vid: int, table_names: set[str]) -> None:
    """Copy the tables an import did not carry from the previous version."""
    for name in sorted(table_names):
        table = DATA_TABLES[name]
        cols = [c for c in table.columns if c.name != "version_id"]
        src = select(literal(new_vid, Integer), *cols).where(table.c.version_id == old_vid)
        conn.execute(insert(table).from_select(["version_id"] + [c.name for c in cols], src))


def _write_schools(conn: Connection, frame: pd.DataFrame, summary: WriteSummary, batch) -> None:  # noqa: ANN001
    columns = stored_columns("schools")
    existing = {r["school_id"]: dict(r) for r in conn.execute(select(schools)).mappings()}
    for row in records(frame, columns):
        old = existing.get(row["school_id"])
        if old is None:
            conn.execute(insert(schools).values(**row, batch_id=batch()))
            summary.schools_added.append(row["school_id"])
            summary.school_changes += [(row["school_id"], c, None, row[c]) for c in columns if c != "school_id"]
        elif any(old[c] != row[c] for c in columns):
            conn.execute(update(schools).where(schools.c.school_id == row["school_id"])
                         .values(**row, batch_id=batch()))
            summary.schools_updated.append(row["school_id"])
            summary.school_changes += [(row["school_id"], c, old[c], row[c]) for c in columns if old[c] != row[c]]


def _record_history(conn: Connection, changes: list[tuple[str, str, object, object]], by: str,
                    at: dt.datetime, batch_id: int | None) -> None:
    """Keep every change of a school's master data: who, when, the field, old and new (as text)."""
    from .history_schema import school_history

    if changes:
        conn.execute(insert(school_history), [
            {"school_id": s, "field": f, "old_value": None if old is None else str(old),
             "new_value": None if new is None else str(new), "changed_by": by, "changed_at": at,
             "batch_id": batch_id} for s, f, old, new in changes])
