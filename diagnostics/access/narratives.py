"""The school's own text of its self-diagnosis report (报告撰写) through the scoped door."""

from __future__ import annotations

import pandas as pd

from ..store.workflow_schema import school_narratives
from ..workflow import narratives as rules
from .base import AccessBase, Entity, Row, action

NARRATIVE = Entity("narrative", school_narratives, "报告文字", rules.EDITABLE)
NARRATIVE_COLUMNS = ["id", "school_id", "year", "section", "text", "created_by", "created_at", "updated_by",
                     "updated_at", "version"]


class NarrativesMixin(AccessBase):
    """A school writes the sections of its report; everyone in scope (experts, the province) reads them."""

    @action("read", "read")
    def narratives(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The saved sections of the schools in scope (one row per school, year and section)."""
        n = school_narratives
        with self.engine.connect() as conn:
            query = self._select(n, self._schools_for(conn, school), year)
            frame = pd.read_sql(query.order_by(n.c.school_id, n.c.year, n.c.id), conn)
            return self._frame(conn, frame.reindex(columns=NARRATIVE_COLUMNS))

    @action("edit_tasks", "write")
    def save_narrative(self, school_id: str, year: int, section: str, text: str, *,
                       expected_version: int | None = None) -> Row:
        """Write (or change) one section of a school-year's report.

        The first save of a section needs no version; a later save names the version it changes, and a
        stale one (someone saved first) is refused with the current text (:class:`ConflictError`).
        """
        key = {"school_id": school_id, "year": int(year), "section": rules.section(section).key}
        values = rules.check_narrative({"text": text})
        return self._save_keyed(NARRATIVE, key, values, expected_version)
