"""``trend`` (纵向): a value against its own past, relative to the province's change.

WHO data-quality tool (``shared/domain.md`` §7): the current value ÷ the mean of the three previous
years — or a linear-trend forecast where the series trends — is flagged when it lies outside
1 ± 33% of the same ratio for the whole province (detector ``trend_ratio``; the province's ratio is the
median of the schools' ratios, so one wrong report cannot shift it).  Also flagged: three
consecutive declines of a higher-is-better indicator that together lose a material share.  With
fewer earlier years than three, the mean of those there are is used; with none, nothing is judged.
A percentage must also move by ``trend.min_change_points`` points: a small rate doubles by chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry
from ..config import Thresholds
from ..flags import Flag, fmt_number, fmt_range
from ..inputs import WarningInputs
from .common import to_frame, value_flag, where_en, where_zh

SOURCE = "domain.md §7（WHO 数据质量工具：与前三年均值之比，对照全省同比）"
KEYS = ["school_id", "layer", "unit", "indicator_id"]


def _series(inputs: WarningInputs, cfg: Thresholds) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Wide series: keys frame, years, values (series × years) and n (series × years)."""
    vals = inputs.values[inputs.values["layer"].isin(cfg.value("trend.layers"))]
    vals = vals[vals["value"].notna()]
    vals = vals.assign(n=vals["people"])  # only percentages are judged by their number of people
    wide = vals.pivot_table(index=KEYS, columns="year", values="value", aggfunc="first")
    n = vals.pivot_table(index=KEYS, columns="year", values="n", aggfunc="first", dropna=False)
    n = n.reindex(index=wide.index, columns=wide.columns)
    return (wide.index.to_frame(index=False), wide.columns.to_numpy(), wide.to_numpy(dtype=np.float64),
            n.to_numpy(dtype=np.float64))


def expected_values(history: np.ndarray, years: np.ndarray, year: int,
                    cfg: Thresholds) -> tuple[np.ndarray, np.ndarray]:
    """Expected current value per row, and whether it is a linear-trend forecast.

    ``history`` holds the previous ``trend.history_years`` years (NaN where missing).  The mean of the
    available years is used, unless at least ``forecast_min_points`` years fit a line with
    R² ≥ ``forecast_min_r2`` whose slope is ≥ ``forecast_min_slope`` of the mean per year.
    """
    w = ~np.isnan(history)
    count = w.sum(axis=1)
    y = np.where(w, history, 0.0)
    x = np.broadcast_to(years.astype(np.float64) - year, history.shape) * w  # centred on the current year
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count >= cfg.value("trend.min_history"), y.sum(axis=1) / count, np.nan)
        sx, sy, sxx, sxy = x.sum(axis=1), y.sum(axis=1), (x * x).sum(axis=1), (x * y).sum(axis=1)
        slope = (count * sxy - sx * sy) / (count * sxx - sx * sx)
        intercept = (sy - slope * sx) / count  # = the forecast at the current year
        resid = np.where(w, y - (intercept[:, None] + slope[:, None] * x), 0.0)
        total = np.where(w, y - mean[:, None], 0.0)
        r2 = 1 - (resid ** 2).sum(axis=1) / (total ** 2).sum(axis=1)
    trending = ((count >= cfg.value("trend.forecast_min_points")) & (r2 >= cfg.value("trend.forecast_min_r2"))
                & (np.abs(slope) >= cfg.value("trend.forecast_min_slope") * np.abs(mean)) & (intercept > 0))
    forecast = np.where(trending, intercept, np.nan)
    is_forecast = ~np.isnan(forecast)
    return np.where(is_forecast, forecast, mean), is_forecast


