"""指标模型 Indicator explorer: definitions and sources, distributions, correlations, trying a new one."""

from __future__ import annotations

from typing import Any

from .model import ExplorerModel
from .view import ExplorerView


def create(ctx: Any = None, **_choices: Any) -> ExplorerView:  # noqa: ANN401
    return ExplorerView(ExplorerModel(ctx))


__all__ = ["ExplorerModel", "ExplorerView", "create"]
