"""``multivariate``: schools whose whole indicator profile is unusual within their level.

Each school-year's school-layer indicators form a vector; within each level and year the vectors are
standardised robustly and scored by an outlier model (isolation forest by default, local outlier
factor as ``lof``; issue 4).  A flagged school names the indicators that drive it (largest |robust z|)
and the flag sits on the top driver, so it merges with other flags on that indicator.  The model has
no controlled false-alarm rate, so its flags are evidence (severity ``info`` by default).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry
from ..config import Thresholds
from ..flags import Flag, fmt_number
from ..inputs import WarningInputs
from .common import to_frame, value_flag

SOURCE = "综合比较：多项指标的组合与同层次学校差异很大（仅作提示）"


def multivariate_flags(inputs: WarningInputs, cfg: Thresholds) -> pd.DataFrame:
    """Flags for school-years whose indicator vector is an outlier in its level and year."""
    vals = inputs.values[(inputs.values["layer"] == "school") & inputs.values["value"].notna()]
    vals = inputs.with_school_attrs(vals[["school_id", "year", "layer", "unit", "indicator_id", "value", "n", "people"]])
    if vals.empty:
        return to_frame([])
    by = list(cfg.value("multivariate.group_by"))
    flags: list[Flag] = []
    for _, part in vals.groupby([*by, "year"]):
        wide = part.pivot_table(index="school_id", columns="indicator_id", values="value", aggfunc="first")
        wide = wide.loc[:, wide.notna().mean() >= 0.5]
        if len(wide) < cfg.value("multivariate.min_units") or wide.shape[1] < cfg.value("multivariate.min_indicators"):
            continue
        flags += _score(inputs, cfg, wide, int(part["year"].iloc[0]), part)
    return to_frame(flags)


def _detector(cfg: Thresholds) -> object:
    det = registry.make(cfg.value("multivariate.detector"))
    if "random_state" in det.get_params():
        det.set_params(random_state=cfg.value("multivariate.random_state"))
    return det


def _score(inputs: WarningInputs, cfg: Thresholds, wide: pd.DataFrame, year: int,
           part: pd.DataFrame) -> list[Flag]:
    X = wide.to_numpy(dtype=np.float64)
    det = _detector(cfg).fit(X)
    outliers = np.nonzero(det.predict(X) == -1)[0]
    if not len(outliers):
        return []
    scores = det.decision_function(X[outliers])
    drivers = det.drivers(X[outliers], top=cfg.value("multivariate.top_drivers")) if hasattr(det, "drivers") \
        else [[] for _ in outliers]
    names = list(wide.columns)
    out = []
    for k, i in enumerate(outliers):
        strong = [(names[j], z) for j, z in drivers[k] if abs(z) >= cfg.value("multivariate.driver_min_z")]
        if not strong:
            continue
        school = wide.index[i]
        top = strong[0][0]
        row = part[(part["school_id"] == school) & (part["indicator_id"] == top)].iloc[0]
        meta = inputs.meta(top)
        listed_zh = "、".join(f"{inputs.meta(n).name_zh}（z {z:+.1f}）" for n, z in strong)
        listed_en = ", ".join(f"{inputs.meta(n).name_en} (z {z:+.1f})" for n, z in strong)
        out.append(value_flag(
            row, meta, method="multivariate", severity=cfg.value("multivariate.severity"), expected=None,
            rule=f"{cfg.value('multivariate.detector')}：指标组合在同层次院校中异常", source=SOURCE,
            message_zh=(f"{meta.name_zh} {fmt_number(row['value'], meta.unit)}：本校各项指标的组合在同层次院校中"
                        f"少见，主要由 {listed_zh} 造成"),
            message_en=(f"{meta.name_en} {fmt_number(row['value'], meta.unit)}: the school's combination of "
                        f"indicators is rare among schools of its level, driven by {listed_en}"),
            evidence={"score": float(scores[k]), "drivers": [{"indicator_id": n, "z": z} for n, z in strong],
                      "units_compared": len(wide), "year": year}))
    return out
