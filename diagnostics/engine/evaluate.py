"""Evaluating a parsed expression over pandas columns (derived indicators).

The semantics match the SQL compilation in :mod:`.sqlgen`: division by zero
gives a missing value, ``min``/``max`` ignore missing arguments, a comparison
with a missing value is false.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..models.expr import Binary, Call, InList, IsNull, Literal, Name, Node, Unary

_OPS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "and": lambda a, b: a & b, "or": lambda a, b: a | b,
}


def _series(value: object, index: pd.Index) -> pd.Series:
    if isinstance(value, pd.Series):
        return value
    return pd.Series([value] * len(index), index=index, dtype=float if value is None else None)


def _as_bool(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def evaluate(node: Node, env: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:  # noqa: PLR0911
    """The value of ``node`` for every row of ``index``; names are looked up in ``env``."""

    def ev(n: Node) -> pd.Series:
        return evaluate(n, env, index)

    if isinstance(node, Literal):
        return _series(node.value, index)
    if isinstance(node, Name):
        return env[node.id].reindex(index)
    if isinstance(node, Unary):
        operand = ev(node.operand)
        return ~_as_bool(operand) if node.op == "not" else -operand
    if isinstance(node, Binary):
        left, right = ev(node.left), ev(node.right)
        if node.op == "/":
            quotient = left.astype(float) / right.astype(float).where(right != 0)
            return quotient.replace([np.inf, -np.inf], np.nan)
        if node.op in ("and", "or"):
            return _OPS[node.op](_as_bool(left), _as_bool(right))
        result = _OPS[node.op](left, right)
        if node.op in ("+", "-", "*"):
            return result
        return result & left.notna() & right.notna()
    if isinstance(node, InList):
        hit = ev(node.operand).isin([item.value for item in node.items])
        return ~hit & ev(node.operand).notna() if node.negated else hit
    if isinstance(node, IsNull):
        missing = ev(node.operand).isna()
        return ~missing if node.negated else missing
    if isinstance(node, Call):
        return _call(node, [ev(a) for a in node.args], index)
    raise TypeError(node)  # pragma: no cover


def _call(node: Call, args: list[pd.Series], index: pd.Index) -> pd.Series:
    if node.func in ("min", "max"):
        frame = pd.concat(args, axis=1)
        return frame.min(axis=1) if node.func == "min" else frame.max(axis=1)
    if node.func == "abs":
        return args[0].abs()
    if node.func == "coalesce":
        result = args[0]
        for other in args[1:]:
            result = result.where(result.notna(), other)
        return result
    if node.func == "if":
        conditions, values, default = [args[0]], [args[1]], args[2]
    else:  # case
        conditions, values, default = args[:-1:2], args[1::2], args[-1]
    result = default.copy()
    for cond, value in reversed(list(zip(conditions, values))):
        result = value.where(_as_bool(cond), result)
    return result
