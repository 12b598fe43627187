"""遴选 Selection: the top schools on the composite management index, with rank intervals and weights."""

from __future__ import annotations

from typing import Any

from .model import SelectionModel
from .view import SelectionView


def create(ctx: Any = None, **choices: Any) -> SelectionView:  # noqa: ANN401
    """The dashboard (model and view); ``choices``: ``year``, ``top``."""
    return SelectionView(SelectionModel(ctx, **choices))


__all__ = ["SelectionModel", "SelectionView", "create"]
