"""Follow-ups of warnings (跟进): mark, comment, close with a reason; the open ones are a work queue.

A follow-up is keyed by school, year, layer, unit, indicator and warning method
('' when it is about the value rather than one method), so the warning engine
can show which of its flags someone is already following.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from ..store.workflow_schema import follow_up_comments, follow_ups
from . import audit
from .base import AccessBase, Entity, Row, action
from .errors import InvalidChange

FOLLOW_UP = Entity("follow_up", follow_ups, "跟进事项", frozenset({"note"}))
OPEN, CLOSED = "open", "closed"


def _required(text: str | None, zh: str, en: str) -> str:
    if text is None or not str(text).strip():
        raise InvalidChange(f"必须填写{zh}", f"{en} is required")
    return str(text).strip()


class FollowUpsMixin(AccessBase):
    """Mark a warning for follow-up, comment on it, close it with a reason."""

    @action("read", "read")
    def follow_ups(self, school: str | None = None, year: int | None = None,
                   status: str | None = OPEN) -> pd.DataFrame:
        """Follow-ups in scope, oldest first (``status=None``: open and closed), with their comment counts."""
        f, c = follow_ups, follow_up_comments
        count = select(func.count()).where(c.c.follow_up_id == f.c.id).scalar_subquery().label("comments")
        with self.engine.connect() as conn:
            query = self._select(f, self._schools_for(conn, school), year, count)
            if status is not None:
                query = query.where(f.c.status == status)
            return self._frame(conn, pd.read_sql(query.order_by(f.c.created_at, f.c.id), conn))

    @action("read", "read")
    def follow_up_comments(self, follow_up_id: int) -> pd.DataFrame:
        """The comments on one follow-up, oldest first."""
        c = follow_up_comments
        with self.engine.connect() as conn:
            school = self._get(conn, FOLLOW_UP, follow_up_id)["school_id"]
            self._check_school(conn, school)
            frame = pd.read_sql(select(c).where(c.c.follow_up_id == follow_up_id).order_by(c.c.id), conn)
            return self._frame(conn, frame.assign(school_id=school))

    @action("follow_up", "write")
    def mark_follow_up(self, school_id: str, year: int, indicator_id: str | None, *, layer: str = "school",
                       unit: str = "", method: str = "", note: str | None = None) -> Row:
        """Mark a warning for follow-up; an open follow-up of the same key is returned as it is."""
        key = {"school_id": school_id, "year": int(year), "layer": layer, "unit": unit or "",
               "indicator_id": indicator_id or "", "method": method or ""}
        f = follow_ups

        def work(conn: Connection) -> Row:
            self._check_school(conn, school_id)
            found = conn.execute(select(f).where(*(f.c[k] == v for k, v in key.items()), f.c.status == OPEN)
                                 .order_by(f.c.id)).mappings().first()
            return dict(found) if found else self._create(conn, FOLLOW_UP, {**key, "status": OPEN, "note": note},
                                                          "open")

        return self._run(FOLLOW_UP, "open", work)

    @action("follow_up", "write")
    def comment_follow_up(self, follow_up_id: int, text: str) -> Row:
        """Add a comment (comments are never changed or deleted)."""
        text = _required(text, "评论内容", "comment text")
        with self.engine.begin() as conn:
            row = self._get(conn, FOLLOW_UP, follow_up_id)
            self._check_school(conn, row["school_id"])
            values = {"follow_up_id": follow_up_id, "author": self.user.name, "at": audit.now(), "text": text}
            comment_id = conn.execute(insert(follow_up_comments).values(**values)
                                      .returning(follow_up_comments.c.id)).scalar_one()
            audit.record(conn, self.user.name, "comment", FOLLOW_UP.name, follow_up_id, row["school_id"],
                         row["year"], None, {"comment_id": comment_id, **values})
        return {"id": comment_id, **values, "school_id": row["school_id"]}

    @action("follow_up", "write")
    def close_follow_up(self, follow_up_id: int, expected_version: int, reason: str) -> Row:
        """Close a follow-up; the reason is required."""
        reason = _required(reason, "关闭原因", "a reason for closing")

        def still_open(before: Row, change: Row) -> Row:
            if before["status"] != OPEN:
                raise InvalidChange("该跟进事项已关闭", "this follow-up is already closed")
            return change

        return self._edit(FOLLOW_UP, follow_up_id, expected_version, {"status": CLOSED, "close_reason": reason},
                          "close", check=still_open)
