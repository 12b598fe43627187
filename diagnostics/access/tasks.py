"""Improvement tasks (改进任务) and their re-check through the scoped door."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select

from ..store.workflow_schema import improvement_tasks
from ..workflow import tasks as rules
from ..workflow.indicators import directions as model_directions
from ..workflow.recheck import recheck
from ..workflow.targets import KEY, widen
from . import audit
from .base import Entity, Row, action
from .errors import ConflictError
from .targets import TargetsMixin

TASK = Entity("task", improvement_tasks, "改进任务", rules.EDITABLE)
RECHECK_COLUMNS = ["task_id", "school_id", "year", "layer", "unit", "indicator_id", "recheck_year", "value",
                   "target", "baseline", "verdict", "outcome"]
RECHECK_FIELDS = ("recheck_year", "recheck_value", "recheck_target", "recheck_baseline", "recheck_verdict")


def _lookup(frame: pd.DataFrame, column: str) -> dict[tuple, float]:
    """(school, year, layer, unit, indicator) -> value of ``column``."""
    if frame.empty:
        return {}
    keys = zip(frame["school_id"].astype(str), pd.to_numeric(frame["year"]).astype(int),
               frame["layer"].astype(str), frame["unit"].fillna("").astype(str), frame["indicator_id"].astype(str))
    return dict(zip(keys, pd.to_numeric(frame[column], errors="coerce")))


def _missing(value: object) -> bool:
    return value is None or value != value  # None or NaN


def _first(*values: float | None) -> float | None:
    return next((v for v in values if not _missing(v)), None)


class TasksMixin(TargetsMixin):
    """Create, change, list and re-check improvement tasks."""

    @action("read", "read")
    def tasks(self, school: str | None = None, year: int | None = None, status: str | None = None) -> pd.DataFrame:
        """The improvement tasks in scope (optionally of one school, year or status)."""
        t = improvement_tasks
        with self.engine.connect() as conn:
            query = self._select(t, self._schools_for(conn, school), year)
            if status is not None:
                query = query.where(t.c.status == status)
            return self._frame(conn, pd.read_sql(query.order_by(t.c.school_id, t.c.year, t.c.id), conn))

    @action("read", "read")
    def task(self, task_id: int) -> Row:
        """One task (with its ``version``, to be named when saving a change)."""
        return self._read_one(TASK, task_id)

    @action("edit_tasks", "write")
    def create_task(self, school_id: str, year: int, problem: str, *, layer: str = "school", unit: str = "",
                    indicator_id: str | None = None, method: str | None = None, source: str = "manual",
                    **fields: Any) -> Row:
        """A new task; ``fields``: cause, measure, owner, deadline, status, evidence, baseline_value, target_value."""
        self._editable(TASK, fields)
        values = {"school_id": school_id, "year": int(year), "layer": layer, "unit": unit,
                  "indicator_id": indicator_id, "method": method, "source": source, "problem": problem,
                  "status": rules.PLANNED, **fields}
        values = rules.check_task({}, values)
        return self._run(TASK, "create", lambda conn: self._create(conn, TASK, values))

    @action("edit_tasks", "write")
    def create_task_from_warning(self, warning: Mapping[str, Any] | Any, **fields: Any) -> Row:  # noqa: ANN401
        """A task for a warning or flag (its place, indicator and method; its message as the problem)."""
        w = dataclasses.asdict(warning) if dataclasses.is_dataclass(warning) else dict(warning)
        w = {k: None if _missing(v) else v for k, v in w.items()}  # a row of a frame: NaN is missing
        fields.setdefault("problem", w.get("message_zh") or w.get("message") or w.get("indicator_id"))
        fields.setdefault("baseline_value", w.get("observed", w.get("value")))
        return self.create_task(w["school_id"], w["year"], layer=w.get("layer") or "school",
                                unit=w.get("unit") or "", indicator_id=w.get("indicator_id"),
                                method=w.get("method"), source="warning", **fields)

    @action("edit_tasks", "write")
    def update_task(self, task_id: int, expected_version: int, **changes: Any) -> Row:
        """Change a task that is still at ``expected_version``; else :class:`ConflictError`."""
        self._editable(TASK, changes)
        return self._edit(TASK, task_id, expected_version, changes, check=rules.check_task)

    @action("edit_tasks", "write")
    def recheck_tasks(self, school: str | None = None,
                      directions: Mapping[str, str] | None = None) -> pd.DataFrame:
        """Re-check done tasks with the next year's indicator values; store and return the verdicts.

        ``outcome`` per task: ``stored`` (a new or changed verdict), ``unchanged``,
        ``pending`` (no value for the next year yet), ``undecided`` (no target,
        baseline or direction to judge by) or ``conflict`` (being edited; try later).
        """
        t = improvement_tasks
        with self.engine.connect() as conn:
            query = select(t).where(self._in(t.c.school_id, self._schools_for(conn, school)),
                                    t.c.status.in_(rules.RECHECKED), t.c.indicator_id.is_not(None))
            todo = pd.read_sql(query.order_by(t.c.id), conn)
        rows = []
        if not todo.empty:
            dirs = dict(directions) if directions is not None else model_directions()
            school_ids = sorted(todo["school_id"].astype(str).unique())
            values = _lookup(self._values(school_ids), "value")
            targets = _lookup(widen(self._targets_long(school_ids)), "target")
            rows = [self._recheck_one(task, values, targets, dirs) for task in todo.to_dict("records")]
        with self.engine.connect() as conn:
            return self._frame(conn, pd.DataFrame(rows, columns=RECHECK_COLUMNS))

    def _recheck_one(self, task: Row, values: dict, targets: dict, dirs: Mapping[str, str]) -> Row:
        key = tuple(str(task[k]) if k != "year" else int(task[k]) for k in KEY)
        nxt = (key[0], key[1] + 1, *key[2:])
        out = {"task_id": task["id"], **dict(zip(KEY, key)), "recheck_year": key[1] + 1}
        value = values.get(nxt)
        if _missing(value):
            return {**out, "outcome": "pending"}
        r = recheck(key[1] + 1, value, _first(task["target_value"], targets.get(nxt), targets.get(key)),
                    _first(task["baseline_value"], values.get(key)), dirs.get(key[4]))
        out.update(value=r.value, target=r.target, baseline=r.baseline, verdict=r.verdict)
        if r.verdict is None:
            return {**out, "outcome": "undecided"}
        found = dict(zip(RECHECK_FIELDS, (r.year, r.value, r.target, r.baseline, r.verdict)))
        if all(task[f] == v or (_missing(task[f]) and _missing(v)) for f, v in found.items()):
            return {**out, "outcome": "unchanged"}
        try:
            self._edit(TASK, task["id"], task["version"], {**found, "rechecked_at": audit.now()}, "recheck")
        except ConflictError:
            return {**out, "outcome": "conflict"}
        return {**out, "outcome": "stored"}
