"""Running the measures an indicator set needs: one query per (table, grouping).

The results of one layer share one index of units ``(school_id, year, unit)``
(``unit`` is ``''`` at school layer, the program code at program layer): at
school layer every school-year in scope, at program layer every unit any query
returned.  Each measure is a :class:`Column` of numpy arrays over that index
(``value, numerator, denominator, n`` and ``present``: whether the unit had a
result row), so the indicator arithmetic is whole-array work, not per-unit.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Select

from ..models.spec import LAYERS, Measure, ModelSet
from ..store.bulk import read_frame
from .sqlgen import aggregation_query

KEYS = ["school_id", "year", "unit"]
FIELDS = ["value", "numerator", "denominator", "n"]


@dataclass
class Column:
    """One measure or indicator over a layer's units; NaN where it has no value."""

    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    n: np.ndarray
    present: np.ndarray  # bool: the unit has a row (a missing value may still be present)

    @classmethod
    def absent(cls, size: int) -> Column:
        nan = np.full(size, np.nan)
        return cls(nan, nan, nan, nan, np.zeros(size, dtype=bool))


@dataclass
class Layer:
    """The units of one layer and the measures computed over them."""

    index: pd.MultiIndex
    measures: dict[str, Column] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.index)


def needed(models: ModelSet) -> dict[str, set[str]]:
    """The measures each layer needs, for the indicators that have that layer."""
    wanted: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for ind in models.indicators.values():
        for layer in ind.layers:
            wanted[layer].update(ind.measures)
    return wanted


@dataclass(frozen=True)
class Scan:
    """One grouped SQL scan of a table, and the layers its measures are delivered to.

    A table with program-layer measures is scanned once, grouped by program (the rows
    without a program form their own group); its school-layer measures that add up
    (count, sum, mean, share) are rolled up from those groups, so the table is not read
    twice.  Only a school-layer distinct count, which does not add up, needs a school scan.
    """

    table: str
    grouping: str  # "school" or "program"
    measures: tuple[Measure, ...]
    school: frozenset[str]  # measure ids delivered at school layer
    program: frozenset[str]  # measure ids delivered at program layer


def uses(models: ModelSet) -> list[tuple[str, str]]:
    """The (table, layer) pairs the indicators read."""
    pairs = {(models.measures[n].table, layer) for layer, names in needed(models).items() for n in names
             if models.measures[n].python is None}
    return sorted(pairs)  # type: ignore[arg-type]


def scans(models: ModelSet) -> list[Scan]:
    """The SQL scans that compute every table measure the indicators need (see :class:`Scan`)."""
    wanted = needed(models)
    by_table: dict[str, dict[str, list[Measure]]] = defaultdict(lambda: {layer: [] for layer in LAYERS})
    for layer, names in wanted.items():
        for name in sorted(names):
            m = models.measures[name]
            if m.python is None:
                by_table[m.table][layer].append(m)  # type: ignore[index]
    out: list[Scan] = []
    for table, layers in sorted(by_table.items()):
        school, program = layers["school"], layers["program"]
        rolled = [m for m in school if m.agg != "distinct_count"] if program else []
        alone = [m for m in school if m not in rolled]
        if program:
            both = {m.id: m for m in [*program, *rolled]}
            out.append(Scan(table, "program", tuple(both[k] for k in sorted(both)),
                            frozenset(m.id for m in rolled), frozenset(m.id for m in program)))
        if alone:
            out.append(Scan(table, "school", tuple(alone), frozenset(m.id for m in alone), frozenset()))
    return out


def plan(models: ModelSet) -> dict[tuple[str, str], list[Measure]]:
    """The measures of each SQL scan, by (table, grouping): each is one query."""
    return {(s.table, s.grouping): list(s.measures) for s in scans(models)}


