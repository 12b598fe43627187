"""``run_warnings``: every method over the current data and indicator values, stored with the run.

The value-based methods read the latest computed indicator values (:func:`diagnostics.engine.current_values`)
with the thresholds and targets the engine attaches to them; the data checks run as SQL in the store.
Value methods look at the whole province (a peer group and a trend need it) and their flags are then
limited to the requested school and year.  The flags replace the stored ones of that scope.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ..io.export import current_table
from .config import Thresholds, load_thresholds
from .flags import METHODS, concat_flags, empty_flags
from .inputs import PROGRAM_COLUMNS, STANDARD_COLUMNS, WarningInputs, meta_from_models
from .methods import RUNNERS, Context
from .persist import load_peer_groups, save_flags
from .registry import failures
from .result import WarningResult
from .rulespec import load_rules


def _targets(engine: Engine, values: pd.DataFrame, models: object, default_target: pd.Series) -> pd.DataFrame:
    """The :data:`~.inputs.TARGET_COLUMNS` for each value row.

    The school's targets and own standards (校标) come from the access layer (imported targets with
    the dashboards' overrides); where a school set no target the model's default target (a 目标
    standard of the indicator) applies.  A target is written in the indicator's own unit (percent
    for a percentage indicator: 91, not 0.91), as the contract's ``targets.target`` says."""
    from ..access.system import effective_targets

    keys = ["school_id", "year", "layer", "unit", "indicator_id"]
    own = effective_targets(engine).reindex(columns=[*keys, "target", "standard"])
    own = own.assign(year=pd.to_numeric(own["year"]).astype("int64"), unit=own["unit"].fillna("").astype(str),
                     target=pd.to_numeric(own["target"], errors="coerce"),
                     standard=pd.to_numeric(own["standard"], errors="coerce"))
    merged = values[keys].merge(own, on=keys, how="left").set_index(values.index)
    has_own = merged["target"].notna()
    return pd.DataFrame({
        "target": merged["target"].where(has_own, default_target),
        "target_source": np.where(has_own, "学校目标（一校一策）/ school target",
                                  "模型默认目标 / model default target"),
        "target_is_default": ~has_own & default_target.notna(),
        "school_standard": merged["standard"],
    }, index=values.index)


def load_inputs(engine: Engine, models: object,
                values: pd.DataFrame | None = None) -> tuple[WarningInputs, pd.DataFrame | None, int | None]:
    """The value inputs: (inputs, cards, newest compute run id behind the values).

    ``values`` are the current indicator values with ``run_id`` (as a compute returns them, to save
    reading them back); by default they are read from the store."""
    from ..engine import cards, current_values, thresholds
    from ..engine.persist import school_info

    values = current_values(engine, with_provenance=True) if values is None else values.reset_index(drop=True)
    with engine.connect() as conn:
        schools = school_info(conn)
    run_id = int(values["run_id"].max()) if len(values) and "run_id" in values else None
    card_frame = None
    if len(values):
        th = thresholds(values, models, schools)
        values = pd.concat([values, th[STANDARD_COLUMNS], _targets(engine, values, models, th["default_target"])],
                           axis=1)
        card_frame = cards(values, schools, models)
    programs = current_table(engine, "programs")
    programs = programs.reindex(columns=PROGRAM_COLUMNS).assign(year=lambda f: pd.to_numeric(f["year"]))
    inputs = WarningInputs(values=values, indicators=meta_from_models(models), schools=schools,
                           programs=programs, peer_groups=load_peer_groups(engine),
                           peer_min_size=int(load_thresholds().value("peer.group_min_size")))
    return inputs, card_frame, run_id


def _scope(flags: pd.DataFrame, school: str | None, year: int | None) -> pd.DataFrame:
    keep = pd.Series(True, index=flags.index)
    if school is not None:
        keep &= flags["school_id"] == school
    if year is not None:
        keep &= flags["year"] == year
    return flags[keep]


