"""Indicator arithmetic on the per-unit measure results of one layer.

A *measure* indicator is its measure × factor; a *ratio* is numerator ÷
denominator × factor (``n`` is the row count behind the denominator); a
*derived* indicator evaluates its formula over other indicators (``n`` is the
smallest ``n`` of its inputs).  The missing-value strategy decides what a
missing input does: ``skip_if_any_missing`` gives no value, ``skip_if_all_missing``
counts a missing input as 0 unless all are missing, ``treat_as_zero`` always
counts it as 0.  A value that is not finite (a division by zero) is left out.

At school layer every school-year in scope is a unit; at program layer an
indicator has a unit where at least one of its inputs has a row.  All work is
on whole numpy arrays over the layer's units (see :mod:`.measures`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.spec import LAYERS, Indicator, ModelSet
from .evaluate import evaluate
from .measures import KEYS, Column, Layer

VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator",
                 "denominator", "n"]


def _inputs(sources: list[Column], strategy: str, size: int) -> tuple[list[Column], np.ndarray]:
    """The inputs filled per ``strategy``, and where a value may be computed."""
    missing = np.array([np.isnan(s.value) for s in sources]).reshape(len(sources), size)
    if strategy == "skip_if_any_missing":
        ok = ~missing.any(axis=0)
    elif strategy == "skip_if_all_missing":
        ok = ~missing.all(axis=0)
    else:
        ok = np.ones(size, dtype=bool)
    if strategy != "skip_if_any_missing":
        sources = [Column(np.nan_to_num(s.value, nan=0.0), s.numerator, s.denominator,
                          np.nan_to_num(s.n, nan=0.0), s.present) for s in sources]
    return sources, ok


def _indicator(ind: Indicator, layer: Layer, done: dict[str, Column], school: bool) -> Column:
    size = len(layer)
    absent = Column.absent(size)
    sources = ([layer.measures.get(n, absent) for n in ind.measures] if ind.kind != "derived"
               else [done.get(n, absent) for n in ind.inputs])
    present = np.ones(size, dtype=bool) if school else np.zeros(size, dtype=bool)
    for s in sources:
        present |= s.present
    inputs, ok = _inputs(sources, ind.missing, size)
    nan = np.full(size, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if ind.kind == "measure":
            (m,) = inputs
            value, numerator, denominator, n = m.value * ind.factor, m.numerator, m.denominator, m.n
        elif ind.kind == "ratio":
            num, den = inputs
            value = num.value / np.where(den.value != 0, den.value, np.nan) * ind.factor
            numerator, denominator, n = num.value, den.value, den.n
        else:
            rows = pd.RangeIndex(size)
            env = {name: pd.Series(f.value, index=rows) for name, f in zip(ind.inputs, inputs)}
            value = evaluate(ind.expr, env, rows).to_numpy(dtype=float)  # type: ignore[arg-type]
            numerator, denominator = nan, nan
            n = np.fmin.reduce([f.n for f in inputs]) if inputs else nan
    keep = present & ok & np.isfinite(value)
    return Column(*(np.where(keep, np.asarray(a, dtype=float), np.nan)
                    for a in (value, numerator, denominator, n)), keep)


def compute_indicators(models: ModelSet, layers: dict[str, Layer]) -> pd.DataFrame:
    """Every indicator at every layer over the units of ``layers`` (see :func:`.measures.run_measures`).

    Columns :data:`VALUE_COLUMNS`; rows ordered by school, year, layer, unit and indicator.
    """
    parts: list[dict[str, np.ndarray]] = []
    for layer_name in LAYERS:
        layer = layers[layer_name]
        done: dict[str, Column] = {}
        keys = {k: layer.index.get_level_values(k).to_numpy() for k in KEYS}
        for ind in models.indicators.values():
            if layer_name not in ind.layers:
                continue
            col = done[ind.id] = _indicator(ind, layer, done, layer_name == "school")
            pos = np.flatnonzero(col.present)
            if len(pos):
                part = {k: getattr(col, k)[pos] for k in ("value", "numerator", "denominator", "n")}
                part.update({k: keys[k][pos] for k in KEYS})
                part["layer"] = np.full(len(pos), layer_name, dtype=object)
                part["indicator_id"] = np.full(len(pos), ind.id, dtype=object)
                parts.append(part)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS})
    values = pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in VALUE_COLUMNS})
    values["year"] = values["year"].astype(int)
    values["n"] = values["n"].round().astype("Int64")
    order = np.lexsort([pd.factorize(values[c], sort=True)[0]
                        for c in reversed(["school_id", "year", "layer", "unit", "indicator_id"])])
    return values.iloc[order].reset_index(drop=True)
