"""Database schema: the contract's tables plus import batches and versions.

Every per-year row belongs to a *data version* of one school-year
(``data_versions``).  A re-import of a school-year that changes anything makes
a new version and keeps the old one; readers use ``is_current`` versions.
The clear ID number never reaches the database: ``students`` holds its keyed
hash (``id_hash``) and the outcome of the check (``id_problem``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from ..contract import BOOL, BY_NAME, CODE, DATE, FLOAT, IDNUMBER, INT, STR, YEAR, YEAR_TABLES
from ..contract import Field as CField

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("imported_by", String(200), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("source_name", Text, nullable=False),
    Column("source_sha256", String(64), nullable=False),
    Column("row_counts", Text, nullable=False),  # JSON {table: rows}
    Column("versions_created", Integer, nullable=False),
    Column("note", Text),
)

data_versions = Table(
    "data_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("school_id", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("version_no", Integer, nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
    Column("content_sha256", String(64), nullable=False),
    Column("table_hashes", Text, nullable=False),  # JSON {table: sha256}
    Column("is_current", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_data_versions_school_year", "school_id", "year", "version_no", unique=True),
    Index("ix_data_versions_current", "is_current", "school_id", "year"),
)

schools = Table(
    "schools",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("level", String(8), nullable=False),
    Column("category", String(8), nullable=False),
    Column("city", Text, nullable=False),
    Column("ownership", String(8), nullable=False),
    Column("founded", Integer, nullable=False),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False),
)

KEY_LENGTH = 64  # longest text a key column (school_id, student_key, …) holds

_SQL_TYPES = {STR: Text, CODE: String(16), INT: BigInteger, FLOAT: Float, BOOL: Boolean,
              DATE: Date, YEAR: Integer}


def _columns(field: CField, in_key: bool) -> list[Column]:
    if field.kind == IDNUMBER:
        return [Column("id_hash", String(64), nullable=True),  # indexed with the year: ix_students_person
                Column("id_problem", String(32), nullable=True)]
    sql_type = String(KEY_LENGTH) if in_key and field.kind in (STR, CODE) else _SQL_TYPES[field.kind]
    return [Column(field.name, sql_type, nullable=not in_key and field.nullable)]


def _data_table(name: str) -> Table:
    ctable = BY_NAME[name]
    cols: list[Column] = [Column("version_id", Integer, ForeignKey("data_versions.id"), primary_key=True)]
    for f in ctable.fields:
        in_key = f.name in ctable.key
        for col in _columns(f, in_key):
            if in_key and f.name not in ("school_id", "year"):
                col.primary_key = True
            cols.append(col)
    return Table(name, metadata, *cols,
                 Index(f"ix_{name}_school_year", "school_id", "year"))


DATA_TABLES: dict[str, Table] = {t.name: _data_table(t.name) for t in YEAR_TABLES}


def stored_columns(table_name: str) -> list[str]:
    """Column names as stored (``id_number`` becomes ``id_hash``/``id_problem``)."""
    if table_name == "schools":
        return [c.name for c in schools.columns if c.name != "batch_id"]
    return [c.name for c in DATA_TABLES[table_name].columns if c.name != "version_id"]


from . import results_schema  # noqa: E402,F401,I001  (compute runs and indicator values, migration 0002)
from . import workflow_schema  # noqa: E402,F401  (users, tasks, reviews, audit: complete the metadata)
from . import flags_schema  # noqa: E402,F401  (warning flags and chosen peer groups, migration 0004)
from . import spotcheck_schema  # noqa: E402,F401  (spot-check samples and checked records, migration 0010)
from . import surveys_schema  # noqa: E402,F401  (online survey rounds, links and answers, migration 0011)
from . import history_schema  # noqa: E402,F401  (the history of schools' master data, migration 0008)
