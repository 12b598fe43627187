"""What may be published (信息发布): no value computed from fewer than :data:`MIN_PEOPLE` people.

A value counts people when its indicator reads a table of persons (students, teachers, internships,
graduates: ``n`` is the number of their records behind it) or survey answers (the people are the
respondents, the denominator).  Such a value from fewer than five people is *withheld*: its cell shows
:data:`MARK` and the page explains the mark (:data:`NOTE`).  Values of rooms, money, books and programs
count no people and are shown.

:class:`PublicSource` wraps any :class:`~diagnostics.reports.source.ReportSource` so the reports built
from it (the province and city reports of the public site) never see a withheld value: medians,
quartiles and rankings are over the values that may be shown; improvement tasks about individual
records (data checks) are left out.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..models.spec import ModelSet

MIN_PEOPLE = 5
MARK = "*"
NOTE = f"标“{MARK}”的数值由不足 {MIN_PEOPLE} 人的数据计算得出，为保护个人信息不予公布。"
NOTE_EN = f"Values marked “{MARK}” come from fewer than {MIN_PEOPLE} people and are withheld to protect privacy."
PERSON_TABLES = frozenset({"students", "teachers", "internships", "graduates"})
RESPONDENT_TABLES = frozenset({"surveys"})  # one row per question: the people are its respondents


def _tables(models: ModelSet, indicator_id: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The status tables an indicator reads, through its measures and (derived) its inputs."""
    ind = models.indicators.get(indicator_id)
    if ind is None or indicator_id in seen:
        return frozenset()
    tables = {models.measures[m].table for m in ind.measures if m in models.measures}
    for name in ind.inputs:
        tables |= _tables(models, name, seen | {indicator_id})
    return frozenset(t for t in tables if t)


def _people_kind(models: ModelSet, indicator_id: str) -> str:
    """'n' (records of persons), 'denominator' (survey respondents) or '' (counts no people)."""
    tables = _tables(models, indicator_id)
    if tables & PERSON_TABLES:
        return "n"
    return "denominator" if tables & RESPONDENT_TABLES else ""


def _kinds(values: pd.DataFrame, models: ModelSet) -> pd.Series:
    ids = values["indicator_id"].astype(str)
    return ids.map({i: _people_kind(models, i) for i in ids.unique()})


def people(values: pd.DataFrame, models: ModelSet) -> pd.Series:
    """How many people each value is computed from (NaN: it counts no people)."""
    kinds = _kinds(values, models)
    n = pd.to_numeric(values["n"], errors="coerce").astype(float)
    den = pd.to_numeric(values.get("denominator", pd.Series(np.nan, index=values.index)), errors="coerce")
    return pd.Series(np.where(kinds == "n", n, np.where(kinds == "denominator", den.fillna(n), np.nan)),
                     index=values.index, dtype=float)


def withheld(values: pd.DataFrame, models: ModelSet) -> pd.Series:
    """True where a value comes from fewer than :data:`MIN_PEOPLE` people (an unknown count counts as few)."""
    if values.empty:
        return pd.Series(False, index=values.index, dtype=bool)
    kinds = _kinds(values, models)
    count = people(values, models)
    return (kinds != "") & (count.isna() | (count < MIN_PEOPLE))


def withhold(values: pd.DataFrame, models: ModelSet) -> pd.DataFrame:
    """``values`` with the withheld ones blanked (value, numerator, denominator, level) and marked ``withheld``."""
    out = values.copy()
    mask = withheld(out, models)
    for column in ("value", "numerator", "denominator"):
        if column in out:
            out[column] = out[column].astype(float).mask(mask)
    if "level" in out:
        out["level"] = out["level"].astype(object).mask(mask, "")
    out["withheld"] = mask.to_numpy()
    return out


def judged(values: pd.DataFrame) -> pd.DataFrame:
    """The values that give a diagnosis item something to judge: those with a value, shown or withheld
    (so the verdict's lights are the same in the public reports as in the officers')."""
    if "withheld" not in values:
        return values
    return values[values["value"].notna() | values["withheld"]].drop(columns="value")


def _unvalued(evidence: object) -> object:
    """Evidence of a card warning with each reason cut to its indicator's name (生师比 23.0，高于… → 生师比)."""
    if isinstance(evidence, list):
        return [_unvalued(e) for e in evidence]
    if not isinstance(evidence, dict):
        return evidence
    inner = evidence.get("evidence")
    if isinstance(inner, dict) and "card" in inner:
        return {**evidence, "evidence": _unvalued(inner)}
    if "card" in evidence and isinstance(evidence.get("reasons"), list):
        return {**evidence, "reasons": [re.split(r"[\s\d（(：:，,]", str(r), maxsplit=1)[0] for r in evidence["reasons"]]}
    return evidence


class PublicSource:
    """A report source showing only what may be published (see the module docstring)."""

    def __init__(self, source: object) -> None:
        self.source = source
        self.models = source.models  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:  # schools, warnings, version, reported, programs…
        return getattr(self.source, name)

    def school_values(self, school: str) -> pd.DataFrame:
        return withhold(self.source.school_values(school), self.models)  # type: ignore[attr-defined]

    def province_values(self, layer: str | None = "school") -> pd.DataFrame:
        return withhold(self.source.province_values(layer), self.models)  # type: ignore[attr-defined]

    def tasks(self, school: str) -> pd.DataFrame:
        tasks = self.source.tasks(school)  # type: ignore[attr-defined]
        return tasks[tasks["layer"].fillna("school").isin(["school", "program"])].reset_index(drop=True)

    def warnings(self, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The warnings, a card's reasons naming its indicators without their values (which may be withheld)."""
        frame = self.source.warnings(school, year).copy()  # type: ignore[attr-defined]
        if "evidence" in frame:
            frame["evidence"] = [_unvalued(e) for e in frame["evidence"]]
        return frame

    def narratives(self, school: str, year: int) -> pd.DataFrame:
        return self.source.narratives(school, year).iloc[0:0]  # type: ignore[attr-defined]
