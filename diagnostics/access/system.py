"""Entry points for the platform's own jobs (warning engine, re-check), acting as the system user."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine

from .data import ValuesSource
from .door import Access
from .roles import SYSTEM_USER, User


def effective_targets(engine: Engine, school: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Targets and school standards per school, year, layer, unit and indicator (columns ``target``, ``standard``)."""
    return Access(engine, SYSTEM_USER).effective_targets(school, year)


def open_follow_ups(engine: Engine, school: str | None = None) -> pd.DataFrame:
    """Open follow-ups keyed by school, year, layer, unit, indicator_id and method."""
    return Access(engine, SYSTEM_USER).follow_ups(school, status="open")


def recheck_tasks(engine: Engine, values: pd.DataFrame | ValuesSource | None = None,
                  directions: Mapping[str, str] | None = None, school: str | None = None,
                  user: User | None = None) -> pd.DataFrame:
    """Re-check done tasks against next year's values (default: the indicator engine's current values)."""
    return Access(engine, user or SYSTEM_USER, values=values).recheck_tasks(school, directions)
