"""The one scoped door to the store: :class:`Access`."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from .admin import AdminMixin
from .data import ValuesSource, make_values_source
from .follow_ups import FollowUpsMixin
from .narratives import NarrativesMixin
from .records import RecordsMixin
from .reporting import ReportingMixin
from .reviews import ReviewsMixin
from .roles import User
from .selection import SelectionMixin
from .spotchecks import SpotChecksMixin
from .surveys import SurveysMixin
from .tasks import TasksMixin
from .verdicts import VerdictsMixin


class Access(TasksMixin, ReviewsMixin, FollowUpsMixin, NarrativesMixin, RecordsMixin, AdminMixin,
             ReportingMixin, SpotChecksMixin, SelectionMixin, SurveysMixin, VerdictsMixin):
    """Every read and write of the apps, scoped to ``user``, audited and locked.

    ``values``: where indicator values come from (default: the indicator
    engine's ``current_values``); a frame or a function, for hand-made values.

    >>> from diagnostics.store import make_engine, init_db
    >>> from diagnostics.access import Access, User, Role
    >>> engine = make_engine("sqlite://"); _ = init_db(engine)
    >>> wang = Access(engine, User("wang", Role.SCHOOL, school_id="S1"))
    >>> task = wang.create_task("S1", 2024, "双师比例偏低", indicator_id="dual_qualified_share")
    >>> task = wang.update_task(task["id"], task["version"], status="in_progress", owner="教务处")
    >>> task["version"], task["status"]
    (2, 'in_progress')
    """

    def __init__(self, engine: Engine, user: User, values: pd.DataFrame | ValuesSource | None = None) -> None:
        super().__init__(engine, user)
        self.values_source = make_values_source(values) if isinstance(values, pd.DataFrame) else values

    def __repr__(self) -> str:
        return f"Access({self.user.name!r}, {self.user.role.value})"


def public_methods() -> dict[str, object]:
    """Every public method of :class:`Access` (the scope tests cover each one)."""
    return {name: getattr(Access, name) for name in dir(Access)
            if not name.startswith("_") and callable(getattr(Access, name))}
