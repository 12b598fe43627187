"""Figures of the spot checks and the selection, on planted truths (no database).

1. Spot checks: how often the Wilson interval with finite-population correction contains a school's
   true discrepancy rate, when ``n`` of its ``N`` records are drawn without replacement (target 95 %).
2. Selection: how often the 90 % rank interval contains the true rank of a planted province (issue
   15 asks for ≥ 90 %), and the time of scores, rank intervals and weight draws for ``--schools`` schools.

    .venv/bin/python benchmarks/selection_bench.py [--schools 300] [--provinces 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from diagnostics.selection.score import Inputs, rank_intervals, ranks, scores, top_probability
from diagnostics.spotcheck import wilson_fpc


def spot_coverage(rng: np.random.Generator, trials: int = 4000) -> list[tuple[int, int, float, float]]:
    out = []
    for big_n, n, rate in ((200, 20, 0.05), (200, 20, 0.15), (1000, 30, 0.10), (60, 40, 0.10), (5000, 50, 0.02)):
        wrong = int(round(rate * big_n))
        hits = 0
        for _ in range(trials):
            x = rng.hypergeometric(wrong, big_n - wrong, n)
            _, low, high = wilson_fpc(int(x), n, big_n)
            hits += low <= wrong / big_n <= high
        out.append((big_n, n, rate, hits / trials))
    return out


def rank_coverage(rng: np.random.Generator, schools: int, provinces: int) -> tuple[float, float, float]:
    k = 4
    truth = rng.uniform(0.55, 0.95, size=(schools, k))
    den = rng.integers(100, 3000, size=(schools, k)).astype(float)
    signs, w = np.array([1.0, 1.0, -1.0, 1.0]), np.array([0.3, 0.3, 0.2, 0.2])
    true_rank = ranks(scores(truth * 100, signs, w))
    covered, widths, seconds = 0, [], 0.0
    for _ in range(provinces):
        num = rng.binomial(den.astype(int), truth).astype(float)
        inp = Inputs(num / den * 100, num, den, signs, w, w * 0.5, w * 1.5)
        t0 = time.perf_counter()
        low, high = rank_intervals(inp, 400, 0.9, rng)
        top_probability(inp, 30, 1000, rng)
        seconds += time.perf_counter() - t0
        covered += int(((low <= true_rank) & (true_rank <= high)).sum())
        widths.append(float(np.median(high - low)))
    return covered / (schools * provinces), float(np.median(widths)), seconds / provinces


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schools", type=int, default=300)
    ap.add_argument("--provinces", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    print("spot-check interval (95 %, Wilson with FPC): coverage of the true rate")
    for big_n, n, rate, cov in spot_coverage(rng):
        print(f"  N={big_n:5d} n={n:3d} true rate {rate:.0%}: {cov:.1%}")
    cov, width, secs = rank_coverage(rng, args.schools, args.provinces)
    print(f"selection, {args.schools} schools × {args.provinces} planted provinces: 90 % rank interval covers the "
          f"true rank {cov:.1%}; median width {width:.0f} places; {secs:.2f} s per province "
          "(400 bootstrap replicates + 1000 weight draws)")


if __name__ == "__main__":
    main()
