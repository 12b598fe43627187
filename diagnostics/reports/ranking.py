"""A ranking of schools with rank intervals, from the ratio-method score (比率法, domain.md §4.4).

Score: for every indicator of the school-year that has a 合格 standard, the ratio-method share
(1 at or beyond 合格, 0 below the 限制招生 level, actual ÷ 合格 between them; the engine's
:func:`~diagnostics.engine.ratio_score` with weight 1), averaged and times 100.

Rank interval: the score depends on which indicators happen to be in the model and on the
sampling noise of rates that rest on few people, so a rank is uncertain.  Each bootstrap
replicate draws the indicators with replacement (the same draw for all schools of a level) and
redraws each rate from its binomial sampling distribution (normal approximation,
√(p(1−p)/n)); the interval is the central ``interval`` share of a school's replicate ranks.
Schools are ranked within their level (高职 and 中职 meet different standards).  With ``lights`` (the one
verdict's light of each school) schools are ranked within their light class — every green school before
every yellow one, every yellow before every red — and by score inside a class: a school the diagnosis
lights red is never placed above a green one by a score that leaves its warnings out.  Equal scores
share a rank (并列).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine import ratio_score
from ..engine.standards import higher_is_better
from ..models.spec import ModelSet


@dataclass(frozen=True)
class RankRow:
    school_id: str
    score: float
    rank: int
    low: int
    high: int
    indicators: int
    light: str = ""
    tied: int = 1  # schools sharing this rank


def _scores(value: np.ndarray, judged: pd.DataFrame, higher: pd.Series) -> np.ndarray:
    index = judged.index
    return ratio_score(pd.Series(value, index=index), judged["qualified"], judged["restriction"],
                       pd.Series(1.0, index=index), higher).to_numpy(dtype=float)


LIGHT_CLASS = {"green": 0, "none": 0, "yellow": 1, "red": 2, "unreported": 3}


def rank_schools(judged: pd.DataFrame, models: ModelSet, replicates: int = 400, interval: float = 0.9,
                 seed: int = 2024, lights: dict[str, str] | None = None) -> list[RankRow]:
    """Rank the schools of ``judged`` (school-layer values of one year and one level, with the
    engine's ``qualified`` and ``restriction`` thresholds) by their ratio-method score; with ``lights``
    (school → light of the verdict) within light classes (see the module docstring)."""
    rows = judged[judged["qualified"].notna() & judged["value"].notna()].reset_index(drop=True)
    if rows.empty:
        return []
    higher = higher_is_better(rows, models)
    rows = rows.assign(share=_scores(rows["value"].to_numpy(dtype=float), rows, higher))
    table = rows.pivot_table(index="school_id", columns="indicator_id", values="share", aggfunc="first")
    schools, indicators = table.index.to_numpy(), table.columns.to_numpy()
    classes = np.array([LIGHT_CLASS.get((lights or {}).get(str(s), ""), 0) for s in schools])
    observed = np.nanmean(table.to_numpy(), axis=1) * 100
    rng = np.random.default_rng(seed)
    rate = rows["indicator_id"].map(lambda i: models.indicators[i].unit == "%" if i in models.indicators
                                    else False).to_numpy(dtype=bool)
    p = np.clip(rows["value"].to_numpy(dtype=float) / 100, 0, 1)
    n = rows["n"].astype(float).fillna(0).to_numpy()
    se = np.where(rate & (n > 0), np.sqrt(p * (1 - p) / np.maximum(n, 1)) * 100, 0.0)
    position = {s: i for i, s in enumerate(schools)}, {k: j for j, k in enumerate(indicators)}
    r_index = rows["school_id"].map(position[0]).to_numpy()
    c_index = rows["indicator_id"].map(position[1]).to_numpy()
    ranks = np.empty((replicates, len(schools)))
    for b in range(replicates):
        noisy = rows["value"].to_numpy(dtype=float) + rng.normal(0.0, 1.0, len(rows)) * se
        grid = np.full((len(schools), len(indicators)), np.nan)
        grid[r_index, c_index] = _scores(noisy, rows, higher)
        drawn = grid[:, rng.integers(0, len(indicators), len(indicators))]
        with np.errstate(invalid="ignore"):
            score = np.nanmean(np.where(np.isnan(drawn).all(axis=1, keepdims=True), 0.0, drawn), axis=1)
        ranks[b] = _rank(score, classes)
    lo, hi = (1 - interval) / 2, 1 - (1 - interval) / 2
    low = np.floor(np.quantile(ranks, lo, axis=0)).astype(int)
    high = np.ceil(np.quantile(ranks, hi, axis=0)).astype(int)
    rank = _rank(observed, classes)
    counts = table.notna().sum(axis=1).to_numpy()
    tied = {r: int((rank == r).sum()) for r in set(rank.tolist())}
    out = [RankRow(str(s), float(sc), int(r), int(min(lo_, r)), int(max(hi_, r)), int(k),
                   (lights or {}).get(str(s), ""), tied[int(r)])
           for s, sc, r, lo_, hi_, k in zip(schools, observed, rank, low, high, counts)]
    return sorted(out, key=lambda row: (row.rank, row.school_id))


def _rank(score: np.ndarray, classes: np.ndarray | None = None) -> np.ndarray:
    """Competition ranks, 1 = best: a better light class first, then a higher score (ties share the better rank)."""
    order = -np.round(np.nan_to_num(score, nan=-np.inf), 9)
    cls = np.zeros(len(score)) if classes is None else classes
    better_class = cls[None, :] < cls[:, None]
    same_better = (cls[None, :] == cls[:, None]) & (order[None, :] < order[:, None])
    return (better_class | same_better).sum(axis=1) + 1
