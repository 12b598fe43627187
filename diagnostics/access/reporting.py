"""Who may produce the reports above a school: a city's report (设区市年度质量报告) and the public site (信息发布)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ..store.schema import schools
from .base import AccessBase, action
from .errors import NotFound, PermissionDenied
from .roles import Role


class ReportingMixin(AccessBase):
    """The city report is for the officers of that city and the province; publishing is the province's."""

    @action("city_report", "read")
    def city_schools(self, city: str) -> pd.DataFrame:
        """The schools of ``city`` (a city officer: only their own city)."""
        if self.user.role == Role.CITY and self.user.city != city:
            raise PermissionDenied(f"设区市 {city} 不在您的权限范围内（您负责 {self.user.city}）",
                                   f"city {city} is outside your scope (yours is {self.user.city})")
        with self.engine.connect() as conn:
            query = select(schools).where(schools.c.city == city).order_by(schools.c.school_id)
            frame = pd.read_sql(query, conn).drop(columns=["batch_id"])
        if frame.empty:
            raise NotFound(f"没有设区市 {city} 的学校", f"no school in city {city}")
        return frame

    @action("publish", "read")
    def public_schools(self) -> pd.DataFrame:
        """Every school, for the public site (信息发布): names and attributes only."""
        with self.engine.connect() as conn:
            return pd.read_sql(select(schools).order_by(schools.c.school_id), conn).drop(columns=["batch_id"])
