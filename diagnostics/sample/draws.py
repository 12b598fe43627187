"""Small vectorised drawing helpers shared by the generator's modules."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Stream numbers of the per-school random generators (one independent stream per use).
STREAMS = {name: i for i, name in enumerate((
    "programs", "persons", "teachers", "courses", "facilities", "partners", "internships",
    "graduates", "surveys", "targets", "faults", "fabricate",
    "employers", "posts", "half_year",  # fields added later: their own streams keep the others' draws
))}


def school_rng(seed: int, school: int, stream: str) -> np.random.Generator:
    """The generator of one school and one use: independent of batching and order."""
    return np.random.default_rng([seed, 1 + school, STREAMS[stream]])


def province_rng(seed: int, stream: int) -> np.random.Generator:
    """A province-level generator (stream 0: roster, 1: faults, 2: enterprises, 3: people)."""
    return np.random.default_rng([seed, 0, stream])


def stratified(groups: np.ndarray, rng: np.random.Generator, first: np.ndarray | None = None) -> np.ndarray:
    """A position in [0, 1) per unit, one stratum each within its group.

    Units of a group get the strata 0..n-1 in random order (units flagged in
    ``first`` take the lowest strata) and a position near the middle of their
    stratum, so peers are evenly spread and none stands out.
    """
    n = len(groups)
    first = np.zeros(n, bool) if first is None else first
    order = np.lexsort((rng.random(n), ~first, groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(sorted_groups[1:] != sorted_groups[:-1]) + 1]
    sizes = np.diff(np.r_[starts, n])
    slot = np.arange(n) - np.repeat(starts, sizes)
    pos = np.empty(n)
    pos[order] = (slot + rng.uniform(0.4, 0.6, n)) / np.repeat(sizes, sizes)
    return pos


def split_counts(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total`` in proportion to ``weights`` (largest remainder)."""
    w = np.asarray(weights, float)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), np.int64)
    exact = total * w / w.sum()
    base = np.floor(exact).astype(np.int64)
    rest = total - base.sum()
    if rest:
        base[np.argsort(base - exact, kind="stable")[:rest]] += 1
    return base


def ranks_within(groups: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A random rank of each element within its group, and the group sizes per element."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((rng.random(n), groups))
    sg = groups[order]
    starts = np.r_[0, np.flatnonzero(sg[1:] != sg[:-1]) + 1]
    sizes = np.diff(np.r_[starts, n])
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, sizes)
    size = np.empty(n, np.int64)
    size[order] = np.repeat(sizes, sizes)
    return rank, size


def quota(groups: np.ndarray, rate: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Flags exactly ``round(rate * size)`` randomly chosen elements of each group.

    ``rate`` is given per element (constant within a group).
    """
    rank, size = ranks_within(groups, rng)
    return rank < np.round(rate * size)


def categories(groups: np.ndarray, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Category index per element with exact rounded counts per group.

    ``shares`` has one row per element (constant within a group) and one column
    per category; the last category takes what the rounding leaves.
    """
    rank, size = ranks_within(groups, rng)
    bounds = np.round(np.cumsum(shares, axis=1) * size[:, None])
    return (rank[:, None] >= bounds).sum(axis=1).clip(0, shares.shape[1] - 1)


def round_sig(x: np.ndarray, digits: int = 2) -> np.ndarray:
    """Round to ``digits`` significant digits (zeros stay zero)."""
    x = np.asarray(x, float)
    mag = np.floor(np.log10(np.where(x > 0, x, 1.0)))
    step = 10.0 ** (mag - digits + 1)
    return np.where(x > 0, np.round(x / step) * step, 0.0)


BENFORD = np.log10(1 + 1 / np.arange(1, 10))


def first_digits(values: np.ndarray) -> np.ndarray:
    """First significant digit of each positive value (others are dropped)."""
    v = np.asarray(values, float)
    v = v[v > 0]
    return np.clip((v / 10.0 ** np.floor(np.log10(v))).astype(np.int64), 1, 9)


def digits_towards(rng: np.random.Generator, n: int, others: np.ndarray, shares: np.ndarray = BENFORD) -> np.ndarray:
    """``n`` first digits that bring the digits of ``others`` together with them close to ``shares``.

    A school's finance figures repeat their first digit year after year; its
    many donations make up the difference, as in a large ledger (Benford's law
    for clean schools, the invented pattern for fabricating ones).
    """
    have = np.bincount(first_digits(others), minlength=10)[1:]
    deficit = np.maximum((n + have.sum()) * shares - have, 0)
    share = deficit / deficit.sum() if deficit.sum() > 0 else shares
    return rng.permutation(np.repeat(np.arange(1, 10), rng.multinomial(n, share / share.sum())))


def with_first_digits(values: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """``values`` moved within their order of magnitude so that their first digits are ``digits`` (as a multiset).

    The values are ranked by mantissa and take the wanted digits in that
    order, so each moves as little as the new digits allow and a value that
    is large within its decade stays large.
    """
    values = np.asarray(values, float)
    exponent = np.floor(np.log10(values))
    order = np.argsort(np.log10(values) - exponent, kind="stable")
    wanted = np.sort(np.asarray(digits))
    start = np.searchsorted(wanted, wanted, side="left")
    count = np.searchsorted(wanted, wanted, side="right") - start
    within = (np.arange(len(wanted)) - start + 0.5) / count
    mantissa = np.log10(wanted) + within * (np.log10(wanted + 1) - np.log10(wanted))
    out = np.empty_like(values)
    out[order] = 10.0 ** (exponent[order] + mantissa)
    return out


def text(values: np.ndarray) -> pd.Series:
    """A column of strings kept as plain Python objects (no conversion to pandas' string type)."""
    return pd.Series(np.asarray(values).astype(object), dtype=object, copy=False)


def pick(rng: np.random.Generator, options: tuple | list, n: int) -> np.ndarray:
    """``n`` uniform picks from ``options`` (as an object array)."""
    arr = np.empty(len(options), object)
    arr[:] = list(options)
    return arr[rng.integers(0, len(options), n)]
