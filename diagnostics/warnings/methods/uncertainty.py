"""Rates of small groups: Wilson intervals, suppression below an n floor, the mix-adjusted benchmark.

Concepts of the UK Office for Students (``shared/domain.md`` §7): show a confidence interval for each
outcome rate (percentages of the items in ``uncertainty.outcome_items``) and flag a shortfall only when
the interval lies beyond the threshold; suppress figures for
groups below about 23 people; compare an outcome rate with a benchmark built from the province's rate
of each program group weighted by the school's own mix of graduates, so no school is blamed for its
mix.  Engine percentages are 0…100; the interval is computed on the proportion numerator ÷ denominator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import registry
from ..config import Thresholds
from ..flags import Flag, fmt_number, fmt_range
from ..inputs import PERCENT, IndicatorMeta, WarningInputs
from .common import SYMBOL, to_frame, value_flag, where_en, where_zh

SOURCE = "成效比较：与按本校专业结构折算的全省基准比较，置信区间整体低于基准时预警"
MET, BELOW, UNCERTAIN = "met", "below", "uncertain"


def wilson(successes: np.ndarray | float, n: np.ndarray | float,
           confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion; NaN where n = 0.

    >>> lo, hi = wilson(8, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4902, 0.9433)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    ok = n > 0
    return np.where(ok, centre - half, np.nan), np.where(ok, centre + half, np.nan)


def is_outcome_rate(meta: IndicatorMeta, cfg: Thresholds) -> bool:
    """A percentage of an outcome item (employment, relatedness, certificates, satisfaction): the rates
    an interval is for.  A share of teachers is a head count of the whole staff, not an outcome."""
    return meta.is_rate and bool(set(meta.items) & set(cfg.value("uncertainty.outcome_items")))


def is_count_rate(meta: IndicatorMeta, row: pd.Series | dict, cfg: Thresholds) -> bool:
    """An outcome rate with its counts known: the interval applies."""
    num, den = row.get("numerator"), row.get("denominator")
    return (is_outcome_rate(meta, cfg) and pd.notna(num) and pd.notna(den) and den > 0
            and float(num).is_integer() and float(den).is_integer())


def rate_scale(meta: IndicatorMeta) -> float:
    """Factor from a proportion to the indicator's own scale (engine percentages are 0…100)."""
    return 100.0 if meta.unit == PERCENT else 1.0


def rate_interval(row: pd.Series | dict, meta: IndicatorMeta, confidence: float) -> tuple[float, float]:
    """The Wilson interval of a rate row, on the value's own scale."""
    lo, hi = wilson(row["numerator"], row["denominator"], confidence)
    return float(lo) * rate_scale(meta), float(hi) * rate_scale(meta)


def judge(value: float, low: float, high: float, threshold: float, op: str) -> str:
    """met / below (the whole interval misses) / uncertain (the value misses, the interval does not)."""
    if (value >= threshold) if op == ">=" else (value <= threshold):
        return MET
    confident = high < threshold if op == ">=" else low > threshold
    return BELOW if confident else UNCERTAIN


def suppressed(n: float | None, cfg: Thresholds) -> bool:
    """Whether a rate of ``n`` people is hidden in displays (OfS: below about 23)."""
    return n is not None and not pd.isna(n) and n < cfg.value("uncertainty.n_floor")


def uncertain_flag(row: pd.Series | dict, meta: IndicatorMeta, cfg: Thresholds, threshold: float, op: str,
                   what_zh: str, what_en: str, low: float, high: float, source: str) -> Flag:
    """'Uncertain' shortfall: the value misses ``threshold`` but its interval reaches it."""
    interval = fmt_range(low, high, meta.unit)
    small = suppressed(row["denominator"], cfg)
    shown = "（人数少，比率不显示）" if small else f" {fmt_number(row['value'], meta.unit)}"
    shown_en = " (group too small to show)" if small else \
        f" {fmt_number(row['value'], meta.unit)}"
    pct = int(round(cfg.value("uncertainty.confidence") * 100))
    return value_flag(
        row, meta, method="uncertainty", severity=cfg.value("uncertainty.severity_uncertain"),
        expected=f"{SYMBOL[op]} {fmt_number(threshold, meta.unit)}", rule=f"{meta.name_zh} {SYMBOL[op]} {what_zh}",
        source=source,
        message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh}{shown}未达{what_zh} "
                    f"{fmt_number(threshold, meta.unit)}，但只有 {int(row['denominator'])} 人，"
                    f"{pct}% 置信区间 {interval} 包含该值，结论不确定"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en}{shown_en} misses the {what_en} "
                    f"{fmt_number(threshold, meta.unit)}, but with only {int(row['denominator'])} people the "
                    f"{pct}% interval {interval} includes it: uncertain"),
        evidence={"low": low, "high": high, "threshold": threshold, "op": op, "confidence": pct / 100,
                  "numerator": row["numerator"], "denominator": row["denominator"]})


