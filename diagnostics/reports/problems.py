"""Warnings as a report states them: where, what, how bad, and the evidence, grouped by diagnosis item.

Warnings are those of the warning engine (one per problem, :func:`diagnostics.warnings.rollup.merge_warnings`);
an indicator's warnings count under each diagnosis item the indicator belongs to, warnings without
an indicator (checks of raw records) under 数据质量, exactly as the traffic lights count them.
"""

from __future__ import annotations

import pandas as pd

from ..contract import BY_NAME
from ..models.spec import VERDICT_ITEMS, ModelSet
from ..warnings.flags import SEVERITY_RANK
from ..warnings.inputs import meta_from_models
from ..warnings.verdict import Verdict, decide, items_of, school_years  # noqa: F401  (items_of: re-exported)
from .fmt import METHOD_LABELS, clean_text, format_value, is_missing
from .model import Problem
from .wording import public_message, public_rule, public_source

LAYER_ORDER = {"school": 0, "data": 1, "program": 2}


def verdict_of(source: object, warnings: pd.DataFrame, values: pd.DataFrame, school: str | None,
               years: list[int] | None = None, schools: pd.DataFrame | None = None) -> Verdict:
    """The one verdict (:mod:`diagnostics.warnings.verdict`) of the school-years a report covers: every
    school of ``schools`` (default: the source's) or ``school``, in ``years`` (default: those reported);
    ``values`` are their indicator values (which items have anything to judge)."""
    frame = source.schools() if schools is None else schools
    if school is not None:
        frame = frame[frame["school_id"].astype(str) == str(school)]
    grid = school_years(source.reported(school), frame, years)
    return decide(warnings, meta_from_models(source.models), grid, VERDICT_ITEMS, values)


def where(layer: str, unit: str, program_names: dict[str, str]) -> str:
    """The unit a warning is about, in words: 全校, 专业 510201 计算机应用技术, 学生记录 A001."""
    if layer == "school" or not unit:
        return "全校"
    if layer == "program":
        name = program_names.get(unit, "")
        return f"专业 {unit} {name}".strip()
    if layer == "data" and ":" in unit:
        table, key = unit.split(":", 1)
        zh = BY_NAME[table].zh if table in BY_NAME else table
        return f"{zh}记录 {key}"
    return f"{layer} {unit}"


def ordered(warnings: pd.DataFrame, models: ModelSet) -> pd.DataFrame:
    """Most serious first: severity, then the number of methods that agree, school before program."""
    if warnings.empty:
        return warnings
    rank = {ind: i for i, ind in enumerate(models.indicators)}
    key = warnings.assign(
        _sev=warnings["severity"].map(SEVERITY_RANK).fillna(0),
        _flags=pd.to_numeric(warnings.get("n_flags", 1), errors="coerce").fillna(1),
        _layer=warnings["layer"].map(LAYER_ORDER).fillna(3),
        _ind=warnings["indicator_id"].map(lambda i: rank.get(i, len(rank))))
    key = key.sort_values(["_sev", "_flags", "_layer", "_ind", "unit"], ascending=[False, False, True, True, True],
                          kind="stable")
    return key.drop(columns=["_sev", "_flags", "_layer", "_ind"])


def _relation(text: str) -> str:
    """``>= 2`` → ``≥ 2`` (the engines write ASCII comparisons)."""
    return text.replace(">=", "≥").replace("<=", "≤")


def to_problem(row: pd.Series, item: str, models: ModelSet, program_names: dict[str, str],
               suffix: str = "") -> Problem:
    ind = models.indicators.get(str(row["indicator_id"])) if not is_missing(row["indicator_id"]) else None
    unit = ind.unit if ind is not None else ""
    methods = [METHOD_LABELS.get(m, m) for m in str(row.get("methods") or "").split(",") if m]
    n = row.get("n")
    return Problem(
        item=item, severity=str(row["severity"]),
        where=where(str(row["layer"]), clean_text(row["unit"]), program_names),
        indicator=ind.name_zh if ind is not None else "", message=public_message(clean_text(row["message_zh"])) + suffix,
        observed=format_value(row.get("observed"), unit), expected=_relation(clean_text(row.get("expected"))) or "—",
        n="—" if is_missing(n) else f"{int(n):,}", methods="、".join(methods), rule=public_rule(clean_text(row.get("rule"))),
        source=public_source(clean_text(row.get("source"))))


def problems_by_item(warnings: pd.DataFrame, models: ModelSet,
                     program_names: dict[str, str]) -> dict[str, list[Problem]]:
    """Every warning as a :class:`Problem`, under each item it counts for, most serious first."""
    out: dict[str, list[Problem]] = {}
    meta = meta_from_models(models)
    for _, row in ordered(warnings, models).iterrows():
        for item in _items(row, meta):
            out.setdefault(item, []).append(to_problem(row, item, models, program_names))
    return out


def every_problem(warnings: pd.DataFrame, models: ModelSet, program_names: dict[str, str]) -> list[Problem]:
    """Every warning once, most serious first, with all the items it counts under (the appendix)."""
    if warnings.empty:
        return []
    meta = meta_from_models(models)
    return [to_problem(row, "、".join(_items(row, meta)), models, program_names)
            for _, row in ordered(warnings, models).iterrows()]


def _items(row: pd.Series, meta: dict) -> list[str]:
    """The items of a warning as the verdict counts it (its ``items`` column when it has one)."""
    items = row.get("items")
    return list(items) if isinstance(items, list) else items_of(row["indicator_id"], meta)


def most_serious(warnings: pd.DataFrame, models: ModelSet, program_names: dict[str, str],
                 k: int) -> list[Problem]:
    """The ``k`` most serious problems; warnings of one indicator (or one data rule) at one layer are
    one problem, stated by its worst instance with the number of places it occurs."""
    if warnings.empty or k <= 0:
        return []
    rows, meta = ordered(warnings, models), meta_from_models(models)
    group = rows["layer"].astype(str) + "|" + rows["indicator_id"].fillna("").astype(str) + "|" + \
        rows["rule"].where(rows["indicator_id"].isna(), "").fillna("").astype(str)
    counts = group.value_counts()
    out = []
    for label, (_, row) in zip(group, rows.iterrows()):
        if label not in counts:
            continue
        n = int(counts.pop(label))
        suffix = f"（同类问题共 {n} 处）" if n > 1 else ""
        out.append(to_problem(row, _items(row, meta)[0], models, program_names, suffix))
        if len(out) == k:
            break
    return out
