"""Pieces the value-based methods share: the place of a value in words, context medians, flag rows."""

from __future__ import annotations

import math

import pandas as pd

from ..flags import Flag, flags_frame, fmt_number
from ..inputs import IndicatorMeta, WarningInputs

LEVEL_EN = {"合格": "qualified", "限制招生": "enrolment-restriction"}
SYMBOL = {">=": "≥", "<=": "≤"}


def where_zh(layer: str, unit: str) -> str:
    """'' for a school value, '专业 510201 ' for a program value."""
    return f"专业 {unit} " if layer == "program" and unit else ""


def where_en(layer: str, unit: str) -> str:
    return f"program {unit}: " if layer == "program" and unit else ""


def side_words(observed: float, reference: float) -> tuple[str, str]:
    """('高于', 'above') or ('低于', 'below') or ('等于', 'equal to')."""
    if observed > reference:
        return "高于", "above"
    if observed < reference:
        return "低于", "below"
    return "等于", "equal to"


def good_direction_note(bad: bool) -> tuple[str, str]:
    """The note a flag in the good direction carries (it is never a warning: the figure may be wrong)."""
    return ("", "") if bad else ("；方向有利，请核对数据是否准确", "; in the good direction: please check the figure")


def context_medians(inputs: WarningInputs, by: list[str], min_group: int,
                    wanted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Median value per (indicator, year, layer, *by) over all schools — the context a message quotes —
    where the group has at least ``min_group`` values (NaN otherwise); only for the (indicator, year,
    layer) of ``wanted`` when given."""
    keys = ["indicator_id", "year", "layer", *by]
    frame = inputs.values.dropna(subset=["value"])
    if wanted is not None:
        frame = frame.merge(wanted.drop_duplicates(), on=["indicator_id", "year", "layer"])
    frame = inputs.with_school_attrs(frame[["school_id", "indicator_id", "year", "layer", "value"]])
    stats = frame.groupby(keys, dropna=False)["value"].agg(["median", "size"]).reset_index()
    stats["context_median"] = stats["median"].where(stats["size"] >= min_group)
    return stats[[*keys, "context_median"]]


def context_phrase(median: float | None, meta: IndicatorMeta, layer: str) -> tuple[str, str]:
    """'，全省同类院校中位数 16.2' and its English twin; empty when there is no median."""
    if median is None or (isinstance(median, float) and math.isnan(median)):
        return "", ""
    what_zh = "全省同类院校各专业中位数" if layer == "program" else "全省同类院校中位数"
    what_en = "median of programs at similar schools" if layer == "program" else "median of similar schools"
    text = fmt_number(median, meta.unit)
    return f"，{what_zh} {text}", f"; {what_en} in the province {text}"


def value_flag(row: pd.Series | dict, meta: IndicatorMeta, *, method: str, severity: str, expected: str | None,
               rule: str, source: str, message_zh: str, message_en: str, evidence: dict) -> Flag:
    """A flag about one indicator value (``row``, a Series or a dict, has the value columns); its n is
    the number of people of a percentage, else the records behind the value."""
    people = row.get("people")
    n = people if people is not None and not pd.isna(people) else row.get("n")
    return Flag(
        school_id=str(row["school_id"]), year=int(row["year"]), layer=str(row["layer"]), unit=str(row["unit"]),
        indicator_id=meta.id, method=method, severity=severity,
        observed=None if pd.isna(row["value"]) else float(row["value"]), expected=expected,
        n=None if n is None or pd.isna(n) else int(n), rule=rule, source=source,
        message_zh=message_zh, message_en=message_en, evidence=evidence)


def to_frame(flags: list[Flag]) -> pd.DataFrame:
    return flags_frame(flags)
