"""Tables of computed results (migration 0002): compute runs and indicator values.

A compute run; each school-year it computed (and from which data version, under
which model version) is in ``computed_school_years``; its values are in
``indicator_values``.  The latest run that computed a school-year holds that
school-year's current values.

On PostgreSQL the two foreign keys of ``indicator_values`` are checked by statement triggers instead of row
by row (migration 0014, :mod:`.refcheck_sql`): a run writes a million values pointing at one run and a few
thousand data versions.  The declarations stay here for SQLite, which checks them inline.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text

from .schema import metadata

compute_runs = Table(
    "compute_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("model_version", String(64), nullable=False),
    Column("scope", Text, nullable=False),  # JSON {schools, years, recomputed, kept}
)

computed_school_years = Table(
    "computed_school_years",
    metadata,
    Column("run_id", Integer, ForeignKey("compute_runs.id"), primary_key=True),
    Column("school_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("data_version_id", Integer, ForeignKey("data_versions.id"), nullable=False),
    Column("model_version", String(64), nullable=False),
    Index("ix_computed_school_years_school_year", "school_id", "year", "run_id"),
)

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("run_id", Integer, ForeignKey("compute_runs.id"), primary_key=True),
    Column("school_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("layer", String(16), primary_key=True),
    Column("unit", String(64), primary_key=True),  # '' at school layer, the program code at program layer
    Column("indicator_id", String(100), primary_key=True),
    Column("value", Float),
    Column("numerator", Float),
    Column("denominator", Float),
    Column("n", BigInteger),
    Column("level", String(16), nullable=False),  # 合格 / 不合格 / 限制招生 / '' (no standard)
    Column("model_version", String(64), nullable=False),
    Column("data_version_id", Integer, ForeignKey("data_versions.id"), nullable=False),
    # no index besides the primary key: reads join on (run_id, school_id, year), its prefix (migration 0005)
)
