"""Storing and reading flags; the peer groups schools choose.

The ``flags`` table holds the current flags: a new run of the warnings replaces the flags of the
school-years (and methods) it covers, tagging the new ones with the compute run they judged.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, and_, delete, insert, select

from ..store.flags_schema import flags as flags_table
from ..store.flags_schema import peer_groups
from .flags import FLAG_COLUMNS, evidence_json

STORED_COLUMNS = ["run_id", "computed_at", *FLAG_COLUMNS]


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, dict | list | str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def save_flags(engine: Engine, flags: pd.DataFrame, run_id: int | None, school: str | None = None,
               year: int | None = None, methods: Iterable[str] | None = None,
               computed_at: datetime | None = None) -> int:
    """Replace the stored flags in scope (school, year, methods) by ``flags``; return how many were written."""
    computed_at = computed_at or datetime.now(UTC)
    rows = []
    for rec in flags[FLAG_COLUMNS].to_dict("records"):
        row = {k: _plain(v) for k, v in rec.items() if k != "evidence"}
        row["evidence"] = evidence_json(rec["evidence"] if isinstance(rec["evidence"], dict) else {})
        rows.append({**row, "run_id": run_id, "computed_at": computed_at})
    scope = []
    if school is not None:
        scope.append(flags_table.c.school_id == school)
    if year is not None:
        scope.append(flags_table.c.year == year)
    if methods is not None:
        scope.append(flags_table.c.method.in_(list(methods)))
    with engine.begin() as conn:
        conn.execute(delete(flags_table).where(and_(True, *scope)))
        for i in range(0, len(rows), 5000):
            conn.execute(insert(flags_table), rows[i:i + 5000])
    return len(rows)


def load_flags(engine: Engine, school: str | None = None, year: int | None = None,
               method: str | None = None, run_id: int | None = None) -> pd.DataFrame:
    """Stored flags (:data:`STORED_COLUMNS`, ``evidence`` parsed back to a dict)."""
    query = select(*[flags_table.c[c] for c in STORED_COLUMNS])
    for column, value in (("school_id", school), ("year", year), ("method", method), ("run_id", run_id)):
        if value is not None:
            query = query.where(flags_table.c[column] == value)
    query = query.order_by(flags_table.c.id)
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    frame["evidence"] = [json.loads(e) if e else {} for e in frame["evidence"]]
    frame["year"] = pd.array(frame["year"], dtype="Int64")
    frame["n"] = pd.array(frame["n"], dtype="Int64")
    return frame


# --------------------------------------------------------------------------- peer groups
def set_peer_group(engine: Engine, school: str, peers: Iterable[str], chosen_by: str | None = None) -> list[str]:
    """Store the comparison schools ``school`` chose (replacing its earlier choice); [] clears it."""
    chosen = sorted({str(p) for p in peers} - {school})
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(delete(peer_groups).where(peer_groups.c.school_id == school))
        if chosen:
            conn.execute(insert(peer_groups), [
                {"school_id": school, "peer_school_id": p, "chosen_by": chosen_by or getpass.getuser(),
                 "chosen_at": now} for p in chosen])
    return chosen


def load_peer_groups(engine: Engine) -> dict[str, list[str]]:
    """Every chosen comparison group: school → its peers."""
    with engine.connect() as conn:
        rows = conn.execute(select(peer_groups.c.school_id, peer_groups.c.peer_school_id)).all()
    out: dict[str, list[str]] = {}
    for school, peer in rows:
        out.setdefault(school, []).append(peer)
    return {s: sorted(p) for s, p in out.items()}