def _keyed(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    """``frame`` indexed by ``(school_id, year, unit)`` with stable key types."""
    frame = frame.copy()
    if layer == "school" or "unit" not in frame:
        frame["unit"] = ""
    frame["school_id"] = frame["school_id"].astype(str)
    frame["year"] = frame["year"].astype(int)
    frame["unit"] = frame["unit"].astype(str)
    return frame.set_index(KEYS)


def _spread(frame: pd.DataFrame, index: pd.MultiIndex) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame``'s numeric columns laid over ``index`` (NaN where it has no row), and the row mask."""
    positions = index.get_indexer(frame.index)
    keep = positions >= 0  # rows outside the scope (none, normally) are dropped
    data = np.full((len(index), frame.shape[1]), np.nan)
    if frame.shape[1]:
        data[positions[keep]] = _numeric(frame, list(frame.columns)).to_numpy()[keep]
    present = np.zeros(len(index), dtype=bool)
    present[positions[keep]] = True
    return pd.DataFrame(data, columns=frame.columns), present


def _finish(m: Measure, total: np.ndarray, rows: np.ndarray, present: np.ndarray) -> Column:
    """value / numerator / denominator / n of a measure from its two SQL columns."""
    nan = np.full(len(total), np.nan)
    if m.agg in ("mean", "share"):
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(rows > 0, total / rows, np.nan)
        return Column(value, total, rows, rows, present)
    if m.agg == "sum":  # an empty sum is 0; all-null stays missing
        total = np.where(present & np.isnan(total) & ~(rows > 0), 0.0, total)
    if m.agg == "count":
        rows = total
    return Column(total, total, nan, rows, present)


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    try:
        return pd.DataFrame(frame[columns].to_numpy(dtype=float, na_value=np.nan), columns=columns,
                            index=frame.index)
    except (TypeError, ValueError):  # a stray text value: coerce column by column
        return frame[columns].apply(pd.to_numeric, errors="coerce").astype(float)


#: the tables of person records, largest first: their scans start first when scans run side by side
LARGE_TABLES = ("students", "graduates", "internships", "teachers", "courses")


def scan_workers(engine: Engine) -> int:
    """How many scans run side by side: one per core (at most 4), or 1 for an in-memory SQLite
    database, which a second connection would not see."""
    if engine.dialect.name == "sqlite" and (engine.url.database or ":memory:") == ":memory:":
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _run_scans(conn: Connection, queries: list[tuple[str, Select]]) -> list[pd.DataFrame]:
    """The rows of every ``(table, scan)``.  Scans run on their own connections, one thread each, as
    many at a time as :func:`scan_workers` allows, the largest tables first: the database works while
    the GIL is released, so two scans use two cores.  Every scan names its data versions, so the
    separate snapshots read the same rows."""
    workers = scan_workers(conn.engine)
    if workers == 1 or len(queries) == 1:
        return [read_frame(conn, q) for _, q in queries]

    def run(query: Select) -> pd.DataFrame:
        with conn.engine.connect() as own:
            return read_frame(own, query)

    rank = {name: k for k, name in enumerate(LARGE_TABLES)}
    order = sorted(range(len(queries)), key=lambda i: rank.get(queries[i][0], len(rank)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zhengai-scan") as pool:
        futures = {i: pool.submit(run, queries[i][1]) for i in order}
        return [futures[i].result() for i in range(len(queries))]


def _query_frames(conn: Connection, models: ModelSet, version_ids: Sequence[int]) -> dict[str, list]:
    """Per layer: ``(measures, frame)`` of every scan, the frame keyed by unit.

    ``frame`` holds ``m<i>_v, m<i>_n`` for the i-th of ``measures``; a program scan's
    school-layer measures are summed over its groups (with ``min_count=1``: a sum over
    only missing values stays missing).
    """
    out: dict[str, list] = {layer: [] for layer in LAYERS}
    planned = scans(models)
    results = _run_scans(conn, [(s.table, aggregation_query(s.table, s.measures, s.grouping, version_ids))
                                for s in planned])
    for scan, raw in zip(planned, results):
        for layer, ids in (("school", scan.school), ("program", scan.program)):
            picked = [(i, m) for i, m in enumerate(scan.measures) if m.id in ids]
            if not picked:
                continue
            columns = [f"m{i}_{part}" for i, _ in picked for part in ("v", "n")]
            keys = raw[["school_id", "year"] + (["unit"] if scan.grouping == "program" else [])]
            numbers = pd.concat([keys, _numeric(raw, columns)], axis=1)
            if layer == "program":
                numbers = numbers[numbers["unit"].notna()]
            elif scan.grouping == "program":
                numbers = numbers.drop(columns="unit").groupby(["school_id", "year"], as_index=False).sum(
                    min_count=1)
            frame = _keyed(numbers, layer)
            frame.columns = [f"m{j}_{part}" for j in range(len(picked)) for part in ("v", "n")]
            out[layer].append(([m for _, m in picked], frame))
    return out


def _python_frames(conn: Connection, models: ModelSet, version_ids: Sequence[int]) -> dict[str, list]:
    """Per layer: ``(measure, frame)`` of every measure registered as a Python function."""
    out: dict[str, list] = {layer: [] for layer in LAYERS}
    for layer, names in needed(models).items():
        for name in sorted(names):
            m = models.measures[name]
            if m.python is None:
                continue
            raw = models.registry.get(m.python)(conn, list(version_ids), layer)  # type: ignore[union-attr]
            frame = raw if raw is not None else pd.DataFrame(columns=["school_id", "year", "value"])
            frame = frame.assign(**{c: (frame["value"] if c == "numerator" else np.nan)
                                    for c in ("numerator", "denominator", "n") if c not in frame})
            out[layer].append((m, _keyed(frame, layer)[FIELDS]))
    return out


def _layer_index(layer: str, school_index: pd.MultiIndex, frames: list[pd.DataFrame]) -> pd.MultiIndex:
    if layer == "school":
        return school_index
    keys = [f.index for f in frames if len(f)]
    if not keys:
        return school_index[:0]
    return keys[0].append(keys[1:]).unique().sort_values() if len(keys) > 1 else keys[0].unique().sort_values()


def run_measures(conn: Connection, models: ModelSet, version_ids: Sequence[int],
                 school_index: pd.MultiIndex) -> dict[str, Layer]:
    """Every measure the indicators need, for the given current data versions, per layer."""
    queries = _query_frames(conn, models, version_ids)
    python = _python_frames(conn, models, version_ids)
    layers: dict[str, Layer] = {}
    for layer in LAYERS:
        frames = [f for _, f in queries[layer]] + [f for _, f in python[layer]]
        out = Layer(_layer_index(layer, school_index, frames))
        for measures, frame in queries[layer]:
            data, present = _spread(frame, out.index)
            for i, m in enumerate(measures):
                out.measures[m.id] = _finish(m, data[f"m{i}_v"].to_numpy(), data[f"m{i}_n"].to_numpy(), present)
        for m, frame in python[layer]:
            data, present = _spread(frame, out.index)
            out.measures[m.id] = Column(*(data[c].to_numpy() for c in FIELDS), present)
        layers[layer] = out
    return layers
