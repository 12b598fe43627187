"""Re-checking an improvement task with the next year's indicator value.

A task set in year Y about an indicator is judged on the value of year Y+1:

* with a target (the task's own, else the school's effective target for Y+1,
  else for Y): *reached* when the value is at or beyond the target in the
  indicator's direction, otherwise *not reached*;
* without a target: *improved* when the value moved from the year-Y value in
  the indicator's direction, otherwise *not improved*.

Without a Y+1 value, a known direction, or (for the second rule) a Y value
there is no verdict yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

REACHED, NOT_REACHED, IMPROVED, NOT_IMPROVED = "reached", "not_reached", "improved", "not_improved"
VERDICTS: dict[str, str] = {
    REACHED: "达标 / reached",
    NOT_REACHED: "未达标 / not reached",
    IMPROVED: "已改善 / improved",
    NOT_IMPROVED: "未改善 / not improved",
}
POSITIVE = (REACHED, IMPROVED)
DIRECTIONS = ("higher", "lower")


def _known(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class Recheck:
    """What a re-check compared, and its verdict (None: not decidable yet)."""

    year: int
    value: float | None
    target: float | None
    baseline: float | None
    verdict: str | None


def verdict(value: float | None, target: float | None, baseline: float | None,
            direction: str | None) -> str | None:
    """The verdict for a value against a target, or against the baseline when there is no target.

    >>> verdict(0.92, 0.90, 0.85, "higher"), verdict(18.0, 16.0, 20.0, "lower")
    ('reached', 'not_reached')
    >>> verdict(0.88, None, 0.85, "higher"), verdict(0.85, None, 0.85, "higher")
    ('improved', 'not_improved')
    """
    if not _known(value) or direction not in DIRECTIONS:
        return None
    sign = 1.0 if direction == "higher" else -1.0
    if _known(target):
        return REACHED if sign * (value - target) >= 0 else NOT_REACHED
    if _known(baseline):
        return IMPROVED if sign * (value - baseline) > 0 else NOT_IMPROVED
    return None


def recheck(year: int, value: float | None, target: float | None, baseline: float | None,
            direction: str | None) -> Recheck:
    """Bundle a re-check of ``year`` (the year after the task's)."""
    clean = [float(x) if _known(x) else None for x in (value, target, baseline)]
    return Recheck(year, *clean, verdict(*clean, direction))
