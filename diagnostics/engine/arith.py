"""Indicator arithmetic on the small per-unit measure results.

A *measure* indicator is its measure × factor; a *ratio* is numerator ÷
denominator × factor (``n`` is the row count behind the denominator); a
*derived* indicator evaluates its formula over other indicators (``n`` is the
smallest ``n`` of its inputs).  The missing-value strategy decides what a
missing input does: ``skip_if_any_missing`` gives no value, ``skip_if_all_missing``
counts a missing input as 0 unless all are missing, ``treat_as_zero`` always
counts it as 0.  A value that is not finite (a division by zero) is left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.spec import LAYERS, Indicator, ModelSet
from .evaluate import evaluate
from .measures import FIELDS, KEYS, MeasureFrames

VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator",
                 "denominator", "n"]
_EMPTY = pd.DataFrame(columns=FIELDS, dtype=float,
                      index=pd.MultiIndex.from_arrays([[], [], []], names=KEYS))


def _union(indexes: list[pd.Index], empty: pd.Index) -> pd.Index:
    present = [i for i in indexes if len(i)]
    if not present:
        return empty
    out = present[0]
    for other in present[1:]:
        out = out.union(other)
    return out


def _inputs_present(frames: list[pd.DataFrame], strategy: str, index: pd.Index) -> tuple[list[pd.DataFrame], pd.Series]:
    """The inputs reindexed to ``index`` and filled per ``strategy``, and where a value may be computed."""
    aligned = [f.reindex(index) for f in frames]
    missing = pd.concat([f["value"].isna() for f in aligned], axis=1) if aligned else pd.DataFrame(index=index)
    if strategy == "skip_if_any_missing":
        ok = ~missing.any(axis=1)
    elif strategy == "skip_if_all_missing":
        ok = ~missing.all(axis=1)
    else:
        ok = pd.Series(True, index=index)
    if strategy != "skip_if_any_missing":
        aligned = [f.assign(value=f["value"].fillna(0.0), n=f["n"].fillna(0.0)) for f in aligned]
    return aligned, ok


def _indicator(ind: Indicator, layer: str, measures: dict[str, pd.DataFrame],
               done: dict[str, pd.DataFrame], school_index: pd.Index) -> pd.DataFrame:
    sources = ([measures.get(n, _EMPTY) for n in ind.measures] if ind.kind != "derived"
               else [done.get(n, _EMPTY) for n in ind.inputs])
    index = school_index if layer == "school" else _union([s.index for s in sources], school_index[:0])
    inputs, ok = _inputs_present(sources, ind.missing, index)
    if ind.kind == "measure":
        (m,) = inputs
        out = m.assign(value=m["value"] * ind.factor)
    elif ind.kind == "ratio":
        num, den = inputs
        value = num["value"] / den["value"].where(den["value"] != 0) * ind.factor
        out = pd.DataFrame({"value": value, "numerator": num["value"], "denominator": den["value"],
                            "n": den["n"]})
    else:
        env = {name: f["value"] for name, f in zip(ind.inputs, inputs)}
        value = evaluate(ind.expr, env, index).astype(float)  # type: ignore[arg-type]
        n = pd.concat([f["n"] for f in inputs], axis=1).min(axis=1) if inputs else np.nan
        out = pd.DataFrame({"value": value, "numerator": np.nan, "denominator": np.nan, "n": n}, index=index)
    out = out[FIELDS].astype(float)
    out = out[ok.reindex(out.index, fill_value=False) & np.isfinite(out["value"])]
    return out


def compute_indicators(models: ModelSet, measures: MeasureFrames, school_years: pd.DataFrame) -> pd.DataFrame:
    """Every indicator at every layer for the school-years in ``school_years`` (columns school_id, year)."""
    school_index = pd.MultiIndex.from_arrays(
        [school_years["school_id"].astype(str), school_years["year"].astype(int), [""] * len(school_years)],
        names=KEYS)
    parts: list[pd.DataFrame] = []
    for layer in LAYERS:
        done: dict[str, pd.DataFrame] = {}
        for ind in models.indicators.values():
            if layer not in ind.layers:
                continue
            done[ind.id] = _indicator(ind, layer, measures.get(layer, {}), done, school_index)
            if len(done[ind.id]):
                parts.append(done[ind.id].reset_index().assign(layer=layer, indicator_id=ind.id))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS})
    values = pd.concat(parts, ignore_index=True)[VALUE_COLUMNS]
    values["n"] = values["n"].round().astype("Int64")
    return values
