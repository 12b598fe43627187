"""Tables of the warning engine (migration 0004): flags and the peer groups schools choose.

``flags`` holds the current flags of every school-year, each tagged with the compute run whose
indicator values it judged (``run_id``; NULL for data checks run without a compute run) and the time
it was computed.  ``peer_groups`` holds the comparison schools a school chose for the ``peer``
method (IPEDS: each institution may choose its comparison group, domain.md §7).  Three indexes on
``students`` serve the data checks.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text

from .schema import DATA_TABLES, metadata

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("compute_runs.id"), nullable=True),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("school_id", String(64), nullable=False),
    Column("year", Integer, nullable=True),
    Column("layer", String(16), nullable=False),
    Column("unit", String(200), nullable=False),  # '' at school layer; program code; table:key for data checks
    Column("indicator_id", String(100), nullable=True),
    Column("method", String(16), nullable=False),
    Column("severity", String(8), nullable=False),  # red | yellow | info
    Column("observed", Float, nullable=True),
    Column("expected", Text, nullable=True),
    Column("n", BigInteger, nullable=True),
    Column("rule", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON
    Index("ix_flags_school_year", "school_id", "year"),
    Index("ix_flags_run", "run_id"),
    Index("ix_flags_method", "method", "severity"),
)

peer_groups = Table(
    "peer_groups",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("peer_school_id", String(64), primary_key=True),
    Column("chosen_by", String(200), nullable=False),
    Column("chosen_at", DateTime(timezone=True), nullable=False),
)

#: Indexes the data checks need on the students table: the same person across school-years (duplicate
#: registration and duplicate records, by keyed hash), the problem records of the ID check, and the
#: students of each program (counts per program and of first-year students, read from the index alone).
_students = DATA_TABLES["students"]
STUDENT_INDEXES = (Index("ix_students_person", _students.c.id_hash, _students.c.year),
                   Index("ix_students_id_problem", _students.c.id_problem),
                   Index("ix_students_program", _students.c.version_id, _students.c.program_code,
                         _students.c.entry_year, _students.c.year))

FLAG_TABLES = (flags, peer_groups)