# --------------------------------------------------------------------------- mix-adjusted benchmark
def benchmark_frame(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Per school-year-indicator (school layer) and program-year-indicator (program layer): the rate,
    its counts and the benchmark Σ_g share_g · province rate_g over the unit's program groups."""
    group_col = cfg.value("uncertainty.group_column")
    wanted = set(cfg.value("uncertainty.benchmark_indicators"))
    prog = inputs.values[(inputs.values["layer"] == "program") & inputs.values["denominator"].gt(0)
                         & inputs.values["numerator"].notna()]
    prog = prog[inputs.per_row(prog, lambda m: is_outcome_rate(m, cfg) and (not wanted or m.id in wanted)).astype(bool)]
    if prog.empty or inputs.programs.empty:
        return pd.DataFrame()
    groups = inputs.programs[["school_id", "year", "program_code", group_col]].rename(
        columns={"program_code": "unit", group_col: "group"})
    groups = groups.assign(year=pd.to_numeric(groups["year"]).astype("int64"))
    prog = prog.merge(groups, on=["school_id", "year", "unit"], how="inner")
    prog = prog.assign(scale=inputs.per_row(prog, rate_scale))
    rates = (prog.groupby(["indicator_id", "year", "group"])[["numerator", "denominator"]].sum()
             .assign(group_rate=lambda f: f["numerator"] / f["denominator"])[["group_rate"]].reset_index())
    prog = prog.merge(rates, on=["indicator_id", "year", "group"])
    prog = prog.assign(expected_k=prog["group_rate"] * prog["denominator"])
    program_rows = prog.assign(benchmark=prog["group_rate"])
    school_rows = (prog.groupby(["school_id", "year", "indicator_id"])
                   .agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                        expected_k=("expected_k", "sum"), scale=("scale", "median"),
                        groups=("group", lambda g: sorted(set(g)))).reset_index())
    school_rows = school_rows.assign(layer="school", unit="", benchmark=school_rows["expected_k"]
                                     / school_rows["denominator"])
    school_rows = school_rows.assign(value=school_rows["numerator"] / school_rows["denominator"]
                                     * school_rows["scale"], n=school_rows["denominator"])
    program_rows = program_rows.assign(groups=program_rows["group"].map(lambda g: [g]))
    cols = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator", "n",
            "benchmark", "scale", "groups"]
    both = pd.concat([school_rows[cols], program_rows[cols]], ignore_index=True)
    return both[both["layer"].isin(cfg.value("uncertainty.benchmark_layers"))].reset_index(drop=True)


def benchmark_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Rates whose whole interval lies beyond their mix-adjusted benchmark by a material gap.

    Such a gap is a warning (``severity_below``) when it is also unusual among the province's gaps for
    that indicator and year (modified z above ``unusual_gap_z``); otherwise it is a note
    (``severity_uncertain``): schools differ, and half of them are below any average."""
    bench = benchmark_frame(inputs, cfg)
    if bench.empty:
        return to_frame([])
    conf = cfg.value("uncertainty.confidence")
    lo, hi = wilson(bench["numerator"].to_numpy(), bench["denominator"].to_numpy(), conf)
    bench = bench.assign(low=lo * bench["scale"], high=hi * bench["scale"],
                         bench_value=bench["benchmark"] * bench["scale"])
    higher = inputs.per_row(bench, "higher_is_better").to_numpy(dtype=bool)
    bench = bench.assign(shortfall=np.where(higher, bench["bench_value"] - bench["value"],
                                            bench["value"] - bench["bench_value"]),
                         confident=np.where(higher, bench["high"] < bench["bench_value"],
                                            bench["low"] > bench["bench_value"]))
    bench["gap_z"] = bench.groupby(["indicator_id", "year", "layer"])["shortfall"].transform(
        lambda g: _gap_z(g, cfg))
    flags: list[Flag] = []
    for row in bench.itertuples(index=False):
        meta = inputs.meta(row.indicator_id)
        material = cfg.value("uncertainty.materiality") * (100.0 if meta.unit == PERCENT else 1.0)
        if row.confident and row.shortfall >= material:
            unusual = row.gap_z > cfg.value("uncertainty.unusual_gap_z")
            severity = cfg.value("uncertainty.severity_below" if unusual else "uncertainty.severity_uncertain")
            flags.append(_benchmark_flag(pd.Series(row._asdict()), meta, cfg, severity))
    return to_frame(flags)


def _gap_z(shortfalls: pd.Series, cfg: Thresholds) -> np.ndarray:
    """Signed modified z of each shortfall among the province's (positive: a larger shortfall)."""
    x = shortfalls.to_numpy(dtype=np.float64)[:, None]
    if len(x) < cfg.value("peer.min_group"):
        return np.zeros(len(x))
    det = registry.make(cfg.value("peer.detector"), threshold=cfg.value("uncertainty.unusual_gap_z")).fit(x)
    return np.sign(x[:, 0] - np.ravel(det.center_)[0]) * -det.score_samples(x)


def _benchmark_flag(row: pd.Series, meta: IndicatorMeta, cfg: Thresholds, severity: str) -> Flag:
    bench = fmt_number(row["bench_value"], meta.unit)
    interval = fmt_range(row["low"], row["high"], meta.unit)
    side_zh, side_en = ("低于", "below") if meta.higher_is_better else ("高于", "above")
    small = suppressed(row["n"], cfg)
    shown = "" if small else f" {fmt_number(row['value'], meta.unit)}"
    return value_flag(
        row, meta, method="uncertainty", severity=severity,
        expected=bench, rule=f"{meta.name_zh}：按本校专业大类结构加权的全省基准",
        source=SOURCE,
        message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh}{shown}明显{side_zh}按本校专业结构"
                    f"折算的全省基准 {bench}（{int(row['denominator'])} 人，置信区间 {interval} 整体{side_zh}基准）"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en}{shown} is clearly {side_en} the "
                    f"province benchmark for this program mix, {bench} ({int(row['denominator'])} people; the "
                    f"whole interval {interval} is {side_en} it)"),
        evidence={"benchmark": row["bench_value"], "low": row["low"], "high": row["high"],
                  "program_groups": list(row["groups"]), "numerator": row["numerator"],
                  "denominator": row["denominator"], "suppressed": small, "gap_z": row["gap_z"]})
