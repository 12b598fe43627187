"""The warning methods, each a function from its inputs to a frame of flags.

Value-based methods read a :class:`~diagnostics.warnings.inputs.WarningInputs`; data checks read the
store through SQL.  :data:`RUNNERS` maps each method name of issue 4 to the function that produces
its flags from a :class:`Context`, in the order the pipeline runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from ..config import Thresholds
from ..flags import concat_flags
from ..inputs import WarningInputs
from ..rulespec import Rule, load_rules
from .benford import benford_flags, money_figures
from .completeness import completeness_flags
from .integrity import integrity_flags
from .internships import internship_flags
from .multivariate import multivariate_flags
from .peer import peer_flags
from .rules import rule_flags
from .standard import card_flags, standard_flags, target_flags
from .trend import trend_flags
from .uncertainty import benchmark_flags


@dataclass
class Context:
    """Everything a method may need: the store, the thresholds, the value inputs and the scope."""

    cfg: Thresholds
    inputs: WarningInputs | None = None
    engine: Engine | None = None
    cards: pd.DataFrame | None = None
    rules: list[Rule] = field(default_factory=load_rules)
    school: str | None = None
    year: int | None = None


def _rules_of(ctx: Context, method: str) -> list[Rule]:
    return [r for r in ctx.rules if r.method == method]


def _standard(ctx: Context) -> pd.DataFrame:
    cards = card_flags(ctx.cards, ctx.cfg) if ctx.cards is not None else None
    return concat_flags([standard_flags(ctx.inputs, ctx.cfg), *([cards] if cards is not None else [])])


def _integrity(ctx: Context) -> pd.DataFrame:
    return concat_flags([integrity_flags(ctx.engine, ctx.cfg, ctx.school, ctx.year),
                         rule_flags(ctx.engine, ctx.cfg, _rules_of(ctx, "integrity"), ctx.school, ctx.year)])


def _benford(ctx: Context) -> pd.DataFrame:
    return benford_flags(money_figures(ctx.engine, ctx.cfg, ctx.school), ctx.cfg, ctx.year)


#: method name → (needs "values" or "store", runner)
RUNNERS: dict[str, tuple[str, Callable[[Context], pd.DataFrame]]] = {
    "standard": ("values", _standard),
    "target": ("values", lambda ctx: target_flags(ctx.inputs, ctx.cfg)),
    "uncertainty": ("values", lambda ctx: benchmark_flags(ctx.inputs, ctx.cfg)),
    "trend": ("values", lambda ctx: trend_flags(ctx.inputs, ctx.cfg)),
    "peer": ("values", lambda ctx: peer_flags(ctx.inputs, ctx.cfg)),
    "multivariate": ("values", lambda ctx: multivariate_flags(ctx.inputs, ctx.cfg)),
    "rule": ("store", lambda ctx: concat_flags([
        rule_flags(ctx.engine, ctx.cfg, _rules_of(ctx, "rule"), ctx.school, ctx.year),
        internship_flags(ctx.engine, ctx.cfg, ctx.school, ctx.year)])),
    "integrity": ("store", _integrity),
    "completeness": ("store", lambda ctx: completeness_flags(ctx.engine, ctx.cfg, ctx.school, ctx.year)),
    "benford": ("store", _benford),
}

__all__ = ["RUNNERS", "Context", "benchmark_flags", "benford_flags", "card_flags", "completeness_flags",
           "integrity_flags", "internship_flags", "multivariate_flags", "peer_flags", "rule_flags", "standard_flags",
           "target_flags", "trend_flags"]
