"""``peer`` (横向): a value against its comparison group in the same year.

Modified z-score 0.6745·|x − median| / MAD within the group, with the mean-absolute-deviation fallback
when MAD = 0 (detector ``modified_z``, ``shared/domain.md`` §7, DHIS2 / WHO); yellow above 3.5, red
above 5.  The default group is the schools of the same level and category (IPEDS: same level and
type); a school that chose its own peers (stored, :mod:`.peers`) is compared with them instead.  The
percentile rank in the group is reported alongside.  Positive amounts and ratios are compared on a
log scale (``peer.log_scale``): twice the median is as far as half of it.  In a group smaller than
``peer.pool_below`` a school is measured from the median of its peers (the rest of the group) and the
spread of those distances is pooled over all groups of its level, since the MAD of four or five
values is itself noise.  Rates of fewer than ``peer.min_n``
people and groups smaller than ``peer.min_group`` are not judged, and a value must lie materially far
from its peers' median (:func:`material`) to be flagged at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry
from ..config import Thresholds
from ..flags import Flag, fmt_number
from ..inputs import WarningInputs
from .common import good_direction_note, side_words, to_frame, value_flag, where_en, where_zh

SOURCE = "横向比较：与全省同类院校的中位数比较（稳健 z 值超过 3.5 为异常，超过 5 为极端）"


def percentile_rank(values: np.ndarray, x: float) -> float:
    """Share of the group below ``x`` (ties count half), in percent.

    >>> percentile_rank(np.array([1., 2., 3., 4.]), 3.)
    62.5
    """
    return float(100.0 * (np.sum(values < x) + 0.5 * np.sum(values == x)) / len(values))


def loo_medians(values: np.ndarray) -> np.ndarray:
    """For each value, the median of the *other* values of its group (leave one out).

    >>> loo_medians(np.array([10., 10.5, 11., 11.5, 30.])).tolist()
    [11.25, 11.25, 11.0, 10.75, 10.75]
    """
    order = np.argsort(values, kind="stable")
    v, n = values[order], len(values)
    k = np.arange(n)  # position of the left-out value in sorted order

    def rest(j: int) -> np.ndarray:  # the j-th smallest of the others
        return np.where(j < k, v[j], v[np.minimum(j + 1, n - 1)])

    m = (n - 1) // 2
    med = rest(m) if (n - 1) % 2 else (rest(m - 1) + rest(m)) / 2
    out = np.empty(n)
    out[order] = med
    return out


def _candidates(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    vals = inputs.values[inputs.values["layer"].isin(cfg.value("peer.layers")) & inputs.values["value"].notna()]
    vals = vals[~inputs.small_rates(vals, cfg.value("peer.min_n"))]
    vals = inputs.with_school_attrs(vals[["school_id", "year", "layer", "unit", "indicator_id", "value", "n", "people"]])
    if "program" in cfg.value("peer.layers") and not inputs.programs.empty:
        groups = inputs.programs[["school_id", "year", "program_code", "program_group"]].rename(
            columns={"program_code": "unit"})
        groups = groups.assign(year=pd.to_numeric(groups["year"]).astype("int64"))
        vals = vals.merge(groups, on=["school_id", "year", "unit"], how="left")
    return vals


PEER_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "n", "people", "level", "category",
                "peer_group", "program_group"]


def _bounds(codes: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal codes in a sorted code array."""
    cut = np.flatnonzero(np.diff(codes)) + 1
    starts, stops = np.r_[0, cut], np.r_[cut, len(codes)]
    return list(zip(starts.tolist(), stops.tolist()))


class _Layer:
    """The values of one layer sorted by indicator, year and comparison group, as arrays."""

    def __init__(self, inputs: WarningInputs, cfg: Thresholds, part: pd.DataFrame, by: list[str]) -> None:
        keys = ["indicator_id", "year", *by]
        self.rows = part.dropna(subset=by).sort_values(keys, kind="stable").reset_index(drop=True)
        self.by = by
        value = self.rows["value"].to_numpy(dtype=np.float64)
        stratum = self.rows.groupby(["indicator_id", "year"], sort=False).ngroup().to_numpy()
        positive = pd.Series(value > 0).groupby(stratum).transform("all").to_numpy()
        rate = inputs.per_row(self.rows, "is_rate").to_numpy(dtype=bool)
        self.log = bool(cfg.value("peer.log_scale")) & positive & ~rate
        self.t = np.where(self.log, np.log(np.where(value > 0, value, 1.0)), value)
        self.groups = _bounds(self.rows.groupby(keys, sort=False).ngroup().to_numpy())
        self.outer = _bounds(self.rows.groupby(keys[:-1], sort=False).ngroup().to_numpy())
        self.r = np.full(len(value), np.nan)  # distance from the median of the rest of the group
        for start, stop in self.groups:
            if stop - start >= cfg.value("peer.min_group"):
                self.r[start:stop] = self.t[start:stop] - loo_medians(self.t[start:stop])

    def label(self, row: int) -> tuple[str, str]:
        """The comparison group in words: 全省同类院校（高职·工科）, or 全省高职院校 for a whole level."""
        if "peer_group" in self.by:
            group = str(self.rows.at[row, "peer_group"])
            return ((f"全省同类院校（{group}）", f"similar schools ({group})") if "·" in group
                    else (f"全省{group}院校", f"{group} schools of the province"))
        text = "·".join(str(self.rows.at[row, c]) for c in self.by)
        return f"全省同类院校（{text}）", f"similar schools ({text})"


