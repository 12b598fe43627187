"""Indicator rows of a school-year: value, standards, target, last year, position among peers, trend.

Standards come from the engine (:func:`diagnostics.engine.thresholds`), the level a value reached
is the engine's stored ``level``, targets are the school's effective targets (imported and set on
the dashboards, :meth:`diagnostics.access.Access.effective_targets`) or else the model's default
target.  Peers are the school's comparison group (:mod:`diagnostics.warnings.peers`: same level and
category, or the whole level where fewer than five share them; IPEDS: the school beside the group median).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine import target_gaps, thresholds
from ..engine.standards import higher_is_better
from ..models.spec import ModelSet
from .fmt import format_change, format_value, is_missing
from .model import IndicatorRow, TrendPoint

KEY = ["school_id", "year", "layer", "unit", "indicator_id"]
NO_TARGETS = pd.DataFrame(columns=["school_id", "year", "indicator_id", "program_code", "teacher_key", "target"])


def _num(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def judged(values: pd.DataFrame, models: ModelSet, school_attrs: pd.DataFrame,
           targets: pd.DataFrame) -> pd.DataFrame:
    """``values`` with the thresholds that apply and the target (own, else the model default).

    Adds ``qualified, qualified_source, qualified_verified, restriction, restriction_source,
    target, target_source``.
    """
    if values.empty:
        return values.assign(qualified=np.nan, restriction=np.nan, target=np.nan, qualified_source="",
                             restriction_source="", qualified_verified=pd.NA, target_source="")
    values = values.reset_index(drop=True)
    th = thresholds(values, models, school_attrs)
    default = target_gaps(values, NO_TARGETS, models, th["default_target"])
    own = values[KEY].merge(targets.reindex(columns=[*KEY, "target"]).astype({"year": int}),
                            on=KEY, how="left")["target"]
    has_own = own.notna().to_numpy()
    target = np.where(has_own, own.to_numpy(dtype=float), default["target"].to_numpy(dtype=float))
    source = np.where(has_own, "学校目标（一校一策）", default["target_source"].map(
        lambda s: "模型默认目标" if s else "").to_numpy())
    out = pd.concat([values, th.drop(columns=["school_level", "category", "default_target"])], axis=1)
    return out.assign(target=target, target_source=source)


@dataclass(frozen=True)
class PeerStats:
    """Per year and indicator among the peer schools: quartiles; and this school's rank in each year."""

    quartiles: dict[tuple[int, str], dict[str, float]]  # (year, indicator) -> q1, median, q3, count
    ranks: dict[tuple[int, str], tuple[int, int]]  # (year, indicator) -> (rank, of)


def peer_stats(peers: pd.DataFrame, school: str, models: ModelSet, min_size: int = 5) -> PeerStats:
    """Quartiles of ``peers`` (school-layer values of the peer schools) and ``school``'s rank (1 = best).

    None for a year and indicator with fewer than ``min_size`` schools: knowing its own value, a school
    would read another school's exact value off the median of a group of two."""
    peers = peers[peers["value"].notna()]
    peers = peers[peers.groupby(["year", "indicator_id"])["value"].transform("count") >= min_size]
    if peers.empty:
        return PeerStats({}, {})
    g = peers.groupby(["year", "indicator_id"])["value"]
    frame = pd.DataFrame({"q1": g.quantile(0.25), "median": g.median(), "q3": g.quantile(0.75), "count": g.count()})
    quartiles = {(int(y), str(i)): row for (y, i), row in frame.to_dict("index").items()}
    keys = ["year", "indicator_id"]
    own = peers[peers["school_id"] == school][[*keys, "value"]].drop_duplicates(keys)
    both = peers[[*keys, "value"]].merge(own, on=keys, suffixes=("", "_own"))
    higher = higher_is_better(both, models)
    both["better"] = np.where(higher, both["value"] > both["value_own"], both["value"] < both["value_own"])
    counted = both.groupby(keys).agg(better=("better", "sum"), of=("value", "count"))
    ranks = {(int(y), str(i)): (int(r.better) + 1, int(r.of)) for (y, i), r in zip(counted.index, counted.itertuples())}
    return PeerStats(quartiles, ranks)


def _stat(stats: PeerStats, year: int, ind: str, column: str) -> float | None:
    return _num(stats.quartiles.get((year, ind), {}).get(column))


def _source(row: pd.Series) -> str:
    """The document of the standard that set the level (only verified standards do)."""
    return str(row.get("qualified_source") or "")


def indicator_rows(frame: pd.DataFrame, year: int, models: ModelSet, stats: PeerStats,
                   ids: list[str] | None = None) -> list[IndicatorRow]:
    """Rows for the school-layer indicators of ``frame`` (judged values of one school, all years).

    ``ids`` chooses and orders the indicators (default: every indicator with a value in ``year``,
    in model order).
    """
    school = frame[frame["layer"] == "school"]
    by_year = {int(y): g.set_index("indicator_id") for y, g in school.groupby("year")}
    current = by_year.get(year, pd.DataFrame())
    previous = by_year.get(year - 1, pd.DataFrame())
    years = sorted(y for y in by_year if y <= year)
    order = ids if ids is not None else [i for i in models.indicators if i in current.index]
    rows = []
    for ind_id in order:
        ind = models.indicators.get(ind_id)
        if ind is None or ind_id not in current.index:
            continue
        row, unit = current.loc[ind_id], ind.unit
        value, before = _num(row["value"]), (_num(previous.loc[ind_id, "value"]) if ind_id in previous.index
                                              else None)
        target, qualified, restriction = _num(row["target"]), _num(row["qualified"]), _num(row["restriction"])
        met = None
        if target is not None and value is not None:
            met = value >= target if ind.higher_is_better else value <= target
        rank = stats.ranks.get((year, ind_id))
        trend = tuple(TrendPoint(y, _num(by_year[y].loc[ind_id, "value"]) if ind_id in by_year[y].index else None,
                                 _stat(stats, y, ind_id, "median"), _stat(stats, y, ind_id, "q1"),
                                 _stat(stats, y, ind_id, "q3")) for y in years)
        rows.append(IndicatorRow(
            indicator_id=ind_id, name=ind.name_zh, unit=unit, direction=ind.direction, value=value,
            text=format_value(value, unit), level=str(row["level"] or ""),
            previous_text=format_value(before, unit),
            change_text=format_change(None if value is None or before is None else value - before, unit, value),
            qualified_text=format_value(qualified, unit), restriction_text=format_value(restriction, unit),
            standard_source=_source(row), target_text=format_value(target, unit),
            target_source=str(row["target_source"] or ""),
            gap_text=format_change(None if met is None else value - target, unit, value),  # type: ignore[operator]
            target_met=met, peer_median_text=format_value(_stat(stats, year, ind_id, "median"), unit),
            peer_rank_text=f"第 {rank[0]} / {rank[1]} 位" if rank else "—",
            definition=ind.definition_zh, trend=trend, qualified=qualified, restriction=restriction,
            target=target))
    return rows
