"""全省监测 Province monitor: all schools × indicators, levels, cards, ranking, cities, medians."""

from __future__ import annotations

from typing import Any

from .model import ProvinceModel
from .view import ProvinceView


def create(ctx: Any = None, **choices: Any) -> ProvinceView:  # noqa: ANN401
    """The dashboard (model and view); ``choices``: ``year``, ``indicators``."""
    return ProvinceView(ProvinceModel(ctx, **choices))


__all__ = ["ProvinceModel", "ProvinceView", "create"]
