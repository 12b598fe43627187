"""The discrepancy rate of a school's records, estimated from its checked sample, with its interval.

For ``n`` checked records out of the school's ``N`` of that kind, ``x`` of them with a discrepancy:

* the estimate is ``p = x / n``;
* the interval is the **Wilson score interval with the finite-population correction**: the sample was
  drawn without replacement, so the variance of ``p`` is ``p(1−p)/n · (N−n)/(N−1)``; the Wilson
  formula is applied with the effective size ``n* = n · (N−1)/(N−n)`` (Cochran, *Sampling Techniques*,
  §3.4; Wilson 1927), at the configured confidence (default 95 %, ``z = 1.96``):
  ``(p + z²/2n* ± z·sqrt(p(1−p)/n* + z²/4n*²)) / (1 + z²/n*)``;
* the interval is then bounded by what is known for certain: at least ``x`` of the ``N`` records are
  wrong and at most ``x + (N − n)`` are (``[x/N, (x+N−n)/N]``); when every record was checked
  (``n = N``) the interval is the rate itself.

A warning is raised where the whole interval lies above the configured tolerance (its lower bound
exceeds it) and at least ``min_checked`` records were checked, so a school is never flagged on a
sample too small to tell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import yaml

CONFIG = Path(__file__).with_name("spotcheck.yaml")
CONFIG_KEYS = {"confidence", "tolerance", "red_tolerance", "min_checked", "source"}
CONFIRMED, DISCREPANCY, PENDING = "confirmed", "discrepancy", ""
OUTCOMES = (CONFIRMED, DISCREPANCY)
OUTCOME_ZH = {CONFIRMED: "核实无误", DISCREPANCY: "存在差错", PENDING: "待核查"}
ESTIMATE_COLUMNS = ["sample_id", "school_id", "year", "kind", "population", "drawn", "checked", "discrepancies",
                    "rate", "lower", "upper"]


@dataclass(frozen=True)
class SpotConfig:
    """Confidence of the interval and the tolerances (rates, 0–1) above which a warning is raised."""

    confidence: float = 0.95
    tolerance: float = 0.05
    red_tolerance: float = 0.15
    min_checked: int = 5
    source: str = ""

    @property
    def z(self) -> float:
        return NormalDist().inv_cdf(1 - (1 - self.confidence) / 2)


def load_config(path: str | Path | None = None) -> SpotConfig:
    """The tolerances of ``spotcheck.yaml`` (or ``path``); unknown keys are refused."""
    from ..workflow.errors import InvalidChange

    raw = yaml.safe_load(Path(path or CONFIG).read_text(encoding="utf-8")) or {}
    unknown = sorted(set(raw) - CONFIG_KEYS)
    if unknown:
        raise InvalidChange(f"抽查配置含未知的键 {', '.join(unknown)}", f"unknown keys in spot-check config: {unknown}")
    cfg = SpotConfig(**raw)
    if not (0 < cfg.confidence < 1 and 0 <= cfg.tolerance <= cfg.red_tolerance <= 1):
        raise InvalidChange("抽查配置：置信水平须在 0–1 之间，且 0 ≤ tolerance ≤ red_tolerance ≤ 1",
                            "spot-check config: confidence in (0, 1) and 0 ≤ tolerance ≤ red_tolerance ≤ 1")
    return cfg


def wilson_fpc(x: int, n: int, population: int, z: float = 1.959963984540054) -> tuple[float, float, float]:
    """(rate, lower, upper) of ``x`` discrepancies among ``n`` checked of ``population`` records.

    >>> [round(v, 4) for v in wilson_fpc(2, 20, 200)]
    [0.1, 0.0295, 0.2889]
    """
    if n <= 0:
        return (math.nan, math.nan, math.nan)
    population = max(int(population), n)
    p = x / n
    floor, ceiling = x / population, (x + population - n) / population
    if n >= population:
        return (p, p, p)
    n_eff = n * (population - 1) / (population - n)
    z2 = z * z
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = z / (1 + z2 / n_eff) * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff))
    return (p, max(centre - half, floor, 0.0), min(centre + half, ceiling, 1.0))


def estimates(records: pd.DataFrame, cfg: SpotConfig | None = None) -> pd.DataFrame:
    """One row per sample, school and kind (:data:`ESTIMATE_COLUMNS`) from the sampled records
    (``sample_id, school_id, year, kind, population, outcome``)."""
    cfg = cfg or SpotConfig()
    if records.empty:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    rows = []
    for (sample, school, year, kind), g in records.groupby(["sample_id", "school_id", "year", "kind"], sort=True):
        checked = g[g["outcome"].isin(OUTCOMES)]
        x, n, big_n = int((checked["outcome"] == DISCREPANCY).sum()), len(checked), int(g["population"].max())
        rate, lower, upper = wilson_fpc(x, n, big_n, cfg.z)
        rows.append((int(sample), str(school), int(year), kind, big_n, len(g), n, x, rate, lower, upper))
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)
