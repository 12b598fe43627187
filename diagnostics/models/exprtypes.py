"""Type checking of parsed expressions: every problem at once, each located.

Types are ``number``, ``text``, ``boolean``, ``date`` and ``any`` (a ``null``
literal).  A name's type, codes and unit come from a resolver (the columns of
a measure's table, or the indicators a derived indicator refers to).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .expr import Binary, Call, ExprError, InList, IsNull, Literal, Name, Node, Unary

NUMBER, TEXT, BOOLEAN, DATE, ANY = "number", "text", "boolean", "date", "any"
_ARITH = {"+", "-", "*", "/"}
_LOGIC = {"and", "or"}


@dataclass(frozen=True)
class NameInfo:
    """What a name stands for: its type, its allowed codes, its unit."""

    type: str
    codes: tuple[str, ...] | None = None
    unit: str | None = None


Resolver = Callable[[str], "NameInfo | None"]


def literal_type(value: object) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    return ANY


class _Checker:
    def __init__(self, resolve: Resolver, names_zh: str, names_en: str) -> None:
        self.resolve = resolve
        self.names_zh = names_zh
        self.names_en = names_en
        self.errors: list[ExprError] = []

    def error(self, node: Node, zh: str, en: str) -> str:
        self.errors.append(ExprError(zh, en, node.pos))
        return ANY

    def want(self, node: Node, expected: str, role_zh: str, role_en: str) -> None:
        got = self.type(node)
        if got not in (expected, ANY):
            self.error(node, f"{role_zh}应为 {expected} 类型，实为 {got}",
                       f"{role_en} must be {expected}, found {got}")

    def merge(self, node: Node, types: list[str]) -> str:
        known = {t for t in types if t != ANY}
        if {TEXT, DATE} == known:  # a date compared with a 'YYYY-MM-DD' string
            return DATE
        if len(known) > 1:
            return self.error(node, f"类型不一致: {'、'.join(sorted(known))}",
                              f"mismatched types: {', '.join(sorted(known))}")
        return known.pop() if known else ANY

    def check_codes(self, name: Node, values: list[Literal]) -> None:
        if not isinstance(name, Name):
            return
        info = self.resolve(name.id)
        if info is None or not info.codes:
            return
        for lit in values:
            if isinstance(lit.value, str) and lit.value not in info.codes:
                codes = "、".join(info.codes)
                self.error(lit, f"{name.id} 没有代码 {lit.value!r}（可选: {codes}）",
                           f"{name.id} has no code {lit.value!r} (codes: {', '.join(info.codes)})")

    def type(self, node: Node) -> str:  # noqa: PLR0911 - one branch per node kind
        if isinstance(node, Literal):
            return literal_type(node.value)
        if isinstance(node, Name):
            info = self.resolve(node.id)
            if info is None:
                return self.error(node, f"未知名称 {node.id}（应为{self.names_zh}）",
                                  f"unknown name {node.id} (expected {self.names_en})")
            return info.type
        if isinstance(node, Unary):
            expected = BOOLEAN if node.op == "not" else NUMBER
            self.want(node.operand, expected, f"{node.op} 的操作数", f"the operand of {node.op}")
            return expected
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, InList):
            self.merge(node, [self.type(node.operand), *(literal_type(i.value) for i in node.items)])
            self.check_codes(node.operand, list(node.items))
            return BOOLEAN
        if isinstance(node, IsNull):
            self.type(node.operand)
            return BOOLEAN
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(node)  # pragma: no cover - the parser makes no other nodes

    def binary(self, node: Binary) -> str:
        if node.op in _ARITH:
            for side in (node.left, node.right):
                self.want(side, NUMBER, f"{node.op} 的操作数", f"an operand of {node.op}")
            return NUMBER
        if node.op in _LOGIC:
            for side in (node.left, node.right):
                self.want(side, BOOLEAN, f"{node.op} 的操作数", f"an operand of {node.op}")
            return BOOLEAN
        for side in (node.left, node.right):
            if isinstance(side, Literal) and side.value is None:
                return self.error(side, "与 null 比较请用 is null / is not null",
                                  "compare with null using 'is null' / 'is not null'")
        self.merge(node, [self.type(node.left), self.type(node.right)])
        if node.op in ("=", "!="):
            for name, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(other, Literal):
                    self.check_codes(name, [other])
        return BOOLEAN

    def call(self, node: Call) -> str:
        args = node.args
        if node.func in ("min", "max", "abs"):
            for arg in args:
                self.want(arg, NUMBER, f"{node.func} 的参数", f"an argument of {node.func}")
            return NUMBER
        if node.func == "coalesce":
            return self.merge(node, [self.type(a) for a in args])
        conditions = args[0:1] if node.func == "if" else args[:-1:2]
        values = args[1:] if node.func == "if" else [*args[1::2], args[-1]]
        for cond in conditions:
            self.want(cond, BOOLEAN, f"{node.func} 的条件", f"a condition of {node.func}")
        return self.merge(node, [self.type(v) for v in values])


def check(node: Node, resolve: Resolver, names_zh: str = "已声明的名称",
          names_en: str = "a declared name") -> tuple[str, list[ExprError]]:
    """The type of ``node`` and every problem found (empty when it is sound)."""
    checker = _Checker(resolve, names_zh, names_en)
    result = checker.type(node)
    return result, checker.errors


def infer_unit(node: Node, units: Callable[[str], str | None]) -> tuple[str | None, list[ExprError]]:
    """The unit of an arithmetic formula over named quantities, or ``None`` if not fixed.

    ``+``, ``-``, ``min``, ``max``, ``coalesce`` and the branches of ``if`` /
    ``case`` need one unit; numbers fit any unit; ``*`` and ``/`` keep the
    unit of their only unit-bearing side and give up (``None``) otherwise.
    """
    errors: list[ExprError] = []

    def same(at: Node, parts: list[Node]) -> str | None:
        found = {u for u in (unit(p) for p in parts) if u is not None}
        if len(found) > 1:
            errors.append(ExprError(f"单位不一致: {'、'.join(sorted(found))}",
                                    f"unit mismatch: {', '.join(sorted(found))}", at.pos))
            return None
        return found.pop() if found else None

    def unit(n: Node) -> str | None:
        if isinstance(n, Name):
            return units(n.id)
        if isinstance(n, Unary) and n.op == "-":
            return unit(n.operand)
        if isinstance(n, Binary) and n.op in ("+", "-"):
            return same(n, [n.left, n.right])
        if isinstance(n, Binary) and n.op in ("*", "/"):
            left, right = unit(n.left), unit(n.right)
            if right is None:
                return left
            return None if left is not None or n.op == "/" else right
        if isinstance(n, Call) and n.func in ("min", "max", "coalesce", "abs"):
            return same(n, list(n.args))
        if isinstance(n, Call):  # if / case: the value branches
            values = list(n.args[1:]) if n.func == "if" else [*n.args[1::2], n.args[-1]]
            return same(n, values)
        return None

    return unit(node), errors
