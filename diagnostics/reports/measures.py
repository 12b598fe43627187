"""Improvement measures (改进任务) of the report year, and what last year's measures achieved.

A measure set in year Y−1 is judged on the value of year Y exactly as the workflow's re-check
judges it (:func:`diagnostics.workflow.recheck.verdict`): against its target when it has one,
otherwise against the value when it was set.  A stored re-check verdict for year Y is used as is.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..models.spec import ModelSet
from ..warnings.inputs import meta_from_models
from ..warnings.verdict import items_of
from ..workflow.recheck import VERDICTS, verdict
from ..workflow.tasks import IN_PROGRESS, PLANNED, STATUSES
from .fmt import clean_text, format_change, format_value, is_missing
from .model import Outcome, TaskRow


def _zh(labels: dict[str, str], key: object) -> str:
    return labels.get(str(key), str(key or "")).split(" / ")[0]


def is_open(task: TaskRow) -> bool:
    """A measure still to be carried out (planned or in progress): the next steps of the report."""
    return task.status in {_zh(STATUSES, s) for s in (PLANNED, IN_PROGRESS)}


def _deadline(value: object) -> str:
    if is_missing(value):
        return "—"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return clean_text(value)[:10]


def _text(value: object) -> str:
    return clean_text(value) or "—"


def _indicator_name(models: ModelSet, indicator_id: object) -> str:
    ind = models.indicators.get(str(indicator_id)) if not is_missing(indicator_id) else None
    return ind.name_zh if ind is not None else ""


def tasks_by_item(tasks: pd.DataFrame, year: int, models: ModelSet) -> dict[str, list[TaskRow]]:
    """The measures set for ``year``, under each item of their indicator."""
    out: dict[str, list[TaskRow]] = {}
    meta = meta_from_models(models)
    for task, row in task_rows(tasks, year, models):
        for item in items_of(task["indicator_id"], meta):
            out.setdefault(item, []).append(row)
    return out


def task_rows(tasks: pd.DataFrame, year: int, models: ModelSet) -> list[tuple[dict, TaskRow]]:
    """The measures set for ``year``, each once: the stored row and the row as a report states it."""
    this_year = tasks[pd.to_numeric(tasks["year"], errors="coerce") == year]
    return [(task, TaskRow(problem=_text(task["problem"]), cause=_text(task["cause"]), measure=_text(task["measure"]),
                           owner=_text(task["owner"]), deadline=_deadline(task["deadline"]),
                           status=_zh(STATUSES, task["status"]),
                           indicator=_indicator_name(models, task["indicator_id"])))
            for task in this_year.to_dict("records")]


def _value(values: dict[tuple, float], task: dict, year: int) -> float | None:
    unit = "" if is_missing(task.get("unit")) else str(task["unit"])
    return values.get((year, str(task.get("layer") or "school"), unit, str(task["indicator_id"])))


def outcomes_by_item(tasks: pd.DataFrame, year: int, values: pd.DataFrame, models: ModelSet) -> dict[
        str, list[Outcome]]:
    """What the measures set in ``year − 1`` achieved by ``year`` (``values``: judged values, all years)."""
    last = tasks[pd.to_numeric(tasks["year"], errors="coerce") == year - 1]
    if last.empty:
        return {}
    lookup = {(int(r.year), str(r.layer), str(r.unit or ""), str(r.indicator_id)): (r.value, r.target)
              for r in values.itertuples(index=False) if not is_missing(r.value)}
    value_of = {k: v[0] for k, v in lookup.items()}
    target_of = {k: v[1] for k, v in lookup.items()}
    out: dict[str, list[Outcome]] = {}
    meta = meta_from_models(models)
    for task in last.to_dict("records"):
        ind = models.indicators.get(str(task["indicator_id"])) if not is_missing(task["indicator_id"]) else None
        measure = _text(task["measure"]) if not is_missing(task["measure"]) else _text(task["problem"])
        status = _zh(STATUSES, task["status"])
        if ind is None:
            row = Outcome(measure, "", "—", "—", "—", "未关联指标，无法用数据判断", status)
        else:
            now = _value(value_of, task, year)
            baseline = task["baseline_value"] if not is_missing(task["baseline_value"]) else _value(
                value_of, task, year - 1)
            target = task["target_value"] if not is_missing(task["target_value"]) else _value(target_of, task, year)
            stored = task.get("recheck_verdict") if task.get("recheck_year") == year else None
            found = stored if not is_missing(stored) else verdict(
                now, None if is_missing(target) else float(target),
                None if is_missing(baseline) else float(baseline),
                "higher" if ind.higher_is_better else "lower")
            change = None if now is None or is_missing(baseline) else now - float(baseline)
            row = Outcome(measure, ind.name_zh, format_value(baseline, ind.unit), format_value(now, ind.unit),
                          format_change(change, ind.unit, now),
                          _zh(VERDICTS, found) if found else "尚无本年数据，暂不能判断", status)
        for item in items_of(task["indicator_id"], meta):
            out.setdefault(item, []).append(row)
    return out
