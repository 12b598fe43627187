"""随机抽查 Spot checks: draw a reproducible sample, record what was found, see the estimated rates."""

from __future__ import annotations

from typing import Any

from .model import SpotCheckModel
from .view import SpotCheckView


def create(ctx: Any = None, **choices: Any) -> SpotCheckView:  # noqa: ANN401
    """The dashboard (model and view); ``choices``: ``year``, ``sample``."""
    return SpotCheckView(SpotCheckModel(ctx, **choices))


__all__ = ["SpotCheckModel", "SpotCheckView", "create"]
