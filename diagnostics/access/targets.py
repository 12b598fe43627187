"""Targets (目标链) and school standards (标准链) through the scoped door."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, select

from ..store.schema import schools
from ..store.workflow_schema import target_overrides
from ..workflow import targets as rules
from ..workflow.indicators import models, resolver
from .base import Entity, Row, action
from .data import DataMixin
from .errors import InvalidChange

OVERRIDE = Entity("target", target_overrides, "目标", frozenset({"value", "note", "active"}))


class TargetsMixin(DataMixin):
    """Imported targets, their overrides, school standards, and the effective values."""

    def _targets_long(self, school_ids: list[str] | None, year: int | None = None) -> pd.DataFrame:
        """Effective targets and standards, one row per key and kind, not yet scoped for output."""
        imported = rules.imported_targets(self._table("targets", school_ids, year), resolver())
        with self.engine.connect() as conn:
            overrides = pd.read_sql(self._select(target_overrides, school_ids, year), conn)
        return rules.effective(imported, overrides)

    @action("read", "read")
    def targets(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Targets and school standards in scope: value, source (import/override), override id and version."""
        with self.engine.connect() as conn:
            return self._frame(conn, self._targets_long(self._schools_for(conn, school), year))

    @action("read", "read")
    def effective_targets(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """One row per school, year, layer, unit, indicator: ``target`` and ``standard`` (the warning engine's input)."""
        with self.engine.connect() as conn:
            return self._frame(conn, rules.widen(self._targets_long(self._schools_for(conn, school), year)))

    @action("edit_targets", "write")
    def set_target(self, school_id: str, year: int, indicator_id: str, value: float, *, layer: str = "school",
                   unit: str = "", kind: str = rules.TARGET, note: str | None = None,
                   expected_version: int | None = None) -> Row:
        """Set a target (or, ``kind='standard'``, a school standard), overriding an imported one.

        The first save of a key needs no version; later saves name the version they change.
        """
        rules.check_key(layer, kind)
        if layer != "school" and not unit:
            raise InvalidChange(f"{layer} 层目标必须指明单位（专业代码等）",
                                f"a {layer}-layer target needs its unit (program code, …)")
        key = {"school_id": school_id, "year": int(year), "layer": layer, "unit": unit if layer != "school" else "",
               "indicator_id": resolver()(indicator_id), "kind": kind}
        with self.engine.connect() as conn:
            self._check_school(conn, school_id)
            if kind == rules.STANDARD:
                self._check_stricter(conn, key, float(value))
        return self._save_keyed(OVERRIDE, key, {"value": float(value), "note": note, "active": True},
                                expected_version)

    @staticmethod
    def _check_stricter(conn: Connection, key: Row, value: float) -> None:
        indicator = models().indicators.get(key["indicator_id"])
        school = conn.execute(select(schools.c.level, schools.c.category, schools.c.founded)
                              .where(schools.c.school_id == key["school_id"])).first()
        if indicator is not None and school is not None:
            rules.check_stricter(value, indicator, school.level, school.category, key["layer"], key["year"],
                                 school.founded)

    @action("edit_targets", "write")
    def clear_target(self, override_id: int, expected_version: int) -> Row:
        """Withdraw an override: the imported target (if any) applies again."""
        return self._edit(OVERRIDE, override_id, expected_version, {"active": False}, "clear")
