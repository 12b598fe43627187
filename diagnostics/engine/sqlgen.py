"""Measures → SQL: every measure of one table and one grouping in one scan.

For a table and a grouping (school, or school and program) the engine issues
one ``SELECT school_id, year[, program_code], <two columns per measure> FROM
table JOIN data_versions ... GROUP BY ...`` where each measure becomes
``SUM(CASE WHEN filter THEN expr END)``-style columns.  Only SQLAlchemy Core
constructs that SQLite and PostgreSQL both understand are used: ``/`` is a
float division guarded by ``NULLIF(divisor, 0)``, ``min``/``max`` are ``CASE``
expressions, and every sum is cast to a float.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from ..models.expr import Binary, Call, InList, IsNull, Literal, Name, Node, Unary
from ..models.exprtypes import BOOLEAN, check
from ..models.semantic import column_info
from ..models.spec import Measure
from ..store.schema import DATA_TABLES, data_versions

_COMPARE = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}
Column = Callable[[str], ColumnElement]


def _literal(value: object) -> ColumnElement:
    if value is None:
        return sa.null()
    if isinstance(value, bool):
        return sa.true() if value else sa.false()
    if isinstance(value, float):
        return sa.literal(value, sa.Float)
    return sa.literal(value)


def _pick(values: Sequence[ColumnElement], smallest: bool) -> ColumnElement:
    """``min``/``max`` of several values as CASE; null arguments are ignored."""
    result = values[0]
    for other in values[1:]:
        better = other < result if smallest else other > result
        result = sa.case((result.is_(None), other), (other.is_(None), result), (better, other), else_=result)
    return result


def compile_expr(node: Node, column: Column) -> ColumnElement:  # noqa: PLR0911 - one branch per node kind
    """A SQLAlchemy expression for a parsed model expression."""

    def c(n: Node) -> ColumnElement:
        return compile_expr(n, column)

    if isinstance(node, Literal):
        return _literal(node.value)
    if isinstance(node, Name):
        return column(node.id)
    if isinstance(node, Unary):
        return sa.not_(c(node.operand)) if node.op == "not" else -c(node.operand)
    if isinstance(node, Binary):
        left, right = c(node.left), c(node.right)
        if node.op == "and":
            return sa.and_(left, right)
        if node.op == "or":
            return sa.or_(left, right)
        if node.op == "/":
            return sa.cast(left, sa.Float) / sa.func.nullif(right, 0)
        if node.op in ("+", "-", "*"):
            return {"+": left + right, "-": left - right, "*": left * right}[node.op]
        return _COMPARE[node.op](left, right)
    if isinstance(node, InList):
        values = [item.value for item in node.items]
        operand = c(node.operand)
        return operand.not_in(values) if node.negated else operand.in_(values)
    if isinstance(node, IsNull):
        operand = c(node.operand)
        return operand.is_not(None) if node.negated else operand.is_(None)
    if isinstance(node, Call):
        args = [c(a) for a in node.args]
        if node.func == "if":
            return sa.case((args[0], args[1]), else_=args[2])
        if node.func == "case":
            pairs = [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
            return sa.case(*pairs, else_=args[-1])
        if node.func in ("min", "max"):
            return _pick(args, node.func == "min")
        return getattr(sa.func, node.func)(*args)  # coalesce, abs: both back ends have them
    raise TypeError(node)  # pragma: no cover


def table_column(table_name: str) -> Column:
    """Resolve a name of a measure expression: a column of the table, or the version's school/year."""
    table = DATA_TABLES[table_name]

    def column(name: str) -> ColumnElement:
        return table.c[name]  # school_id and year are columns of every data table (constant per version)

    return column


def measure_columns(m: Measure, index: int) -> list[ColumnElement]:
    """The two aggregate columns of a measure: ``m<i>_v`` (its total) and ``m<i>_n`` (rows behind it)."""
    column = table_column(m.table)  # type: ignore[arg-type]
    cond = compile_expr(m.filter, column) if m.filter is not None else None

    def when(value: ColumnElement) -> ColumnElement:
        return sa.case((cond, value)) if cond is not None else value

    one = sa.literal(1)
    rows = sa.func.count(when(one))
    expr = compile_expr(m.expr, column) if m.expr is not None else None
    if expr is not None and m.agg in ("sum", "mean"):
        kind, _ = check(m.expr, lambda n: column_info(m.table, n))  # type: ignore[arg-type]
        if kind == BOOLEAN:  # true counts 1, false 0
            expr = sa.case((expr, 1), else_=0)
    if m.agg == "count":
        total = rows
    elif m.agg == "sum":
        total = sa.cast(sa.func.sum(when(expr)), sa.Float)
    elif m.agg == "mean":
        total = sa.cast(sa.func.sum(when(expr)), sa.Float)
        rows = sa.func.count(when(expr))  # the values that are not null
    elif m.agg == "share":
        hit = sa.and_(cond, expr) if cond is not None else expr
        total = sa.func.count(sa.case((hit, one)))
    else:  # distinct_count
        total = sa.func.count(sa.distinct(when(expr)))
    return [total.label(f"m{index}_v"), rows.label(f"m{index}_n")]


def _distinct_aggregates(columns: Sequence[ColumnElement]) -> tuple[list[ColumnElement], list[int]]:
    """The distinct aggregate expressions among ``columns`` and, for each column, its position there.

    A count measure's total and row count are one expression, and filters repeat across
    measures (every "在籍" count); SQLite evaluates each occurrence, so the scan computes
    each distinct expression once and the outer select hands it out under every label.
    """
    seen: dict[str, int] = {}
    unique: list[ColumnElement] = []
    where: list[int] = []
    for col in columns:
        key = str(col.element.compile(compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
        if key not in seen:
            seen[key] = len(unique)
            unique.append(col.element.label(f"a{len(unique)}"))  # type: ignore[attr-defined]
        where.append(seen[key])
    return unique, where


def aggregation_query(table_name: str, measures: Sequence[Measure], layer: str,
                      version_ids: Sequence[int]) -> sa.Select:
    """One grouped scan of ``table_name`` computing every measure in ``measures``.

    Columns: ``school_id, year`` (and ``unit`` when grouped by program: NULL for the rows
    without a program), then ``m<i>_v, m<i>_n`` for the i-th measure.  The scan groups by
    ``version_id`` (one version is one school-year) and program code: the order of the
    tables' primary keys and of the students' program index, so SQLite aggregates as it
    reads instead of sorting millions of rows; the school and year are joined to the few
    grouped rows afterwards.
    """
    table = DATA_TABLES[table_name]
    dv = data_versions
    keys: list[ColumnElement] = [table.c.version_id.label("version_id")]
    if layer == "program":
        keys.append(table.c.program_code.label("unit"))
    columns = [col for i, m in enumerate(measures) for col in measure_columns(m, i)]
    unique, where = _distinct_aggregates(columns)
    scan = (sa.select(*keys, *unique).where(table.c.version_id.in_(list(version_ids)))
            .group_by(*(k.element for k in keys)).subquery("scan"))  # type: ignore[attr-defined]
    return (sa.select(dv.c.school_id.label("school_id"), dv.c.year.label("year"),
                      *([scan.c.unit] if layer == "program" else []),
                      *(scan.c[f"a{w}"].label(col.name) for col, w in zip(columns, where)))
            .select_from(scan.join(dv, dv.c.id == scan.c.version_id)))
