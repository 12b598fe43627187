"""数据导入 Data import: upload, validate (located errors or the changes), import, recompute."""

from __future__ import annotations

from typing import Any

from .model import ImportModel
from .view import ImportView


def create(ctx: Any = None, **_choices: Any) -> ImportView:  # noqa: ANN401
    return ImportView(ImportModel(ctx))


__all__ = ["ImportModel", "ImportView", "create"]
