"""``rule``: the contract's consistency rules, evaluated as SQL over the current data.

Each rule of ``rules.yaml`` (:mod:`..rulespec`) becomes one query that returns only the failing rows,
with both sides' values, so a province of millions of student rows is checked inside the database.
Importance maps to severity (DHIS2: high / medium / low → red / yellow / info, ``thresholds.yaml``).
"""

from __future__ import annotations

import operator as op_module
from itertools import count

import pandas as pd
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Engine,
    FromClause,
    Integer,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
)

from ...contract import BY_NAME
from ...store.schema import data_versions
from ..config import Thresholds
from ..current import current, current_versions, raw, read_frame
from ..flags import DATA_LAYER, Flag, data_unit, fmt_number
from ..rulespec import SCHOOL_YEAR, Operand, Rule, load_rules
from .common import to_frame

COMPARE = {"<=": op_module.le, "<": op_module.lt, ">=": op_module.ge, ">": op_module.gt,
           "==": op_module.eq, "!=": op_module.ne}
_alias = count()


def _base(rule: Rule, school: str | None, year: int | None) -> tuple[FromClause, list[str]]:
    if rule.grain == SCHOOL_YEAR:
        return current_versions(school, year).subquery(f"g{next(_alias)}"), []
    keys = [k for k in BY_NAME[rule.grain].key if k not in ("school_id", "year")]
    return current(rule.grain, school, year, name=f"g{next(_alias)}"), keys


def _where(t: FromClause, where: tuple) -> list[ColumnElement]:
    conds = []
    for col, value in where:
        if isinstance(value, str) and value.startswith("$"):
            other = t.c[value[1:]]
            conds.append(t.c[col] == (cast(other, Integer) if value[1:] == "year" else other))
        elif isinstance(value, list):
            conds.append(t.c[col].in_(value))
        elif isinstance(value, bool):
            conds.append(t.c[col].is_(value))
        else:
            conds.append(t.c[col] == value)
    return conds


def _reported(table: str, g: FromClause) -> ColumnElement:
    """Whether the row's school-year reported ``table`` at all.

    A list of versions computed once (one probe per version), not a correlated EXISTS evaluated for
    each of a million rows."""
    p, dv = raw(table, f"p{next(_alias)}"), data_versions.alias(f"d{next(_alias)}")
    return g.c.version_id.in_(select(dv.c.id).where(exists().where(p.c.version_id == dv.c.id)))


def _side(operand: Operand, g: FromClause, school: str | None, year: int | None,
          joins: list) -> ColumnElement:
    """The SQL expression of one side; aggregate and look-up sides add outer joins to ``joins``.

    Rows of one school-year share its ``version_id``: aggregates are grouped by it and look-ups in
    the same year probe the other table's primary key (``version_id`` + its key)."""
    if operand.kind == "literal":
        return literal(operand.literal)
    if operand.kind == "column":
        col = g.c[operand.column]
        return col * operand.factor if operand.factor != 1.0 else col
    present = _reported(operand.table, g)
    if operand.kind == "aggregate":
        t = raw(operand.table, f"a{next(_alias)}")
        value = func.count() if operand.agg == "count" else func.sum(t.c[operand.column])
        keys = [t.c.version_id, *[t.c[b] for b in operand.by]]
        in_scope = t.c.version_id.in_(current_versions(school, year).with_only_columns(data_versions.c.id))
        agg = select(*keys, value.label("v")).where(in_scope, *_where(t, operand.where)).group_by(*keys).subquery()
        joins.append((agg, and_(agg.c.version_id == g.c.version_id, *[agg.c[b] == g.c[b] for b in operand.by])))
        return func.coalesce(agg.c.v, case((present, 0), else_=None))
    if operand.year == "same":  # look-up: 'found', '' when not found, NULL when the table is not reported
        t = raw(operand.table, f"l{next(_alias)}")
        found = exists().where(t.c.version_id == g.c.version_id, *[t.c[m] == g.c[m] for m in operand.match])
        return case((~present, None), (found, "found"), else_="")
    t = current(operand.table, school, None, name=f"l{next(_alias)}")
    cols = [t.c.school_id, *[t.c[m] for m in operand.match]]
    look = select(*cols, func.min(t.c.year).label("year")).group_by(*cols).subquery()
    first = select(t.c.school_id, func.min(t.c.year).label("year")).group_by(t.c.school_id).subquery()
    joins.append((look, and_(look.c.school_id == g.c.school_id, look.c.year <= g.c.year,
                             *[look.c[m] == g.c[m] for m in operand.match])))
    joins.append((first, and_(first.c.school_id == g.c.school_id, first.c.year <= g.c.year)))
    return case((first.c.school_id.is_(None), None), (look.c.school_id.is_not(None), "found"), else_="")


