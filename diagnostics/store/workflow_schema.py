"""Tables of the improvement cycle and the shared, multi-user side (migration 0003).

Users and their roles, target overrides and stricter school standards,
improvement tasks, expert reviews, follow-ups of warnings, and the
append-only audit log.  Every row a person edits carries ``version`` for
optimistic locking (see :mod:`diagnostics.access`).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from .schema import metadata

NAME = String(200)  # a user name
SCHOOL = String(64)
UNIT = String(200)  # '' at school layer, a program code, a teacher key, or ``table:key`` for data checks
INDICATOR = String(100)
METHOD = String(64)


def _stamps() -> list[Column]:
    """Who created and last changed a row, and its lock version."""
    return [
        Column("created_by", NAME, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_by", NAME, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("version", Integer, nullable=False),
    ]


def _indicator_key() -> list[Column]:
    """school, year, layer, unit, indicator: the address of an indicator value."""
    return [
        Column("school_id", SCHOOL, nullable=False),
        Column("year", Integer, nullable=False),
        Column("layer", String(16), nullable=False),
        Column("unit", UNIT, nullable=False),
        Column("indicator_id", INDICATOR, nullable=False),
    ]


users = Table(
    "users",
    metadata,
    Column("user_name", NAME, primary_key=True),
    Column("role", String(16), nullable=False),
    Column("school_id", SCHOOL, nullable=True),
    Column("city", Text, nullable=True),
    Column("display_name", Text, nullable=True),
    Column("active", Boolean, nullable=False),
    *_stamps(),
)

user_schools = Table(  # the schools assigned to an expert
    "user_schools",
    metadata,
    Column("user_name", NAME, ForeignKey("users.user_name"), primary_key=True),
    Column("school_id", SCHOOL, primary_key=True),
)

target_overrides = Table(
    "target_overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_indicator_key(),
    Column("kind", String(16), nullable=False),  # target | standard
    Column("value", Float, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("note", Text, nullable=True),
    *_stamps(),
    UniqueConstraint("school_id", "year", "layer", "unit", "indicator_id", "kind",
                     name="uq_target_overrides_key"),
)

improvement_tasks = Table(
    "improvement_tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("school_id", SCHOOL, nullable=False),
    Column("year", Integer, nullable=False),
    Column("layer", String(16), nullable=False),
    Column("unit", UNIT, nullable=False),
    Column("indicator_id", INDICATOR, nullable=True),
    Column("method", METHOD, nullable=True),  # the warning method the task came from
    Column("source", String(16), nullable=False),  # warning | manual
    Column("problem", Text, nullable=False),
    Column("cause", Text, nullable=True),
    Column("measure", Text, nullable=True),
    Column("owner", Text, nullable=True),
    Column("deadline", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("drop_reason", Text, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("baseline_value", Float, nullable=True),
    Column("target_value", Float, nullable=True),
    Column("recheck_year", Integer, nullable=True),
    Column("recheck_value", Float, nullable=True),
    Column("recheck_target", Float, nullable=True),
    Column("recheck_baseline", Float, nullable=True),
    Column("recheck_verdict", String(16), nullable=True),
    Column("rechecked_at", DateTime(timezone=True), nullable=True),
    *_stamps(),
    Index("ix_improvement_tasks_school_year", "school_id", "year"),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reviewer", NAME, nullable=False),
    Column("school_id", SCHOOL, nullable=False),
    Column("year", Integer, nullable=False),
    Column("item", Text, nullable=False),  # diagnosis item (诊断项目)
    Column("score", Float, nullable=True),
    Column("comment", Text, nullable=True),
    Column("conclusion", String(16), nullable=True),
    *_stamps(),
    UniqueConstraint("reviewer", "school_id", "year", "item", name="uq_reviews_key"),
)

follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_indicator_key(),
    Column("method", METHOD, nullable=False),  # '' when not tied to one method
    Column("status", String(16), nullable=False),  # open | closed
    Column("note", Text, nullable=True),
    Column("close_reason", Text, nullable=True),
    *_stamps(),
    Index("ix_follow_ups_key", "school_id", "year", "layer", "unit", "indicator_id", "method"),
)

follow_up_comments = Table(  # append-only
    "follow_up_comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("follow_up_id", Integer, ForeignKey("follow_ups.id"), nullable=False, index=True),
    Column("author", NAME, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
)

school_narratives = Table(  # the school's own text of its self-diagnosis report (migration 0007)
    "school_narratives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("school_id", SCHOOL, nullable=False),
    Column("year", Integer, nullable=False),
    Column("section", String(32), nullable=False),  # diagnostics.workflow.narratives.SECTIONS
    Column("text", Text, nullable=False),
    *_stamps(),
    UniqueConstraint("school_id", "year", "section", name="uq_school_narratives_key"),
)

audit_log = Table(  # append-only: triggers refuse UPDATE and DELETE
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", NAME, nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(200), nullable=True),
    Column("school_id", SCHOOL, nullable=True),
    Column("year", Integer, nullable=True),
    Column("outcome", String(16), nullable=False),  # ok | conflict
    Column("before", Text, nullable=True),  # JSON
    Column("after", Text, nullable=True),  # JSON
    Column("message", Text, nullable=True),
    Index("ix_audit_log_school", "school_id", "at"),
)

APPEND_ONLY = ("audit_log", "follow_up_comments")
WORKFLOW_TABLES = (users, user_schools, target_overrides, improvement_tasks, reviews, follow_ups,
                   follow_up_comments, school_narratives, audit_log)
