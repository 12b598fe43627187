"""``trend`` (纵向): a value against its own past, net of the province's change that year.

Consistency over time as the WHO data-quality tool checks it (``shared/domain.md`` §7), made robust:

* **Baseline.** The median of the school's values of the previous ``trend.history_years`` years, leaving
  out every value this method already flagged — so one wrong year is never the yardstick of the next
  (no echo), and a value that returns to normal after a spike is not a new warning.
* **Province.** The province's typical change that year (the median over the schools: a ratio for
  amounts and counts, a shift in points for rates) is taken out, so a change every school shares is not
  one school's problem.
* **By kind of value.** A rate (unit %) is compared in percentage points, and only when the expected
  rate lies outside the binomial (Wilson) interval of the observed one; a count of events (people,
  courses, enterprises — or the numerator of a ratio of such counts) by an exact Poisson test, so 1
  international student against 1.7 is no warning; other amounts by their ratio to the expectation,
  outside 1 ± ``trend.tolerance`` (the detector ``trend_ratio``).
* **Direction.** Only a move in the bad direction is a warning (yellow, red when it is large); a large
  move in the good direction is a note (``info``) asking to check the figure, never red or yellow.
* **Unusual.** Schools move a little every year; a move is a warning only when it is also unusual among
  the province's moves that year (modified z of the deviation above ``trend.unusual_z``), wherever
  enough schools report the indicator to tell.

Also flagged: ``trend.declines`` consecutive moves in the bad direction that together lose a material
share (or points).  Every expected value shown stays within the indicator's possible range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .. import registry
from ..config import Thresholds
from ..flags import Flag, fmt_number
from ..inputs import IndicatorMeta, WarningInputs
from .common import good_direction_note, to_frame, value_flag, where_en, where_zh
from .uncertainty import wilson

SOURCE = "纵向比较：与本校以往各年（最多三年，不含已预警的年份）的中位数比较，并扣除全省同期变化"
KEYS = ["school_id", "layer", "unit", "indicator_id"]


class _Wide:
    """One layer's series as arrays (series × years): values, numerators, denominators, people."""

    def __init__(self, inputs: WarningInputs, layer: str) -> None:
        vals = inputs.values[(inputs.values["layer"] == layer) & inputs.values["value"].notna()]
        wide = vals.pivot_table(index=KEYS, columns="year", values="value", aggfunc="first")
        self.keys = wide.index.to_frame(index=False)
        self.years = wide.columns.to_numpy()

        def grid(column: str) -> np.ndarray:
            table = vals.pivot_table(index=KEYS, columns="year", values=column, aggfunc="first", dropna=False)
            return table.reindex(index=wide.index, columns=wide.columns).to_numpy(dtype=np.float64)

        self.value = wide.to_numpy(dtype=np.float64)
        self.num, self.den, self.people = grid("numerator"), grid("denominator"), grid("people")
        self.metas = [inputs.meta(i) for i in self.keys["indicator_id"]]
        self.codes = self.keys.groupby("indicator_id", sort=False).ngroup().to_numpy()
        self.kind = np.array([m.kind for m in self.metas], dtype=object)
        self.higher = np.array([m.higher_is_better for m in self.metas], dtype=bool)


