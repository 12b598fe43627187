"""Running the measures an indicator set needs: one query per (table, grouping).

The result, per layer and measure, is a small frame indexed by
``(school_id, year, unit)`` with columns ``value, numerator, denominator, n``
(``unit`` is ``''`` at school layer, the program code at program layer).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from ..models.spec import LAYERS, Measure, ModelSet
from .sqlgen import aggregation_query

KEYS = ["school_id", "year", "unit"]
FIELDS = ["value", "numerator", "denominator", "n"]
MeasureFrames = dict[str, dict[str, pd.DataFrame]]  # layer -> measure id -> frame


def needed(models: ModelSet) -> dict[str, set[str]]:
    """The measures each layer needs, for the indicators that have that layer."""
    wanted: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for ind in models.indicators.values():
        for layer in ind.layers:
            wanted[layer].update(ind.measures)
    return wanted


def plan(models: ModelSet) -> dict[tuple[str, str], list[Measure]]:
    """Table measures grouped by (table, layer): each group is one SQL query."""
    groups: dict[tuple[str, str], list[Measure]] = defaultdict(list)
    for layer, names in needed(models).items():
        for name in sorted(names):
            m = models.measures[name]
            if m.python is None:
                groups[(m.table, layer)].append(m)  # type: ignore[index]
    return dict(groups)


def _finish(m: Measure, total: pd.Series, rows: pd.Series) -> pd.DataFrame:
    """value / numerator / denominator / n of a measure from its two SQL columns."""
    total = pd.to_numeric(total, errors="coerce").astype(float)
    rows = pd.to_numeric(rows, errors="coerce").astype(float)
    nan = pd.Series(np.nan, index=total.index)
    if m.agg in ("mean", "share"):
        value = total / rows.where(rows > 0)
        return pd.DataFrame({"value": value, "numerator": total, "denominator": rows, "n": rows})
    if m.agg == "sum":
        total = total.where(total.notna() | (rows > 0), 0.0)  # an empty sum is 0; all-null stays missing
    if m.agg == "count":
        rows = total
    return pd.DataFrame({"value": total, "numerator": total, "denominator": nan, "n": rows})


def _keyed(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    """``frame`` indexed by ``(school_id, year, unit)`` with stable key types."""
    frame = frame.copy()
    if layer == "school" or "unit" not in frame:
        frame["unit"] = ""
    frame["school_id"] = frame["school_id"].astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["unit"] = frame["unit"].astype(str)
    return frame.set_index(KEYS)


def run_table_measures(conn: Connection, models: ModelSet, version_ids: Sequence[int]) -> MeasureFrames:
    out: MeasureFrames = {layer: {} for layer in LAYERS}
    for (table, layer), measures in plan(models).items():
        result = conn.execute(aggregation_query(table, measures, layer, version_ids))
        frame = _keyed(pd.DataFrame(result.fetchall(), columns=list(result.keys())), layer)
        for i, m in enumerate(measures):
            out[layer][m.id] = _finish(m, frame[f"m{i}_v"], frame[f"m{i}_n"])
    return out


def run_python_measures(conn: Connection, models: ModelSet, version_ids: Sequence[int],
                        out: MeasureFrames) -> None:
    registry = models.registry
    for layer, names in needed(models).items():
        for name in sorted(names):
            m = models.measures[name]
            if m.python is None:
                continue
            function = registry.get(m.python)  # type: ignore[union-attr]
            raw = function(conn, list(version_ids), layer)
            frame = raw if raw is not None else pd.DataFrame(columns=["school_id", "year", "value"])
            frame = frame.assign(**{c: (frame["value"] if c == "numerator" else np.nan)
                                    for c in ("numerator", "denominator", "n") if c not in frame})
            out[layer][m.id] = _keyed(frame, layer)[FIELDS].astype(float)


def run_measures(conn: Connection, models: ModelSet, version_ids: Sequence[int]) -> MeasureFrames:
    """Every measure the indicators need, for the given current data versions."""
    out = run_table_measures(conn, models, version_ids)
    run_python_measures(conn, models, version_ids, out)
    return out
