"""Declarative validation rules (``rules.yaml``): reading and checking them.

A rule is left side, operator, right side, importance and missing-value strategy, as DHIS2 writes
them (``shared/domain.md`` §7).  The file is checked against the contract: unknown keys, tables and
columns, operators, importances and strategies are reported all at once (:class:`RuleFileError`).
The SQL that evaluates a rule is built in :mod:`.methods.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..store.schema import DATA_TABLES, stored_columns
from .flags import METHODS

DEFAULT_RULES = Path(__file__).with_name("rules.yaml")
SCHOOL_YEAR = "school_year"
OPERATORS = ("<=", "<", ">=", ">", "==", "!=", "exists")
IMPORTANCE = ("high", "medium", "low")
MISSING = ("skip_if_any_missing", "skip_if_all_missing", "treat_as_zero")
RULE_KEYS = {"id", "name_zh", "name_en", "grain", "left", "operator", "right", "importance", "missing",
             "method", "source", "message_zh", "message_en"}
REQUIRED = RULE_KEYS - {"method"}
OPERAND_KEYS = {"column", "factor", "count", "sum", "where", "by", "table", "match", "year"}


@dataclass(frozen=True)
class Operand:
    """One side of a rule: a column, a literal, an aggregate of another table, or a look-up."""

    column: str | None = None
    factor: float = 1.0
    literal: Any = None
    agg: str | None = None  # count | sum
    table: str | None = None
    where: tuple[tuple[str, Any], ...] = ()
    by: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    year: str = "same"  # for look-ups: same | up_to

    @property
    def kind(self) -> str:
        if self.agg:
            return "aggregate"
        if self.match:
            return "lookup"
        return "column" if self.column else "literal"


@dataclass(frozen=True)
class Rule:
    id: str
    name_zh: str
    name_en: str
    grain: str
    left: Operand
    operator: str
    right: Operand
    importance: str
    missing: str
    source: str
    message_zh: str
    message_en: str
    method: str = "rule"


class RuleFileError(ValueError):
    def __init__(self, path: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"校验规则文件有误 / invalid rules file {path}:\n  " + "\n  ".join(problems))


def _columns(table: str) -> set[str]:
    return set(stored_columns(table)) if table in DATA_TABLES else {"school_id", "year"}


def _operand(raw: Any, grain: str, where: str, problems: list[str]) -> Operand:
    if isinstance(raw, bool) or isinstance(raw, int | float) or raw is None:
        return Operand(literal=raw)
    if isinstance(raw, str):
        if raw not in _columns(grain):
            problems.append(f"{where}: {grain} 没有列 / has no column {raw!r}")
        return Operand(column=raw)
    if not isinstance(raw, dict):
        problems.append(f"{where}: 无法识别 / not an operand: {raw!r}")
        return Operand()
    for key in sorted(set(raw) - OPERAND_KEYS):
        problems.append(f"{where}.{key}: 未知的键 / unknown key")
    if "column" in raw:
        if raw["column"] not in _columns(grain):
            problems.append(f"{where}: {grain} 没有列 / has no column {raw['column']!r}")
        return Operand(column=raw["column"], factor=float(raw.get("factor", 1.0)))
    if "count" in raw or "sum" in raw:
        agg = "count" if "count" in raw else "sum"
        table, _, column = str(raw[agg]).partition(".")
        if table not in DATA_TABLES:
            problems.append(f"{where}: 未知的表 / unknown table {table!r}")
            return Operand()
        known = _columns(table)
        names = [column] if column else []
        names += list(raw.get("where", {})) + list(raw.get("by", []))
        for name in names:
            if name not in known:
                problems.append(f"{where}: {table} 没有列 / has no column {name!r}")
        for name in raw.get("by", []):
            if name not in _columns(grain):
                problems.append(f"{where}: by {name!r} 不在 / is not in {grain}")
        return Operand(column=column or None, agg=agg, table=table, where=tuple(raw.get("where", {}).items()),
                       by=tuple(raw.get("by", [])))
    if "match" in raw:
        table = raw.get("table")
        if table not in DATA_TABLES:
            problems.append(f"{where}: 未知的表 / unknown table {table!r}")
            return Operand()
        if raw.get("year", "same") not in ("same", "up_to"):
            problems.append(f"{where}.year: 应为 same 或 up_to / must be same or up_to")
        return Operand(table=table, match=tuple(raw["match"]), year=raw.get("year", "same"))
    problems.append(f"{where}: 缺少 column / count / sum / match")
    return Operand()


def parse_rules(data: Any, path: str = "<memory>") -> list[Rule]:
    """Check a parsed rules document; raise :class:`RuleFileError` listing every problem."""
    problems: list[str] = []
    rules: list[Rule] = []
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RuleFileError(path, ["需要 rules: 列表 / a `rules:` list is required"])
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        where = f"rules[{i}]" + (f" ({raw.get('id')})" if isinstance(raw, dict) else "")
        if not isinstance(raw, dict):
            problems.append(f"{where}: 应为映射 / must be a mapping")
            continue
        for key in sorted(set(raw) - RULE_KEYS):
            problems.append(f"{where}.{key}: 未知的键（拼写错误？）/ unknown key (misspelt?)")
        for key in sorted(REQUIRED - set(raw)):
            problems.append(f"{where}.{key}: 缺失 / missing")
        if REQUIRED - set(raw):
            continue
        if raw["id"] in seen:
            problems.append(f"{where}: 重复的 id / duplicate id")
        seen.add(raw["id"])
        grain = raw["grain"]
        if grain != SCHOOL_YEAR and grain not in DATA_TABLES:
            problems.append(f"{where}.grain: 未知的表 / unknown table {grain!r}")
            continue
        checks = [("operator", OPERATORS), ("importance", IMPORTANCE), ("missing", MISSING)]
        for key, allowed in checks:
            if raw[key] not in allowed:
                problems.append(f"{where}.{key}: {raw[key]!r} 不是 / is not one of {', '.join(allowed)}")
        if raw.get("method", "rule") not in METHODS:
            problems.append(f"{where}.method: 未知的方法 / unknown method {raw['method']!r}")
        left = _operand(raw["left"], grain, f"{where}.left", problems)
        right = _operand(raw["right"], grain, f"{where}.right", problems)
        if (raw["operator"] == "exists") != (right.kind == "lookup"):
            problems.append(f"{where}: exists 与 {{table, match}} 须同时使用 / exists goes with a {{table, match}} right side")
        rules.append(Rule(raw["id"], raw["name_zh"], raw["name_en"], grain, left, raw["operator"], right,
                          raw["importance"], raw["missing"], raw["source"], raw["message_zh"], raw["message_en"],
                          raw.get("method", "rule")))
    if problems:
        raise RuleFileError(path, problems)
    return rules


def load_rules(path: str | Path | None = None) -> list[Rule]:
    path = Path(path or DEFAULT_RULES)
    with open(path, encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh), str(path))
