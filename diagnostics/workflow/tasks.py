"""Improvement tasks (改进任务): statuses and the rules a change must follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .errors import InvalidChange

PLANNED, IN_PROGRESS, DONE, VERIFIED, DROPPED = "planned", "in_progress", "done", "verified", "dropped"
STATUSES: dict[str, str] = {
    PLANNED: "计划 / planned",
    IN_PROGRESS: "进行中 / in progress",
    DONE: "已完成 / done",
    VERIFIED: "已验证 / verified",
    DROPPED: "已放弃 / dropped",
}
RECHECKED = (DONE, VERIFIED)  # statuses whose indicator is re-checked with next year's values
SOURCES = ("warning", "manual")
EDITABLE = frozenset({"layer", "unit", "indicator_id", "method", "problem", "cause", "measure", "owner",
                      "deadline", "status", "drop_reason", "evidence", "baseline_value", "target_value"})


def _nan(value: object) -> bool:
    return isinstance(value, float) and value != value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_date(value: object) -> dt.date | None:
    """A deadline from a date, a datetime or ISO text (``2025-06-30``)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InvalidChange(f"期限 {value!r} 不是日期（YYYY-MM-DD）",
                            f"deadline {value!r} is not a date (YYYY-MM-DD)") from exc


def check_task(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes, normalised, if the resulting task is valid; else :class:`InvalidChange`.

    ``current`` is the stored row (empty for a new task).
    """
    out = {k: None if _nan(v) else v for k, v in changes.items()}  # a frame's missing value is None here
    if "deadline" in out:
        out["deadline"] = as_date(out["deadline"])
    merged = {**current, **out}
    if _blank(merged.get("problem")):
        raise InvalidChange("必须填写问题描述", "a task needs a problem description")
    status = merged.get("status")
    if status not in STATUSES:
        raise InvalidChange(f"未知状态 {status!r}，应为 {', '.join(STATUSES)}",
                            f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    if status == DROPPED and _blank(merged.get("drop_reason")):
        raise InvalidChange("放弃任务必须说明原因", "dropping a task needs a reason (drop_reason)")
    if status == VERIFIED and current.get("status") not in (DONE, VERIFIED):
        raise InvalidChange("只有已完成的任务才能验证", "only a done task can be verified")
    return out
