"""The composite score, its ranks, rank intervals by resampling the records, and weight sensitivity.

* **Score.** Each indicator is standardised over the eligible schools (``z = (v − mean) / sd``, its sign
  turned so that higher is better); the score is the weighted mean of the z-scores.  Rank 1 is the
  highest score (ties: the school first in id order).
* **Rank interval** (default 90 %). A parametric bootstrap of the records behind each value, ``B``
  times: a share (a numerator that counts some of the denominator's records, e.g. 就业率) is redrawn
  ``Binomial(denominator, numerator/denominator)`` — exactly the count that resampling the
  denominator's records with replacement gives; another ratio of two counts (生师比) has both counts
  redrawn Poisson; a ratio of an amount to a count (元/生) has its count redrawn Poisson; a value without
  counts is kept as it is.  Every replicate is standardised and ranked afresh; the interval is the
  ``(1−c)/2`` and ``(1+c)/2`` quantiles of the replicate ranks, rounded outwards.
* **Weights.** ``D`` weight vectors are drawn, each weight uniform in its declared range; the
  probability of being in the top ``k`` is the share of draws (on the point values) whose rank is ≤ k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHARE, COUNTS, AMOUNT, FIXED = 0, 1, 2, 3


@dataclass(frozen=True)
class Inputs:
    """Point values (schools × indicators), with the counts behind them and how to resample each."""

    values: np.ndarray  # (S, J)
    numerator: np.ndarray  # (S, J), NaN when unknown
    denominator: np.ndarray  # (S, J)
    signs: np.ndarray  # (J,) +1 higher is better, −1 lower is better
    weights: np.ndarray  # (J,)
    low: np.ndarray  # (J,) weight range
    high: np.ndarray  # (J,)

    @property
    def kinds(self) -> np.ndarray:
        """How each value is resampled (:data:`SHARE`, :data:`COUNTS`, :data:`AMOUNT`, :data:`FIXED`)."""
        num, den = self.numerator, self.denominator
        known = np.isfinite(num) & np.isfinite(den) & (den > 0)
        whole_num = known & np.isclose(num, np.round(num))
        whole_den = known & np.isclose(den, np.round(den))
        share = whole_num & whole_den & (num >= 0) & (num <= den)
        out = np.full(num.shape, FIXED)
        out[known & whole_den] = AMOUNT
        out[whole_num & whole_den & (num >= 0)] = COUNTS
        out[share] = SHARE
        return out


def scores(values: np.ndarray, signs: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of the signed z-scores; ``values`` (..., S, J), ``weights`` (J,) or (D, J) → (..., S) / (D, S)."""
    mean = values.mean(axis=-2, keepdims=True)
    sd = values.std(axis=-2, keepdims=True)
    z = np.where(sd > 0, (values - mean) / np.where(sd > 0, sd, 1.0), 0.0) * signs
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        return z @ (w / w.sum())
    return (w / w.sum(axis=1, keepdims=True)) @ z.T  # (D, S)


def ranks(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest, along the last axis; ties in index order."""
    order = np.argsort(-score, axis=-1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, score.shape[-1] + 1), axis=-1)
    return out


def resample(inp: Inputs, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` bootstrap replicates of the values, (n, S, J)."""
    kinds = inp.kinds
    num, den = np.nan_to_num(inp.numerator), np.nan_to_num(inp.denominator)
    rate = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    factor = np.divide(inp.values, rate, out=np.ones_like(num), where=rate != 0)
    shape = (n, *inp.values.shape)
    out = np.broadcast_to(inp.values, shape).copy()
    share = kinds == SHARE
    if share.any():
        drawn = rng.binomial(np.round(den).astype(np.int64), np.clip(rate, 0, 1), size=shape)
        out[:, share] = (drawn / np.where(den > 0, den, 1) * factor)[:, share]
    counts, amount = kinds == COUNTS, kinds == AMOUNT
    if counts.any() or amount.any():
        new_den = np.maximum(rng.poisson(np.maximum(den, 0), size=shape), 1)
        new_num = np.where(counts, rng.poisson(np.maximum(num, 0), size=shape), num)
        ratio = np.divide(new_num, new_den) * np.where(rate != 0, factor, 1.0)
        either = counts | amount
        out[:, either] = np.where(rate[either] != 0, ratio[:, either], out[:, either])
    return out


def rank_intervals(inp: Inputs, n: int, level: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) ranks of the ``level`` interval of each school, from ``n`` bootstrap replicates."""
    reps = ranks(scores(resample(inp, rng, n), inp.signs, inp.weights))  # (n, S)
    tail = (1 - level) / 2
    low = np.floor(np.quantile(reps, tail, axis=0, method="lower")).astype(int)
    high = np.ceil(np.quantile(reps, 1 - tail, axis=0, method="higher")).astype(int)
    return low, high


def top_probability(inp: Inputs, top: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Share of ``n`` weight draws (each weight uniform in its range) that put each school in the top ``top``."""
    draws = rng.uniform(inp.low, inp.high, size=(n, len(inp.weights)))
    draws[draws.sum(axis=1) <= 0] = inp.weights
    return (ranks(scores(inp.values, inp.signs, draws)) <= top).mean(axis=0)