def trend_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Consistency-over-time and consecutive-move flags for every unit-indicator-year."""
    if inputs.values.empty:
        return to_frame([])
    flags: list[Flag] = []
    for layer in cfg.value("trend.layers"):
        w = _Wide(inputs, layer)
        if not len(w.value):
            continue
        excluded = np.zeros(w.value.shape, dtype=bool)  # values already flagged: never a baseline
        for t in range(1, len(w.years)):
            found = _year(w, cfg, t, excluded)
            flags += found
            flags += _moves(w, cfg, t)
    return to_frame(flags)


def _baseline(w: _Wide, cfg: Thresholds, t: int, excluded: np.ndarray) -> np.ndarray:
    """Median of the unflagged values of the previous ``history_years`` years (NaN with too few)."""
    depth = cfg.value("trend.history_years")
    cols = [j for j in range(t) if w.years[t] - w.years[j] <= depth]
    if not cols:
        return np.full(len(w.value), np.nan)
    history = np.where(excluded[:, cols], np.nan, w.value[:, cols])
    enough = (~np.isnan(history)).sum(axis=1) >= max(1, cfg.value("trend.min_history"))
    filled = np.where(enough[:, None], history, 0.0)  # rows without history: no all-NaN median
    return np.where(enough, np.nanmedian(filled, axis=1), np.nan)


def _year(w: _Wide, cfg: Thresholds, t: int, excluded: np.ndarray) -> list[Flag]:
    base = _baseline(w, cfg, t, excluded)
    x = w.value[:, t]
    judged = ~np.isnan(x) & ~np.isnan(base) & ~(w.people[:, t] < cfg.value("trend.min_n"))
    judged &= (w.kind == "rate") | (base > 0)
    out: list[Flag] = []
    for code in np.unique(w.codes[judged]):
        rows = np.flatnonzero(judged & (w.codes == code))
        meta = w.metas[rows[0]]
        if meta.kind == "rate":
            shift = float(np.median(x[rows] - base[rows]))
            expected = np.clip(base[rows] + shift, 0.0, 100.0)
            verdict = _rate_verdicts(w, cfg, t, rows, expected)
            province = shift
        else:
            det = registry.make(cfg.value("trend.detector"), tolerance=cfg.value("trend.tolerance"))
            det.fit(np.column_stack([base[rows], x[rows]]))
            expected = base[rows] * det.province_ratio_
            verdict = _relative_verdicts(w, cfg, t, rows, expected, meta)
            province = det.province_ratio_ - 1
        verdict = np.where(_unusual(cfg, _deviation(meta, x[rows], expected)), verdict, 0)
        for k in np.flatnonzero(verdict > 0):
            i = rows[k]
            excluded[i, t] = True
            out.append(_flag(w, cfg, i, t, base[i], expected[k], province, int(verdict[k])))
    return out


def _deviation(meta: IndicatorMeta, x: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """How far each value is from its expectation: points for a rate, a log ratio otherwise."""
    if meta.kind == "rate":
        return x - expected
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.maximum(x, 1e-9) / np.maximum(expected, 1e-9))


def _unusual(cfg: Thresholds, deviation: np.ndarray) -> np.ndarray:
    """Whether each deviation is unusual among the province's that year: a modified z above
    ``trend.unusual_z`` (judged only where ``trend.unusual_min_group`` schools give a spread; a smaller
    group keeps every deviation the fixed thresholds found)."""
    finite = np.isfinite(deviation)
    if finite.sum() < cfg.value("trend.unusual_min_group"):
        return np.ones(len(deviation), dtype=bool)
    det = registry.make(cfg.value("peer.detector"), threshold=cfg.value("trend.unusual_z"))
    det.fit(deviation[finite, None])
    out = np.ones(len(deviation), dtype=bool)  # an infinite deviation (from nothing to something) is unusual
    out[finite] = det.predict(deviation[finite, None]) == -1
    return out


def _rate_verdicts(w: _Wide, cfg: Thresholds, t: int, rows: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """0 no flag, 1 a material move (≥ ``min_change_points``), 2 a large one (≥ ``red_change_points``); a
    rate of counted people must also have the expectation outside its binomial interval."""
    x = w.value[rows, t]
    num, den = w.num[rows, t], w.den[rows, t]
    counted = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    lo, hi = wilson(np.where(counted, num, 0.0), np.where(counted, den, 1.0), cfg.value("trend.confidence"))
    outside = ~counted | (expected < lo * 100) | (expected > hi * 100)
    size = np.abs(x - expected)
    return np.where(outside & (size >= cfg.value("trend.red_change_points")), 2,
                    np.where(outside & (size >= cfg.value("trend.min_change_points")), 1, 0))


def _relative_verdicts(w: _Wide, cfg: Thresholds, t: int, rows: np.ndarray, expected: np.ndarray,
                       meta: IndicatorMeta) -> np.ndarray:
    """0 / 1 (outside 1 ± tolerance) / 2 (outside 1 ± red_tolerance); a count must also fail an exact
    Poisson test at ``trend.poisson_alpha`` (its numerator, for a ratio of counts)."""
    x = w.value[rows, t]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(x / expected - 1)
    verdict = np.where(rel > cfg.value("trend.red_tolerance"), 2, np.where(rel > cfg.value("trend.tolerance"), 1, 0))
    if meta.kind == "count":
        verdict = np.where(_poisson_p(w, t, rows, expected, meta) < cfg.value("trend.poisson_alpha"), verdict, 0)
    return verdict


def _poisson_p(w: _Wide, t: int, rows: np.ndarray, expected: np.ndarray, meta: IndicatorMeta) -> np.ndarray:
    """Two-sided exact Poisson p-value of the observed count against its expectation."""
    num = w.num[rows, t]
    ratio = ~np.isnan(w.den[rows, t])
    k = np.round(np.where(ratio, num, w.value[rows, t]))
    lam = np.where(ratio, expected / meta.factor * w.den[rows, t], expected)
    low = stats.poisson.cdf(k, lam)
    high = stats.poisson.sf(k - 1, lam)
    return np.minimum(1.0, 2 * np.minimum(low, high))


def _flag(w: _Wide, cfg: Thresholds, i: int, t: int, base: float, expected: float, province: float,
          verdict: int) -> Flag:
    meta, year, x = w.metas[i], int(w.years[t]), float(w.value[i, t])
    row = {**w.keys.iloc[i].to_dict(), "year": year, "value": x, "n": w.people[i, t], "people": w.people[i, t]}
    bad = (x < expected) if meta.higher_is_better else (x > expected)
    severity = ("red" if verdict == 2 else "yellow") if bad else cfg.value("trend.good_direction_severity")
    up = x > expected
    dir_zh, dir_en = ("上升", "up") if up else ("下降", "down")
    if meta.kind == "rate":
        change_zh, change_en = f"{abs(x - base):.1f} 个百分点", f"{abs(x - base):.1f} points"
        prov_zh, prov_en = f"{province:+.1f} 个百分点", f"{province:+.1f} points"
        edge = expected + cfg.value("trend.min_change_points") * (1 if up else -1)  # the side it left
    else:
        change_zh = change_en = f"{abs(x / base - 1):.0%}"
        prov_zh = prov_en = f"{province:+.0%}"
        edge = expected * (1 + cfg.value("trend.tolerance") * (1 if up else -1))
    bound = meta.possible(edge)
    expected_text = f"{'≤' if up else '≥'} {fmt_number(bound, meta.unit)}"
    where = where_zh(row["layer"], row["unit"])
    note_zh, note_en = good_direction_note(bad)
    return value_flag(
        row, meta, method="trend", severity=severity, expected=expected_text,
        rule=f"{meta.name_zh}：与本校以往年份中位数比较（扣除全省同期变化）", source=SOURCE,
        message_zh=(f"{where}{meta.name_zh} {fmt_number(x, meta.unit)}，比以往年份中位数 "
                    f"{fmt_number(base, meta.unit)}{dir_zh} {change_zh}（全省同期 {prov_zh}），"
                    f"超出正常波动范围（正常应{expected_text}）{note_zh}"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {fmt_number(x, meta.unit)} is "
                    f"{change_en} {dir_en} on the median of earlier years {fmt_number(base, meta.unit)} "
                    f"(province: {prov_en}), outside the usual range ({expected_text}){note_en}"),
        evidence={"baseline": base, "expected": expected, "kind": meta.kind, "province_change": province,
                  "good_direction": not bad, "bound": bound})


def _moves(w: _Wide, cfg: Thresholds, t: int) -> list[Flag]:
    """``trend.declines`` consecutive moves in the bad direction that add up to a material loss."""
    steps = cfg.value("trend.declines")
    if t < steps or w.years[t] - w.years[t - steps] != steps:
        return []
    window = w.value[:, t - steps:t + 1]
    sign = np.where(w.higher, 1.0, -1.0)[:, None]
    worse = np.all(np.diff(window, axis=1) * sign < 0, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lost = (window[:, 0] - window[:, -1]) * sign[:, 0]
        relative = lost / np.abs(window[:, 0])
    material = np.where(w.kind == "rate", lost >= cfg.value("trend.min_change_points"),
                        relative >= cfg.value("trend.decline_min_total"))
    hits = worse & material & ~(w.people[:, t] < cfg.value("trend.min_n"))
    for code in np.unique(w.codes[hits]):  # the loss must be unusual among the province's too
        rows = np.flatnonzero((w.codes == code) & ~np.isnan(lost))
        change = np.where(w.kind[rows] == "rate", lost[rows], relative[rows])
        unusual = _unusual(cfg, change)
        hits[rows[~unusual]] = False
    out: list[Flag] = []
    for i in np.flatnonzero(hits):
        meta = w.metas[i]
        row = {**w.keys.iloc[i].to_dict(), "year": int(w.years[t]), "value": w.value[i, t], "n": w.people[i, t],
               "people": w.people[i, t]}
        series = "、".join(fmt_number(v, meta.unit) for v in window[i])
        total = (f"{lost[i]:.1f} 个百分点", f"{lost[i]:.1f} points") if meta.kind == "rate" else \
            (f"{relative[i]:.0%}", f"{relative[i]:.0%}")
        worse_zh, worse_en = ("下降", "fell") if meta.higher_is_better else ("上升", "rose")
        out.append(value_flag(
            row, meta, method="trend", severity=cfg.value("trend.decline_severity"),
            expected=f"{'≥' if meta.higher_is_better else '≤'} {fmt_number(window[i, -2], meta.unit)}",
            rule=f"{meta.name_zh}连续 {steps} 年向不利方向变化", source="纵向比较：连续三年向不利方向变化",
            message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh}连续 {steps} 年{worse_zh}"
                        f"（{series}），累计{worse_zh} {total[0]}"),
            message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {worse_en} {steps} years in a row "
                        f"({series}), {total[1]} in all"),
            evidence={"series": window[i].tolist(), "years": w.years[t - steps:t + 1].tolist(),
                      "total_change": float(lost[i]), "relative_change": float(relative[i])}))
    return out
