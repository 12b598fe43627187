"""Errors of the access layer: each carries a Chinese and an English message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..workflow.errors import BilingualError, InvalidChange

__all__ = ["AccessError", "ConflictError", "InvalidChange", "NotFound", "PermissionDenied", "denied"]


class AccessError(BilingualError):
    """Base of the access layer's errors: ``zh`` and ``en`` say the same thing."""


class PermissionDenied(AccessError, PermissionError):
    """The user's role or scope does not reach this row or action."""


class NotFound(AccessError, LookupError):
    """No such row."""


class ConflictError(AccessError):
    """A save based on a stale version: nothing was written.

    ``current`` is the row as it is now in the database, ``attempted`` the
    change that was refused; the attempt is recorded in the audit log.
    """

    def __init__(self, entity: str, current: Mapping[str, Any], attempted: Mapping[str, Any],
                 expected_version: int | None) -> None:
        by, at, now = current.get("updated_by"), current.get("updated_at"), current.get("version")
        super().__init__(
            f"{entity} 已被 {by} 于 {at} 修改（当前版本 {now}，您编辑的是版本 {expected_version}），"
            "您的修改未保存。请查看当前内容后重新提交。",
            f"this {entity} was changed by {by} at {at} (now version {now}, you edited version "
            f"{expected_version}); your change was not saved. Review the current values and save again.",
        )
        self.entity = entity
        self.current = dict(current)
        self.attempted = dict(attempted)
        self.expected_version = expected_version


def denied(what_zh: str, what_en: str) -> PermissionDenied:
    return PermissionDenied(f"无权{what_zh}", f"not allowed to {what_en}")
