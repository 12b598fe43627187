"""Tables of the spot checks (随机抽查, migration 0010): the samples drawn and the records checked.

``spot_samples`` keeps what is needed to draw the same sample again: the year, the seed, the
parameters (JSON) and the method in words.  ``spot_records`` holds one row per sampled record: its
school, kind (``students`` | ``teachers`` | ``internships``), key, stratum, the number of records of
that kind the school had when it was drawn (``population``, for the finite-population correction),
and the checker's outcome (``''`` not yet checked, ``confirmed``, ``discrepancy`` with a note saying
what).  Outcomes are changed through :class:`diagnostics.access.Access` with optimistic locking
(``version``) and an audit row per change.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from .schema import metadata
from .workflow_schema import NAME, SCHOOL, _stamps

spot_samples = Table(
    "spot_samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("params", Text, nullable=False),  # JSON: schools, records, strata, kinds, scope
    Column("method", Text, nullable=False),  # the drawing method in words (Chinese / English)
    Column("drawn_by", NAME, nullable=False),
    Column("drawn_at", DateTime(timezone=True), nullable=False),
)

spot_records = Table(
    "spot_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sample_id", Integer, ForeignKey("spot_samples.id"), nullable=False),
    Column("school_id", SCHOOL, nullable=False),
    Column("year", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("record_key", String(200), nullable=False),
    Column("stratum", String(200), nullable=False),
    Column("population", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # '' | confirmed | discrepancy
    Column("note", Text, nullable=True),
    *_stamps(),
    Index("ix_spot_records_sample", "sample_id", "school_id", "kind"),
    Index("ix_spot_records_school", "school_id", "year"),
)

SPOTCHECK_TABLES = (spot_samples, spot_records)
