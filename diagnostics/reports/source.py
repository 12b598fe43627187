"""Where a report's data comes from: the :class:`ReportSource` interface and its two implementations.

* :class:`StoreSource` reads the store through the scoped door (:class:`diagnostics.access.Access`):
  the schools, values, targets, tasks and programs of the user's scope.  Peer and province
  statistics need every school's values; they are read as the platform's system user and only
  aggregates of them (medians, quartiles, ranks) reach a school's report.
* :class:`FrameSource` serves frames held in memory (tests, what-if views, a notebook).

Frames and their columns:

==================  ===========================================================================
``schools``         school_id, name, level, category, city
values              school_id, year, layer, unit, indicator_id, value, numerator, denominator, n, level
``warnings``        one row per problem (:data:`diagnostics.warnings.rollup.WARNING_COLUMNS`)
``tasks``           improvement tasks (``diagnostics.store.workflow_schema.improvement_tasks``)
``targets``         school_id, year, layer, unit, indicator_id, target, standard
``programs``        school_id, year, program_code, program_name
``narratives``      school_id, year, section, text (the school's own text of its report)
==================  ===========================================================================

``province_values`` adds the school's attributes to each value: ``school_level, category, city`` and its
comparison group ``peer_group`` (the one definition, :mod:`diagnostics.warnings.peers`).  ``reported``
gives the school-years with status data (``school_id, year``), for the verdict's 未上报.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import Engine

from ..models.spec import ModelSet
from ..warnings.rollup import WARNING_COLUMNS, merge_warnings

SCHOOL_COLUMNS = ["school_id", "name", "level", "category", "city", "founded"]
VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator", "n",
                 "level"]
TARGET_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "target", "standard"]
PROGRAM_COLUMNS = ["school_id", "year", "program_code", "program_name"]
NARRATIVE_COLUMNS = ["school_id", "year", "section", "text"]
TASK_COLUMNS = ["id", "school_id", "year", "layer", "unit", "indicator_id", "problem", "cause", "measure", "owner",
                "deadline", "status", "baseline_value", "target_value", "recheck_year", "recheck_value",
                "recheck_verdict"]


@dataclass(frozen=True)
class VersionInfo:
    """The data behind the values: data version, model version, compute run; stale if data changed since."""

    data_version: str
    model_version: str = ""
    run_id: int | None = None
    stale: bool = False


class ReportSource(Protocol):
    """What the report builders read (see the module docstring for the frames' columns)."""

    models: ModelSet

    def schools(self) -> pd.DataFrame: ...

    def school_values(self, school: str) -> pd.DataFrame: ...

    def province_values(self, layer: str | None = "school") -> pd.DataFrame: ...

    def warnings(self, school: str | None = None, year: int | None = None) -> pd.DataFrame: ...

    def tasks(self, school: str) -> pd.DataFrame: ...

    def targets(self, school: str) -> pd.DataFrame: ...

    def programs(self, school: str, year: int) -> pd.DataFrame: ...

    def version(self, school: str | None, year: int) -> VersionInfo: ...

    def reported(self, school: str | None = None) -> pd.DataFrame: ...

    def narratives(self, school: str, year: int) -> pd.DataFrame: ...


def _with(frame: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """``frame`` (or an empty frame) with at least ``columns``."""
    frame = frame if frame is not None else pd.DataFrame()
    return frame.reindex(columns=list(dict.fromkeys([*columns, *frame.columns])))


@dataclass
class FrameSource:
    """A :class:`ReportSource` over frames in memory.

    >>> src = FrameSource(models, schools, values)        # doctest: +SKIP
    >>> gather_school(src, "S1", 2024)                    # doctest: +SKIP
    """

    models: ModelSet
    schools_frame: pd.DataFrame
    values: pd.DataFrame
    warnings_frame: pd.DataFrame | None = None
    tasks_frame: pd.DataFrame | None = None
    targets_frame: pd.DataFrame | None = None
    programs_frame: pd.DataFrame | None = None
    version_info: VersionInfo = field(default_factory=lambda: VersionInfo("内存数据"))
    narratives_frame: pd.DataFrame | None = None

    def schools(self) -> pd.DataFrame:
        return self.schools_frame.reindex(columns=SCHOOL_COLUMNS)

    def school_values(self, school: str) -> pd.DataFrame:
        return self.values[self.values["school_id"] == school].reset_index(drop=True)

    def province_values(self, layer: str | None = "school") -> pd.DataFrame:
        values = self.values if layer is None else self.values[self.values["layer"] == layer]
        return with_attributes(values, self.schools_frame)

    def warnings(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        frame = _with(self.warnings_frame, WARNING_COLUMNS)
        return _filter(frame, school, year)

    def tasks(self, school: str) -> pd.DataFrame:
        return _filter(_with(self.tasks_frame, TASK_COLUMNS), school, None)

    def targets(self, school: str) -> pd.DataFrame:
        return _filter(_with(self.targets_frame, TARGET_COLUMNS), school, None)

    def programs(self, school: str, year: int) -> pd.DataFrame:
        return _filter(_with(self.programs_frame, PROGRAM_COLUMNS), school, year)

    def version(self, school: str | None, year: int) -> VersionInfo:
        return self.version_info

    def reported(self, school: str | None = None) -> pd.DataFrame:
        """The school-years with values (frames in memory have no data versions)."""
        return _filter(self.values, school, None)[["school_id", "year"]].drop_duplicates().reset_index(drop=True)

    def narratives(self, school: str, year: int) -> pd.DataFrame:
        return _filter(_with(self.narratives_frame, NARRATIVE_COLUMNS), school, year)


def with_attributes(values: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """``values`` with each school's ``school_level, category, city`` and its comparison group
    ``peer_group`` (:mod:`diagnostics.warnings.peers`, decided over every school of ``schools``)."""
    from ..warnings import load_thresholds
    from ..warnings.peers import peer_groups

    attrs = schools.reindex(columns=["school_id", "level", "category", "city"]).astype({"school_id": str})
    groups = peer_groups(attrs, int(load_thresholds().value("peer.group_min_size")))
    attrs = attrs.merge(groups[["school_id", "peer_group"]], on="school_id", how="left")
    return values.merge(attrs.rename(columns={"level": "school_level"}), on="school_id", how="left")


def _filter(frame: pd.DataFrame, school: str | None, year: int | None) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if school is not None:
        keep &= frame["school_id"].astype(str) == str(school)
    if year is not None:
        keep &= pd.to_numeric(frame["year"], errors="coerce") == int(year)
    return frame[keep].reset_index(drop=True)


class StoreSource:
    """A :class:`ReportSource` over the store, read through :class:`~diagnostics.access.Access`.

    ``user`` defaults to the platform's current user (:func:`diagnostics.access.resolve_user`).
    Province-wide frames are read once and kept, so one source serves many school reports;
    :meth:`refresh` forgets them.
    """

    def __init__(self, engine: Engine, user: object = None, models: ModelSet | None = None) -> None:
        from ..access import SYSTEM_USER, Access, resolve_user

        if models is None:
            from ..models import load_models

            models, _issues = load_models()
        self.engine = engine
        self.models = models
        self.access = Access(engine, user if user is not None else resolve_user(engine))
        self._system = Access(engine, SYSTEM_USER)
        self._cache: dict[tuple, pd.DataFrame] = {}

    def refresh(self) -> None:
        """Forget the frames read so far (after an import, a compute or a warnings run)."""
        self._cache.clear()

    def _cached(self, key: tuple, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def schools(self) -> pd.DataFrame:
        return self._cached(("schools",), lambda: self.access.schools().reindex(columns=SCHOOL_COLUMNS))

    def _in_scope(self, school: str) -> None:
        from ..access import PermissionDenied

        if school not in set(self.schools()["school_id"].astype(str)):
            raise PermissionDenied(f"学校 {school} 不在您的权限范围内或不存在",
                                   f"school {school} is outside your scope or unknown")

    def school_values(self, school: str) -> pd.DataFrame:
        self._in_scope(school)
        return self.access.indicator_values(school)

    def province_values(self, layer: str | None = "school") -> pd.DataFrame:
        # Read as the system user: a school's report shows its position among all peers, as
        # aggregates only (medians, quartiles, ranks); the province report is for province users.
        # Under a user's own database role (row-level security) the database serves them instead:
        # schools outside the scope under opaque keys, none of a level of fewer than 5 schools.
        return self._cached(("province", layer), lambda: self._peer_values(layer))

    def _peer_values(self, layer: str | None) -> pd.DataFrame:
        from ..store.privileges import peer_values, restricted

        with self.engine.connect() as conn:
            if restricted(conn):
                frame = peer_values(conn, layer)
                attrs = (frame[["school_id", "school_level", "category", "city"]].drop_duplicates("school_id")
                         .rename(columns={"school_level": "level"}))
                return with_attributes(frame[VALUE_COLUMNS], attrs)
        return with_attributes(self._system.indicator_values(None, None, layer), self._system.schools())

    def warnings(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        from ..warnings.persist import load_flags

        if school is not None:
            self._in_scope(school)
        scope = set(self.schools()["school_id"].astype(str))

        def load() -> pd.DataFrame:
            flags = load_flags(self.engine, year=year)
            return merge_warnings(flags[flags["school_id"].astype(str).isin(scope)])

        frame = self._cached(("warnings", year), load)
        return _filter(frame, school, None)

    def tasks(self, school: str) -> pd.DataFrame:
        return self.access.tasks(school).reindex(columns=TASK_COLUMNS)

    def targets(self, school: str) -> pd.DataFrame:
        return self.access.effective_targets(school).reindex(columns=TARGET_COLUMNS)

    def programs(self, school: str, year: int) -> pd.DataFrame:
        return self.access.status_table("programs", school, year).reindex(columns=PROGRAM_COLUMNS)

    def version(self, school: str | list[str] | None, year: int) -> VersionInfo:
        if school is None:
            self.check_province_report()
        for one in [school] if isinstance(school, str) else school or []:
            self._in_scope(one)  # another school's version and import time are its data too
        return version_info(self.engine, school, year)

    def check_province_report(self) -> None:
        """The province report (ranks, scores, every city) is for city and province officers only."""
        from ..access import PermissionDenied, Role

        if self.access.user.role not in (Role.CITY, Role.PROVINCE):
            raise PermissionDenied("全省报告只供市级、省级管理员查看（学校用户请生成本校报告）",
                                   "the province report is for city and province officers only "
                                   "(school staff: make your school's report)")

    def reported(self, school: str | None = None) -> pd.DataFrame:
        if school is not None:
            self._in_scope(school)
        return self.access.reported_school_years(school)

    def narratives(self, school: str, year: int) -> pd.DataFrame:
        self._in_scope(school)
        return self.access.narratives(school, year).reindex(columns=NARRATIVE_COLUMNS)


def version_info(engine: Engine, school: str | list[str] | None, year: int) -> VersionInfo:
    """The data version behind the current values of a school-year (``school=None``: the province; a list:
    those schools, e.g. a city's)."""
    from ..store.results_schema import computed_school_years as csy
    from ..store.schema import data_versions as dv
    from ..store.schema import import_batches as ib

    latest = sa.select(csy.c.school_id, sa.func.max(csy.c.run_id).label("run_id")).where(csy.c.year == year)
    if isinstance(school, list):
        latest = latest.where(csy.c.school_id.in_(school))
    elif school is not None:
        latest = latest.where(csy.c.school_id == school)
    latest = latest.group_by(csy.c.school_id).subquery()
    query = (sa.select(csy.c.school_id, csy.c.run_id, csy.c.model_version, dv.c.version_no, dv.c.is_current,
                       ib.c.id.label("batch"), ib.c.imported_at)
             .join(latest, sa.and_(csy.c.school_id == latest.c.school_id, csy.c.run_id == latest.c.run_id))
             .join(dv, dv.c.id == csy.c.data_version_id).join(ib, ib.c.id == dv.c.batch_id)
             .where(csy.c.year == year))
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(query).fetchall(),
                            columns=["school_id", "run_id", "model_version", "version_no", "is_current", "batch",
                                     "imported_at"])
    if rows.empty:
        return VersionInfo("尚未计算指标", stale=True)
    imported = pd.to_datetime(rows["imported_at"]).max().strftime("%Y-%m-%d %H:%M")
    stale = not bool(rows["is_current"].astype(bool).all())
    models = sorted(set(rows["model_version"]))
    if isinstance(school, str):
        text = f"第 {int(rows['version_no'].iloc[0])} 版（导入批次 #{int(rows['batch'].iloc[0])}，{imported}）"
    else:
        text = f"{len(rows)} 所学校，最新导入批次 #{int(rows['batch'].max())}（{imported}）"
    return VersionInfo(text, models[-1] if len(models) == 1 else "多个版本", int(rows["run_id"].max()), stale)
