"""专家复核 Expert review: evidence, the school's own diagnosis, suggested scores, reviews."""

from __future__ import annotations

from typing import Any

from .model import ReviewModel
from .view import ReviewView


def create(ctx: Any = None, **choices: Any) -> ReviewView:  # noqa: ANN401
    """The dashboard (model and view); ``choices``: ``school``, ``year``."""
    return ReviewView(ReviewModel(ctx, **choices))


__all__ = ["ReviewModel", "ReviewView", "create"]
