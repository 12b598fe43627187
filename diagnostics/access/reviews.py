"""Expert reviews (专家复核) through the scoped door."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..store.workflow_schema import reviews
from ..workflow import reviews as rules
from .base import AccessBase, Entity, Row, action
from .errors import PermissionDenied

REVIEW = Entity("review", reviews, "复核意见", rules.EDITABLE)


class ReviewsMixin(AccessBase):
    """Each reviewer writes their own reviews; everyone in scope reads them and the consolidated view."""

    def _reviews(self, school: str | None, year: int | None) -> pd.DataFrame:
        r = reviews
        with self.engine.connect() as conn:
            query = self._select(r, self._schools_for(conn, school), year)
            return pd.read_sql(query.order_by(r.c.school_id, r.c.year, r.c.item, r.c.reviewer), conn)

    @action("read", "read")
    def reviews(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Every reviewer's reviews of the schools in scope."""
        with self.engine.connect() as conn:
            return self._frame(conn, self._reviews(school, year))

    @action("read", "read")
    def consolidated_reviews(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Per school, year and diagnosis item: reviewers, score range, conclusions and their consensus."""
        with self.engine.connect() as conn:
            return self._frame(conn, rules.consolidate(self._reviews(school, year)))

    @action("review", "write")
    def save_review(self, school_id: str, year: int, item: str, *, score: float | None = None,
                    comment: str | None = None, conclusion: str | None = None,
                    expected_version: int | None = None) -> Row:
        """Write (or change) the current user's review of one diagnosis item of a school-year."""
        values = rules.check_review({"score": score, "comment": comment, "conclusion": conclusion})
        key = {"reviewer": self.user.name, "school_id": school_id, "year": int(year), "item": item}
        return self._save_keyed(REVIEW, key, values, expected_version)

    @action("review", "write")
    def update_review(self, review_id: int, expected_version: int, **changes: Any) -> Row:
        """Change one of the current user's own reviews (nobody changes another reviewer's)."""
        self._editable(REVIEW, changes)

        def own(before: Row, change: Row) -> Row:
            if before["reviewer"] != self.user.name:
                raise PermissionDenied("只能修改自己的复核意见", "you can only change your own reviews")
            return rules.check_review(change)

        return self._edit(REVIEW, review_id, expected_version, changes, check=own)
