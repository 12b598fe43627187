"""Write validated status data as new versions of school-years, in one transaction.

For each school-year in the input the content of each table is hashed.  If it
equals the current version's, nothing is written.  Otherwise a new version is
made: the input's tables are inserted, the tables the input does not carry are
copied from the previous version, and the old version stays (``is_current``
false).  Re-importing the same data therefore changes nothing.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Integer, insert, literal, select, update

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
        lines += [f"  {t}: {n} 行 rows" for t, n in self.rows.items()]
        return "\n".join(lines)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of plain Python values, missing as None."""
    out = {}
    for c in columns:
        col = frame[c] if c in frame else pd.Series([None] * len(frame), index=frame.index)
        values = col.astype(object).to_numpy()
        mask = pd.isna(col).to_numpy()
        values = np.where(mask, None, values)
        out[c] = [v.item() if isinstance(v, np.generic) else v for v in values]
    return [dict(zip(columns, row)) for row in zip(*(out[c] for c in columns))] if columns else []


def _digest(frame: pd.DataFrame, columns: list[str], key: Iterable[str]) -> str:
    canon = frame.reindex(columns=columns).sort_values(list(key), kind="stable")
    text = canon.astype(object).where(canon.notna(), "").astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


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


def write_import(engine: Engine, frames: dict[str, pd.DataFrame], source_name: str, source_sha256: str,
                 imported_by: str | None = None, dry_run: bool = False) -> WriteSummary:
    """Write typed, validated frames (``id_number`` already replaced) in one transaction."""
    from ..contract import BY_NAME

    summary = WriteSummary()
    year_frames = {t: f for t, f in frames.items() if t != "schools"}
    groups: dict[tuple[str, int], dict[str, pd.DataFrame]] = {}
    for name, frame in year_frames.items():
        for (school, year), part in frame.groupby(["school_id", "year"], sort=True):
            groups.setdefault((str(school), int(year)), {})[name] = part
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        batch_id = None

        def batch() -> int:
            nonlocal batch_id
            if batch_id is None:
                counts = {t: int(len(f)) for t, f in frames.items()}
                batch_id = conn.execute(insert(import_batches).values(
                    imported_by=imported_by or getpass.getuser(), imported_at=now, source_name=source_name,
                    source_sha256=source_sha256, row_counts=json.dumps(counts), versions_created=0,
                ).returning(import_batches.c.id)).scalar_one()
            return batch_id

        if "schools" in frames:
            _write_schools(conn, frames["schools"], summary, batch)
        current = _current_versions(conn, set(groups))
        for (school, year), tables in groups.items():
            hashes = {name: _digest(f, stored_columns(name), BY_NAME[name].key) for name, f in tables.items()}
            prev = current.get((school, year))
            prev_hashes = json.loads(prev["table_hashes"]) if prev else {}
            if prev and all(prev_hashes.get(n) == h for n, h in hashes.items()):
                summary.unchanged.append((school, year))
                continue
            merged = {**prev_hashes, **hashes}
            version_no = (prev["version_no"] + 1) if prev else 1
            if prev:
                conn.execute(update(data_versions).where(data_versions.c.id == prev["id"]).values(is_current=False))
            vid = conn.execute(insert(data_versions).values(
                school_id=school, year=year, version_no=version_no, batch_id=batch(),
                content_sha256=hashlib.sha256(json.dumps(merged, sort_keys=True).encode()).hexdigest(),
                table_hashes=json.dumps(merged, sort_keys=True), is_current=True, created_at=now,
            ).returning(data_versions.c.id)).scalar_one()
            for name, frame in tables.items():
                rows = _records(frame, stored_columns(name))
                for r in rows:
                    r["version_id"] = vid
                conn.execute(insert(DATA_TABLES[name]), rows)
                summary.rows[name] = summary.rows.get(name, 0) + len(rows)
            if prev:
                _carry_forward(conn, prev["id"], vid, set(prev_hashes) - set(hashes))
            summary.new_versions.append((school, year, version_no))
        if batch_id is not None:
            conn.execute(update(import_batches).where(import_batches.c.id == batch_id)
                         .values(versions_created=len(summary.new_versions)))
        summary.batch_id = batch_id
        if dry_run:
            conn.rollback()
            summary.batch_id = None
    return summary


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
    for row in _records(frame, columns):
        old = existing.get(row["school_id"])
        if old is None:
            conn.execute(insert(schools).values(**row, batch_id=batch()))
            summary.schools_added.append(row["school_id"])
        elif any(old[c] != row[c] for c in columns):
            conn.execute(update(schools).where(schools.c.school_id == row["school_id"])
                         .values(**row, batch_id=batch()))
            summary.schools_updated.append(row["school_id"])
