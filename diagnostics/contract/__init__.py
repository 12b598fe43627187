"""The status-data contract, declared once (see ``shared/status-data.md``)."""

from .fields import BOOL, CODE, DATE, FLOAT, IDNUMBER, INT, KINDS, STR, YEAR, Field, Table
from .tables import BY_NAME, TABLES, YEAR_TABLES, table_for_label

__all__ = [
    "BOOL", "CODE", "DATE", "FLOAT", "IDNUMBER", "INT", "KINDS", "STR", "YEAR",
    "Field", "Table", "BY_NAME", "TABLES", "YEAR_TABLES", "table_for_label",
]
