"""The audit log: who changed what, when, from what to what.  Append-only.

There is no function here (nor anywhere) that updates or deletes audit rows,
and the database refuses both (triggers of migration 0003).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, insert

from ..store.workflow_schema import audit_log

OK, CONFLICT = "ok", "conflict"


def _plain(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def to_json(row: Mapping[str, Any] | None) -> str | None:
    """A row as stable JSON text (dates ISO, keys sorted, Chinese kept readable)."""
    if row is None:
        return None
    return json.dumps(dict(row), default=_plain, ensure_ascii=False, sort_keys=True)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record(conn: Connection, actor: str, action: str, entity: str, entity_id: object,
           school_id: str | None, year: int | None, before: Mapping[str, Any] | None,
           after: Mapping[str, Any] | None, outcome: str = OK, message: str | None = None) -> None:
    """Append one audit row inside the caller's transaction."""
    conn.execute(insert(audit_log).values(
        at=now(), actor=actor, action=action, entity=entity,
        entity_id=None if entity_id is None else str(entity_id), school_id=school_id,
        year=None if year is None else int(year), outcome=outcome,
        before=to_json(before), after=to_json(after), message=message,
    ))
