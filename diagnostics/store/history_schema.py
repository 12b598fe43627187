"""The history of schools' master data (migration 0008).

A school's level (中职/高职), category, city, ownership and founding year decide which standards apply,
which peers it is compared with and which city officer sees it.  ``schools`` holds the current
values; every change an import makes is kept here, field by field: who, when, the old and the new
value, and the import batch.  Only a province officer's import may change level, category, city,
ownership or founding year (``diagnostics.access.data``).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from .schema import metadata

school_history = Table(
    "school_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("school_id", String(64), nullable=False),
    Column("field", String(32), nullable=False),
    Column("old_value", Text, nullable=True),  # as text; NULL when the school was added
    Column("new_value", Text, nullable=True),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
    Index("ix_school_history_school", "school_id", "changed_at"),
)