def trend_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Consistency-over-time and consecutive-decline flags for every unit-indicator-year."""
    if inputs.values.empty:
        return to_frame([])
    keys, years, values, ns = _series(inputs, cfg)
    codes = keys.groupby(["indicator_id", "layer"], sort=False).ngroup().to_numpy()  # one province per code
    flags: list[Flag] = []
    depth = cfg.value("trend.history_years")
    for t in range(1, len(years)):
        lo = max(0, t - depth)
        present = [j for j in range(lo, t) if years[t] - years[j] <= depth]
        history = values[:, present] if present else np.full((len(values), 1), np.nan)
        expected, is_forecast = expected_values(history, years[present] if present else years[:1],
                                                int(years[t]), cfg)
        judged = ~np.isnan(values[:, t]) & ~np.isnan(expected) & (expected > 0)
        judged &= ~(ns[:, t] < cfg.value("trend.min_n"))
        order = np.flatnonzero(judged)
        order = order[np.argsort(codes[order], kind="stable")]
        for rows in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1) if len(order) else []:
            flags += _ratio_flags(inputs, cfg, keys, rows, int(years[t]), expected[rows], values[rows, t],
                                  ns[rows, t], is_forecast[rows])
        flags += _decline_flags(inputs, cfg, keys, years, values, ns, t)
    return to_frame(flags)


def _row(keys: pd.DataFrame, i: int, year: int, value: float, n: float) -> dict:
    return {**keys.iloc[i].to_dict(), "year": year, "value": value, "n": n}


def _ratio_flags(inputs: WarningInputs, cfg: Thresholds, keys: pd.DataFrame, rows: np.ndarray, year: int,
                 expected: np.ndarray, observed: np.ndarray, n: np.ndarray, forecast: np.ndarray) -> list[Flag]:
    tol, red = cfg.value("trend.tolerance"), cfg.value("trend.red_tolerance")
    det = registry.make(cfg.value("trend.detector"), tolerance=tol)
    X = np.column_stack([expected, observed])
    det.fit(X)
    rel = det.relative_ratio(X)
    out: list[Flag] = []
    for k in np.nonzero(det.predict(X) == -1)[0]:
        i = rows[k]
        meta = inputs.meta(keys.at[i, "indicator_id"])
        if meta.is_rate and abs(observed[k] - expected[k]) < cfg.value("trend.min_change_points"):
            continue  # 1.5% → 2.5% is +67% but only one point: not material
        row = _row(keys, i, year, observed[k], n[k])
        change = observed[k] / expected[k] - 1
        prov = det.province_ratio_ - 1
        band = (expected[k] * det.province_ratio_ * (1 - tol), expected[k] * det.province_ratio_ * (1 + tol))
        basis_zh = "按前几年趋势外推的预测值" if forecast[k] else "前三年平均"
        basis_en = "the trend forecast" if forecast[k] else "the mean of the previous three years"
        dir_zh = "上升" if change > 0 else "下降"
        out.append(value_flag(
            row, meta, method="trend", severity="red" if abs(rel[k] - 1) > red else "yellow",
            expected=fmt_range(*band, meta.unit),
            rule=f"本年值 ÷ {basis_zh} 在全省同比的 1 ± {tol:.0%} 以内", source=SOURCE,
            message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh} {fmt_number(observed[k], meta.unit)}，"
                        f"比{basis_zh} {fmt_number(expected[k], meta.unit)}{dir_zh} {abs(change):.0%}"
                        f"（全省同期 {prov:+.0%}），超出 ±{tol:.0%} 的正常波动范围"),
            message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {fmt_number(observed[k], meta.unit)} "
                        f"is {abs(change):.0%} {'above' if change > 0 else 'below'} {basis_en} "
                        f"{fmt_number(expected[k], meta.unit)} (province: {prov:+.0%}), outside the usual ±{tol:.0%}"),
            evidence={"expected": expected[k], "own_ratio": observed[k] / expected[k],
                      "province_ratio": det.province_ratio_, "relative_ratio": rel[k],
                      "forecast": bool(forecast[k]), "tolerance": tol}))
    return out


def _decline_flags(inputs: WarningInputs, cfg: Thresholds, keys: pd.DataFrame, years: np.ndarray,
                   values: np.ndarray, ns: np.ndarray, t: int) -> list[Flag]:
    steps = cfg.value("trend.declines")
    if t < steps or years[t] - years[t - steps] != steps:
        return []
    window = values[:, t - steps:t + 1]
    falling = np.all(np.diff(window, axis=1) < 0, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = (window[:, 0] - window[:, -1]) / np.abs(window[:, 0])
    hits = falling & (loss >= cfg.value("trend.decline_min_total")) & ~(ns[:, t] < cfg.value("trend.min_n"))
    out: list[Flag] = []
    for i in np.nonzero(hits)[0]:
        meta = inputs.meta(keys.at[i, "indicator_id"])
        if not meta.higher_is_better:
            continue
        row = _row(keys, i, int(years[t]), values[i, t], ns[i, t])
        series = "、".join(fmt_number(v, meta.unit) for v in window[i])
        out.append(value_flag(
            row, meta, method="trend", severity=cfg.value("trend.decline_severity"),
            expected=f"≥ {fmt_number(window[i, -2], meta.unit)}",
            rule=f"越高越好的指标连续 {steps} 年下降", source="issue 4（连续三年下降）",
            message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh}连续 {steps} 年下降"
                        f"（{series}），累计下降 {loss[i]:.0%}"),
            message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} fell {steps} years in a row "
                        f"({series}), {loss[i]:.0%} in all"),
            evidence={"series": window[i].tolist(), "years": years[t - steps:t + 1].tolist(),
                      "total_decline": loss[i]}))
    return out
