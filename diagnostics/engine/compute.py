"""``compute``: every indicator for every school, year and layer, stored and returned.

Incremental: each stored school-year remembers the data version and the model
version it was computed from; a later compute recomputes only the school-years
whose current data version or whose model version changed, and keeps the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine

from ..models.spec import ModelSet
from .arith import VALUE_COLUMNS, compute_indicators
from .measures import KEYS, run_measures
from .persist import (
    PROVENANCE,
    as_list,
    computed_state,
    current_values,
    current_versions,
    read_targets,
    school_info,
    start_run,
    typed_values,
    write_run,
    write_values,
)
from .results import ResultSet
from .standards import levels, thresholds


def stale(scope: pd.DataFrame, state: pd.DataFrame, model_version: str) -> pd.DataFrame:
    """The school-years of ``scope`` whose stored values are missing or out of date."""
    merged = scope.merge(state, on=["school_id", "year"], how="left")
    fresh = (merged["data_version_id"] == merged["version_id"]) & (merged["model_version"] == model_version)
    return scope[~fresh.to_numpy()]


def evaluate(conn: Connection, models: ModelSet, todo: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """The values (with level and provenance) of the school-years in ``todo``."""
    school_index = pd.MultiIndex.from_arrays(
        [todo["school_id"].astype(str), todo["year"].astype(int), [""] * len(todo)], names=KEYS)
    layers = run_measures(conn, models, todo["version_id"].tolist(), school_index)
    values = compute_indicators(models, layers)
    values["level"] = levels(values, thresholds(values, models, schools), models)
    versions = todo.rename(columns={"version_id": "data_version_id"})
    values = values.merge(versions, on=["school_id", "year"], how="left")
    return values.assign(model_version=models.version)


def compute(engine: Engine, models: ModelSet, schools: Iterable[str] | str | None = None,
            years: Iterable[int] | int | None = None, background: bool = False) -> ResultSet:
    """Compute, store and return every indicator of ``models`` for the current data.

    ``schools`` / ``years`` limit the scope (default: every school-year with a
    current data version).  Measures are aggregated in the database (one scan per
    table); ratios, derived indicators and levels are computed on the small per-unit
    results.  The returned :class:`ResultSet` holds the latest values of every
    school-year in scope, recomputed or kept.

    With ``background`` and every school-year of the scope recomputed, the values are
    written by a thread and the result returns at once; its :meth:`ResultSet.wait_stored`
    blocks until they are committed (``zhengai compute`` runs the value warnings
    meanwhile).  Readers see the run only once it is committed, whole.
    """
    started = datetime.now(UTC)
    schools, years = as_list(schools), as_list(years)
    with engine.connect() as conn:
        scope = current_versions(conn, schools, years)
        state = computed_state(conn, scope)
        todo = stale(scope, state, models.version)
        info = school_info(conn)
        values = evaluate(conn, models, todo, info) if len(todo) else pd.DataFrame()
        targets = read_targets(conn, scope["version_id"].tolist())
    record = {
        "schools": None if schools is None else sorted({str(s) for s in schools}),
        "years": None if years is None else sorted({int(y) for y in years}),
        "recomputed": [[s, int(y)] for s, y in zip(todo["school_id"], todo["year"])],
        "kept": len(scope) - len(todo),
    }
    computed = todo.rename(columns={"version_id": "data_version_id"})
    everything = len(todo) == len(scope) and len(values) > 0  # the values in hand are all there is
    if everything and background:
        with engine.begin() as conn:
            run_id = start_run(conn, models.version, record, started)
        stored = _WRITER.submit(_write_in_transaction, engine, run_id, models.version, values, computed)
        return ResultSet(_held(values, run_id), models, info, targets, run_id=run_id, stored=stored)
    with engine.begin() as conn:
        run_id = write_run(conn, models.version, record, started, values, computed)
        if everything:
            result = _held(values, run_id)
        else:
            result = current_values(conn, school=scope["school_id"].unique().tolist(),
                                    year=scope["year"].unique().tolist(), with_provenance=True)
    keys = pd.MultiIndex.from_frame(result[["school_id", "year"]])
    result = result.loc[keys.isin(pd.MultiIndex.from_frame(scope[["school_id", "year"]]))]
    return ResultSet(result.reset_index(drop=True), models, info, targets, run_id=run_id)


_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhengai-write")


def _held(values: pd.DataFrame, run_id: int) -> pd.DataFrame:
    """The computed values as :func:`current_values` would read them back after the write."""
    return typed_values(values.assign(run_id=run_id)[[*VALUE_COLUMNS, "level", *PROVENANCE]])


def _write_in_transaction(engine: Engine, run_id: int, model_version: str, values: pd.DataFrame,
                          computed: pd.DataFrame) -> int:
    with engine.begin() as conn:
        write_values(conn, run_id, model_version, values, computed)
    return run_id


def current_results(engine: Engine, models: ModelSet, school: Iterable[str] | str | None = None,
                    year: Iterable[int] | int | None = None) -> ResultSet:
    """The stored latest values as a :class:`ResultSet` (with schools and targets), computing nothing."""
    with engine.connect() as conn:
        values = current_values(conn, school=school, year=year, with_provenance=True)
        scope = current_versions(conn, school, year)
        return ResultSet(values, models, school_info(conn), read_targets(conn, scope["version_id"].tolist()))