def peer_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Flags for values far from their comparison group's median."""
    vals = _candidates(inputs, cfg)
    if vals.empty:
        return to_frame([])
    vals = vals.reindex(columns=PEER_COLUMNS)
    flags: list[Flag] = []
    custom = {s: set(p) for s, p in inputs.peer_groups.items() if p}
    min_group, pool_below = cfg.value("peer.min_group"), cfg.value("peer.pool_below")
    for layer, part in vals.groupby("layer", sort=False):
        lay = _Layer(inputs, cfg, part, list(cfg.value("peer.program_group_by" if layer == "program"
                                                       else "peer.group_by")))
        judged = ~lay.rows["school_id"].isin(custom).to_numpy() if layer == "school" else np.ones(len(lay.rows), bool)
        groups = iter(lay.groups)
        for start, stop in lay.outer:
            members = []
            for g in groups:
                members.append(g)
                if g[1] == stop:
                    break
            small = [g for g in members if min_group <= g[1] - g[0] < pool_below]
            if small:
                idx = np.array([i for g in small for i in range(*g) if judged[i]], dtype=int)
                pooled = lay.r[start:stop][~np.isnan(lay.r[start:stop])]
                flags += _judge(inputs, cfg, lay, idx, pooled, lay.t[idx] - lay.r[idx], members, True)
            for g in members:
                if g[1] - g[0] >= pool_below:
                    idx = np.arange(*g)[judged[g[0]:g[1]]]
                    flags += _judge(inputs, cfg, lay, idx, lay.t[g[0]:g[1]], np.zeros(len(idx)), [g], False)
        if layer == "school":
            flags += _chosen(inputs, cfg, lay, custom)
    return to_frame(flags)


def _chosen(inputs: WarningInputs, cfg: Thresholds, lay: _Layer, custom: dict[str, set[str]]) -> list[Flag]:
    """Schools that chose their own peers, each judged against them in each indicator-year."""
    out = []
    schools = lay.rows["school_id"].to_numpy()
    for start, stop in lay.outer:
        present = set(schools[start:stop]) & set(custom)
        for school in present:
            pool = np.flatnonzero(np.isin(schools[start:stop], list(custom[school] | {school}))) + start
            own = pool[schools[pool] == school]
            if len(pool) < cfg.value("peer.min_group"):
                continue
            t = lay.t[pool]
            r = t - loo_medians(t)
            centre = (t - r)[schools[pool] == school]
            pooled = lay.r[start:stop][~np.isnan(lay.r[start:stop])]
            small = len(pool) < cfg.value("peer.pool_below")
            out += _judge(inputs, cfg, lay, own, pooled if small else t, centre if small else np.zeros(len(own)),
                          [(int(p), int(p) + 1) for p in pool], small, label=("本校自选比较组",
                                                                           "the school's chosen peer group"))
    return out


