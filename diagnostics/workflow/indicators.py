"""What the improvement cycle needs to know about indicators: direction and Chinese names."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache


@cache
def models():  # noqa: ANN201
    """The indicator models of ``indicators/*.yaml`` (loaded once per process)."""
    from ..models import load_models

    return load_models()[0]


def directions() -> dict[str, str]:
    """Indicator id -> ``higher`` or ``lower`` (which way is better)."""
    return {i.id: "lower" if i.direction == "lower_is_better" else "higher" for i in models().indicators.values()}


def resolver() -> Callable[[str], str]:
    """A function giving the id of an indicator named by its id or its Chinese name (unknown: unchanged)."""
    loaded = models()
    return lambda name: loaded.resolve(name) or name
