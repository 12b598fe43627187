"""Spot-check estimates whose interval lies above the tolerance become warnings (method ``spotcheck``).

They are stored in the warnings store (:func:`diagnostics.warnings.persist.save_flags`) at the data
layer, unit ``spotcheck:<kind>``, without an indicator (so the verdict counts them under 数据质量).
Only the flags of method ``spotcheck`` of the school-year are replaced; a run of the other warning
methods leaves them alone (it replaces only the methods it ran).
"""

from __future__ import annotations

import pandas as pd

from ..warnings.flags import FLAG_COLUMNS
from .draw import KIND_ZH
from .estimate import SpotConfig

METHOD = "spotcheck"
METHOD_ZH = "随机抽查"


def unit_of(kind: str) -> str:
    return f"{METHOD}:{kind}"


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def spot_flags(est: pd.DataFrame, cfg: SpotConfig, seeds: dict[int, int]) -> pd.DataFrame:
    """The flags (:data:`FLAG_COLUMNS`) of the estimates whose lower bound exceeds the tolerance."""
    rows = []
    for r in est.to_dict("records"):
        if r["checked"] < max(cfg.min_checked, 1) or not r["lower"] > cfg.tolerance:
            continue
        severity = "red" if r["lower"] > cfg.red_tolerance else "yellow"
        limit = cfg.red_tolerance if severity == "red" else cfg.tolerance
        kind_zh = KIND_ZH.get(r["kind"], r["kind"])
        conf = f"{100 * cfg.confidence:g}%"
        interval = f"{_pct(r['lower'])}–{_pct(r['upper'])}"
        seed = seeds.get(int(r["sample_id"]))
        rows.append({
            "school_id": r["school_id"], "year": int(r["year"]), "layer": "data", "unit": unit_of(r["kind"]),
            "indicator_id": None, "method": METHOD, "severity": severity, "observed": 100 * r["rate"],
            "expected": f"≤ {_pct(cfg.tolerance)}", "n": int(r["checked"]),
            "rule": f"抽查差错率 {conf} 置信区间（Wilson，有限总体校正）下限 > {_pct(limit)}",
            "source": f"随机抽查 第 {int(r['sample_id'])} 次抽样（种子 {seed}）；容忍度：{cfg.source}",
            "message_zh": (f"{kind_zh}随机抽查：核查 {r['checked']} 条（共 {r['population']} 条），{r['discrepancies']} 条"
                           f"存在差错，估计差错率 {_pct(r['rate'])}（{conf} 置信区间 {interval}），高于容忍度 {_pct(limit)}"),
            "message_en": (f"Spot check of {r['kind']}: {r['discrepancies']} of {r['checked']} checked records "
                           f"(of {r['population']}) wrong, estimated rate {_pct(r['rate'])} ({conf} interval "
                           f"{interval}), above the tolerance {_pct(limit)}"),
            "evidence": {"sample_id": int(r["sample_id"]), "seed": seed, "kind": r["kind"],
                         "checked": int(r["checked"]), "discrepancies": int(r["discrepancies"]),
                         "population": int(r["population"]), "rate": r["rate"], "lower": r["lower"],
                         "upper": r["upper"], "confidence": cfg.confidence, "tolerance": limit,
                         "interval": "Wilson score with finite-population correction"},
        })
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)