def _zero(expr: ColumnElement) -> ColumnElement:
    return false() if isinstance(expr.type, Boolean) else literal(0)


def _violation(rule: Rule, left: ColumnElement, right: ColumnElement) -> ColumnElement:
    if rule.operator == "exists":  # right is '' when the row was not found, NULL when nothing to look in
        return right == ""  # one comparison: the look-up (a probe per row) is evaluated once
    compare = COMPARE[rule.operator]
    if rule.missing == "skip_if_any_missing":
        return and_(left.is_not(None), right.is_not(None), not_(compare(left, right)))
    lz, rz = func.coalesce(left, _zero(left)), func.coalesce(right, _zero(right))
    if rule.missing == "skip_if_all_missing":
        return and_(or_(left.is_not(None), right.is_not(None)), not_(compare(lz, rz)))
    return not_(compare(lz, rz))


def violations(engine: Engine, rule: Rule, school: str | None = None, year: int | None = None) -> pd.DataFrame:
    """The rows that fail ``rule``: school_id, year, key columns, left, right."""
    g, keys = _base(rule, school, year)
    joins: list = []
    left = _side(rule.left, g, school, year, joins)
    right = _side(rule.right, g, school, year, joins)
    source = g
    for target, on in joins:
        source = source.outerjoin(target, on)
    query = (select(g.c.school_id, g.c.year, *[g.c[k] for k in keys], left.label("left"), right.label("right"))
             .select_from(source).where(_violation(rule, left, right)))
    return read_frame(engine, query)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "空"
    if isinstance(value, int | float):
        return fmt_number(float(value))
    return str(value)


def rule_flags(engine: Engine, cfg: Thresholds, rules: list[Rule] | None = None, school: str | None = None,
               year: int | None = None) -> pd.DataFrame:
    """One flag per failing row of every rule (``rules``: default ``rules.yaml``)."""
    flags: list[Flag] = []
    for rule in rules if rules is not None else load_rules():
        found = violations(engine, rule, school, year)
        keys = [k for k in found.columns if k not in ("school_id", "year", "left", "right")]
        table = (rule.left.table or rule.grain) if rule.grain == SCHOOL_YEAR else rule.grain
        for rec in found.to_dict("records"):
            key = "/".join(str(rec[k]) for k in keys)
            left, right = rec["left"], rec["right"]
            fill = {"key": key, "left": _text(left), "right": _text(right)}
            numeric = isinstance(left, int | float) and not isinstance(left, bool) and not pd.isna(left)
            flags.append(Flag(
                school_id=str(rec["school_id"]), year=int(rec["year"]),
                layer=DATA_LAYER, unit=data_unit(table, key) if keys else table,
                indicator_id=None, method=rule.method, severity=cfg.value(f"rules.severity_{rule.importance}"),
                observed=float(left) if numeric else None,
                expected=None if rule.operator == "exists" else f"{rule.operator} {_text(right)}", n=None,
                rule=f"{rule.id}：{rule.name_zh}", source=rule.source,
                message_zh=rule.message_zh.format(**fill), message_en=rule.message_en.format(**fill),
                evidence={"rule_id": rule.id, "table": table, "key": key, "left": left, "right": right,
                          "operator": rule.operator, "importance": rule.importance, "missing": rule.missing}))
    return to_frame(flags)
