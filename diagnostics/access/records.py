"""The records behind an indicator value (which interns were not assessed), through the scoped door.

A measure of the indicator models aggregates the rows of one status-data table under a filter; this
reads those rows for one school-year (or one program), with what each row contributes and, for a
second measure of the same table (the numerator beside its denominator), whether the row counts
there too.  ID numbers never leave the store: they are stored only as keyed hashes, and those hash
columns are not read.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from ..models.exprtypes import BOOLEAN, check
from ..models.semantic import column_info
from ..store.schema import DATA_TABLES, data_versions
from .base import AccessBase, action
from .errors import InvalidChange

PERSONAL = ("id_hash", "id_problem")  # keyed hashes of ID numbers: never shown
HIDDEN = ("version_id", *PERSONAL)
VALUE, ALSO = "_value", "_also"


def _measure(models: object, measure_id: str) -> object:
    m = models.measures.get(measure_id)  # type: ignore[attr-defined]
    if m is None:
        raise InvalidChange(f"没有度量 {measure_id!r}", f"no measure {measure_id!r}")
    if m.table is None:
        raise InvalidChange(f"度量 {m.name_zh} 由程序计算，无法列出所依据的记录",
                            f"measure {m.name_en} is computed by a function: its records cannot be listed")
    return m


def _parts(m: object) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """(the rows a measure reads, what one row contributes) as SQL expressions."""
    from ..engine.sqlgen import compile_expr, table_column

    column = table_column(m.table)  # type: ignore[attr-defined]
    cond = compile_expr(m.filter, column) if m.filter is not None else sa.true()  # type: ignore[attr-defined]
    if m.expr is None or m.agg == "count":  # type: ignore[attr-defined]
        return cond, sa.literal(1)
    expr = compile_expr(m.expr, column)  # type: ignore[attr-defined]
    kind, _ = check(m.expr, lambda n: column_info(m.table, n))  # type: ignore[attr-defined]
    if kind == BOOLEAN or m.agg == "share":  # type: ignore[attr-defined]
        expr = sa.case((expr, 1), else_=0)
    return cond, expr


class RecordsMixin(AccessBase):
    """The rows of a status-data table that a measure of the indicator models counts."""

    @action("read", "read")
    def measure_records(self, school_id: str, year: int, measure_id: str, *, unit: str = "",
                        also: str | None = None, limit: int = 500, models: object = None) -> pd.DataFrame:
        """The current rows of ``school_id``'s ``year`` (program ``unit``, when given) that ``measure_id``
        reads, with ``_value`` (what the row contributes to the measure) and, with ``also`` (a measure of
        the same table), ``_also`` (1 when the row counts there too, else 0); rows that count least (in
        ``also``, else in the measure) first, at most ``limit``.  ``models``: the indicator models (default: ``indicators/*.yaml``)."""
        if models is None:
            from ..workflow.indicators import models as loaded

            models = loaded()
        m = _measure(models, measure_id)
        table = DATA_TABLES[m.table]
        cond, value = _parts(m)
        columns = [c for c in table.columns if c.name not in HIDDEN]
        extra = [value.label(VALUE)]
        if also:
            other = _measure(models, also)
            if other.table != m.table:
                raise InvalidChange(f"度量 {other.name_zh} 与 {m.name_zh} 不是同一张表",
                                    f"measures {also} and {measure_id} read different tables")
            other_cond, other_value = _parts(other)
            extra.append(sa.case((sa.and_(other_cond, other_value != 0), 1), else_=0).label(ALSO))
        dv = data_versions
        query = (sa.select(*columns, *extra).select_from(table.join(dv, dv.c.id == table.c.version_id))
                 .where(dv.c.is_current.is_(True), table.c.school_id == school_id, table.c.year == int(year), cond))
        if unit:
            if "program_code" not in table.c:
                raise InvalidChange(f"{m.name_zh} 没有专业层面的记录", f"{measure_id} has no program-layer records")
            query = query.where(table.c.program_code == unit)
        keys = [c for c in table.primary_key.columns if c.name not in HIDDEN]
        query = query.order_by(extra[-1], *keys).limit(int(limit))  # rows not counted (0) first
        with self.engine.connect() as conn:
            self._check_school(conn, school_id)
            frame = pd.read_sql(query, conn)
            return self._frame(conn, frame)