def _judge(inputs: WarningInputs, cfg: Thresholds, lay: _Layer, idx: np.ndarray, train: np.ndarray,
           centres: np.ndarray, members: list[tuple[int, int]], pooled: bool,
           label: tuple[str, str] | None = None) -> list[Flag]:
    """Fit the peer detector on ``train`` and flag the outliers among the rows ``idx``.

    A group of at least ``peer.pool_below`` values is scored on its own (median and MAD of the group:
    ``train`` is its values, ``centres`` 0); smaller groups by each value's distance from the median of
    the rest of its group (``centres``), against those distances in every judged group of the level
    (``train``): the spread is estimated from many more schools than the four or five of one group."""
    if not len(idx) or len(train) < cfg.value("peer.min_group"):
        return []
    det = registry.make(cfg.value("peer.detector"), threshold=cfg.value("peer.yellow")).fit(train[:, None])
    scores = det.score_samples((lay.t[idx] - centres)[:, None])
    out = []
    for k in np.flatnonzero(scores - det.offset_ < 0):  # decision_function < 0: an outlier
        row = int(idx[k])
        group = next(g for g in members if g[0] <= row < g[1]) if label is None else None
        rows = range(*group) if group else [g[0] for g in members]
        pool = lay.rows["value"].to_numpy(dtype=np.float64)[list(rows)]
        if not material(inputs.meta(lay.rows.at[row, "indicator_id"]), float(lay.rows.at[row, "value"]),
                        float(np.median(pool)), cfg):
            continue
        mid = centres[k] + float(np.ravel(getattr(det, "center_", [np.nan]))[0])
        spread = cfg.value("peer.yellow") * float(np.ravel(getattr(det, "scale_", [np.nan]))[0])
        band = (np.exp(mid - spread), np.exp(mid + spread)) if lay.log[row] else (mid - spread, mid + spread)
        text = label or lay.label(row)
        out.append(_flag(inputs, cfg, lay.rows.iloc[row], det, float(-scores[k]), pool, band,
                         {"log_scale": bool(lay.log[row]), "pooled_spread": pooled}, *text))
    return out


def material(meta: object, value: float, median: float, cfg: Thresholds) -> bool:
    """Whether ``value`` lies materially far from its peers' ``median``: ``peer.min_gap_points`` for a rate,
    a factor ``peer.min_ratio`` for anything else (a modified z alone calls a hair's breadth unusual when
    the peers agree closely).

    >>> from diagnostics.warnings import load_thresholds
    >>> from diagnostics.warnings.inputs import IndicatorMeta
    >>> cfg = load_thresholds()
    >>> material(IndicatorMeta("n", "合作企业数", "partners", "家"), 79, 80, cfg)
    False
    >>> material(IndicatorMeta("n", "合作企业数", "partners", "家"), 40, 80, cfg)
    True
    """
    if meta.is_rate:
        return abs(value - median) >= cfg.value("peer.min_gap_points")
    if median <= 0 or value <= 0:
        return value != median
    ratio = cfg.value("peer.min_ratio")
    return value >= median * ratio or value <= median / ratio


def _flag(inputs: WarningInputs, cfg: Thresholds, row: pd.Series, det: object, z: float, pool: np.ndarray,
          band: tuple[float, float], extra: dict, label_zh: str, label_en: str) -> Flag:
    meta = inputs.meta(row["indicator_id"])
    yellow, red = cfg.value("peer.yellow"), cfg.value("peer.red")
    median = float(np.median(pool))
    low, high = (meta.possible(b) for b in band)
    above = row["value"] > median
    bad = above != meta.higher_is_better
    # the side of the usual range the value left, within what the indicator can be
    expected = (f"≤ {fmt_number(high, meta.unit)}" if above else f"≥ {fmt_number(low, meta.unit)}") \
        if all(np.isfinite(band)) else fmt_number(median, meta.unit)
    pct = percentile_rank(pool, row["value"])
    side_zh, side_en = side_words(row["value"], median)
    z_text = "∞" if not np.isfinite(z) else f"{z:.1f}"
    severity = ("red" if z > red else "yellow") if bad else cfg.value("peer.good_direction_severity")
    note_zh, note_en = good_direction_note(bad)
    return value_flag(
        row, meta, method="peer", severity=severity, expected=expected,
        rule=f"{meta.name_zh}：与{label_zh}比较，偏离程度 ≤ {yellow:g}（> {red:g} 为极端）", source=SOURCE,
        message_zh=(f"{where_zh(row['layer'], row['unit'])}{meta.name_zh} {fmt_number(row['value'], meta.unit)}，"
                    f"明显{side_zh}{label_zh}中位数 {fmt_number(median, meta.unit)}（共 {len(pool)} 个），"
                    f"偏离程度 {z_text}（稳健 z 值，超过 {yellow:g} 即属异常），位于第 {pct:.0f} 百分位{note_zh}"),
        message_en=(f"{where_en(row['layer'], row['unit'])}{meta.name_en} {fmt_number(row['value'], meta.unit)} "
                    f"is far {side_en} the median {fmt_number(median, meta.unit)} of {label_en} ({len(pool)}): "
                    f"robust z {z_text} (above {yellow:g} is unusual), percentile {pct:.0f}{note_en}"),
        evidence={"modified_z": z, "median": median, "group_size": len(pool), "percentile": pct,
                  "mad": float(np.ravel(getattr(det, "mad_", [np.nan]))[0]),
                  "used_mean_abs_dev": bool(np.ravel(getattr(det, "used_meanad_", [False]))[0]),
                  "group": label_en, **extra})