def _run(ctx: Context, methods: list[str]) -> dict[str, tuple[pd.DataFrame | None, float, str | None]]:
    """Run ``methods`` in order: per method its flags (None when it failed), seconds and failure note."""
    out: dict[str, tuple[pd.DataFrame | None, float, str | None]] = {}
    for method in methods:
        start = time.perf_counter()
        try:
            out[method] = (_scope(RUNNERS[method][1](ctx), ctx.school, ctx.year), time.perf_counter() - start, None)
        except Exception as exc:  # noqa: BLE001 - one failing method must not hide the others' flags
            out[method] = (None, time.perf_counter() - start,
                           f"方法 {method} 运行失败 / method {method} failed: {type(exc).__name__}: {exc}")
    return out


def run_warnings(engine: Engine, school: str | None = None, year: int | None = None,
                 methods: list[str] | None = None, thresholds: Thresholds | str | Path | None = None,
                 models: object = None, rules: str | Path | None = None, store: bool = True,
                 values: object = None) -> WarningResult:
    """Run the warning methods (default: all) and store their flags; return the result.

    ``models`` defaults to the indicator models of ``indicators/``; ``thresholds`` and ``rules``
    to the packaged ``thresholds.yaml`` and ``rules.yaml``.  ``values`` may be the
    :class:`~diagnostics.engine.ResultSet` a compute of the whole province just returned (its models are
    then used too), or a frame of current values with ``run_id``; by default they are read from the store.
    ``values`` may also be a function returning one of these (or None): the data checks, which read
    only the status data, then run in a thread while it runs — ``zhengai compute`` passes the compute
    itself (in the background mode, whose values are written while the value methods run), so the
    work uses both cores; the flags are stored once the run's values are committed.
    A method that fails does not stop the others: the failure is a note in the result.
    """
    cfg = thresholds if isinstance(thresholds, Thresholds) else load_thresholds(thresholds)
    chosen = list(methods or METHODS)
    unknown = sorted(set(chosen) - set(METHODS))
    if unknown:
        raise ValueError(f"未知的方法 / unknown method(s): {', '.join(unknown)}; one of {', '.join(METHODS)}")
    notes = [str(f) for f in failures()]
    checks = [m for m in chosen if RUNNERS[m][0] != "values"]
    store_ctx = Context(cfg, None, engine, None, load_rules(rules), school, year)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhengai-checks") as pool:
        pending = pool.submit(_run, store_ctx, checks) if callable(values) else None
        if callable(values):
            values = values()
        computed = values if hasattr(values, "wait_stored") else None  # a ResultSet, maybe still being written
        if values is not None and hasattr(values, "models"):  # a ResultSet
            models, values = models or values.models, values.values
        if models is None:
            from ..models import load_models

            models, issues = load_models()
            notes += [str(i) for i in issues]
        start = time.perf_counter()
        inputs, cards, run_id = load_inputs(engine, models, values)
        timings = {"load": time.perf_counter() - start}
        wanted = [m for m in chosen if RUNNERS[m][0] == "values"]
        if inputs.values.empty and wanted:
            notes.append("还没有计算指标值，请先运行 `zhengai compute` / no indicator values yet: run `zhengai compute`")
            wanted = []
        results = _run(Context(cfg, inputs, engine, cards, store_ctx.rules, school, year), wanted)
        results.update(pending.result() if pending is not None else _run(store_ctx, checks))
    parts, done = [], []
    for method in [m for m in chosen if m in results]:
        frame, seconds, failed = results[method]
        timings[method] = seconds
        if failed:
            notes.append(failed)
        else:
            parts.append(frame)
            done.append(method)
    flags = concat_flags(parts) if parts else empty_flags()
    if computed is not None:
        computed.wait_stored()  # the flags cite the run: its values are committed first
    computed_at = datetime.now(UTC)
    if store:
        save_flags(engine, flags, run_id, school, year, done, computed_at)  # a failed method keeps its old flags
    school_years = inputs.values[["school_id", "year"]].drop_duplicates()
    school_years = _scope(school_years, school, year)
    return WarningResult(flags.reset_index(drop=True), inputs.indicators, school_years, run_id, computed_at,
                         int(cfg.value("uncertainty.n_floor")), notes, timings)
