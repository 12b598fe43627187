"""``gather_city``: a city's annual quality report (设区市年度质量报告) for the city's officers.

The city's schools against the province: their lights and cards (the one verdict,
:mod:`diagnostics.warnings.verdict`, never recounted), the item lights of each school, the
most frequent warnings in the city, each key indicator of each school beside the province's and the
city's median of its level, the improvement tasks the schools set for the year, and the city's
medians over the years.  The building blocks are the province report's (:mod:`.province`).

A value withheld for privacy (:mod:`.disclosure`, in the public version) shows :data:`.disclosure.MARK`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ..palette import STATUS
from .disclosure import MARK, NOTE, judged
from .fmt import format_value, numeral
from .layout import Layout, load_layout
from .measures import is_open, task_rows
from .model import Heading, Provenance, TaskRow
from .problems import verdict_of
from .province import LEVELS, Frequent, Standing, frequent_warnings, median_table, provenance, standing
from .source import ReportSource

TITLE = "职业教育年度质量报告"


@dataclass(frozen=True)
class CitySchool:
    """One school of the city as the verdict judges it, and its improvement tasks of the year."""

    school_id: str
    name: str
    level: str
    light: str
    red: int
    yellow: int
    card: str
    card_reasons: str
    items: tuple[tuple[str, str, int, int], ...]  # item, light, red, yellow
    tasks: int
    open_tasks: int

    @property
    def light_label(self) -> str:
        return STATUS[self.light].label if self.light in STATUS else self.light


@dataclass(frozen=True)
class Compared:
    """One key indicator: each school of the city beside the medians of its level."""

    indicator_id: str
    name: str
    unit: str
    rows: tuple[tuple[str, str, str, str, str], ...]  # school, level, value, city median, province median


@dataclass
class CityReport:
    year: int
    city: str
    title: str
    provenance: Provenance
    schools_by_level: list[tuple[str, int]]
    province_schools: int
    standing: Standing
    schools: list[CitySchool]
    item_names: list[str]
    compared: list[Compared]
    frequent: list[Frequent]
    tasks: list[tuple[str, TaskRow]]  # school name, task
    medians: dict[str, dict[str, list[tuple[int, float]]]]
    median_units: dict[str, str]
    median_rows: list[tuple[str, str, list[str]]]
    median_years: list[int]
    withheld: bool = False  # some value is withheld for privacy (the note explains the mark)
    notes: list[str] = field(default_factory=list)

    @property
    def academic_year(self) -> str:
        return f"{self.year}–{self.year + 1} 学年"

    @property
    def mark_note(self) -> str:
        return NOTE

    def outline(self) -> list[Heading]:
        titles = [("overview", "本市概况"), ("cards", "黄牌、红牌与诊断状态"), ("items", "各校诊断项目"),
                  ("compared", "关键指标与全省对比"), ("warnings", "最常见的预警"), ("tasks", "改进任务"),
                  ("medians", "本市中位数趋势")]
        return [Heading("summary", "摘要")] + [Heading(a, f"{numeral(n)}、{t}") for n, (a, t) in enumerate(titles, 1)]

    def heading(self, anchor: str) -> Heading:
        return next(h for h in self.outline() if h.anchor == anchor)


def _cell(row: pd.Series | None, unit: str) -> str:
    if row is None:
        return format_value(None, unit)
    return MARK if bool(row.get("withheld", False)) else format_value(row["value"], unit)


def _compared(ind_id: str, this: pd.DataFrame, city_ids: list[str], names: dict[str, str],
              source: ReportSource) -> Compared:
    ind = source.models.indicators[ind_id]
    rows = this[this["indicator_id"] == ind_id]
    by_school = {str(r["school_id"]): r for _, r in rows.iterrows()}
    median = rows.groupby("school_level")["value"].median()
    city_median = rows[rows["school_id"].isin(city_ids)].groupby("school_level")["value"].median()
    out = []
    for sid in city_ids:
        row = by_school.get(sid)
        level = str(row["school_level"]) if row is not None else ""
        out.append((names[sid], level, _cell(row, ind.unit), format_value(city_median.get(level), ind.unit),
                    format_value(median.get(level), ind.unit)))
    return Compared(ind_id, ind.name_zh, ind.unit, tuple(out))


def gather_city(source: ReportSource, city: str, schools: pd.DataFrame, year: int, layout: Layout | None = None,
                generated_at: datetime | None = None) -> CityReport:
    """The report of ``city`` for academic ``year``; ``schools`` are the city's (checked by the caller
    through :meth:`diagnostics.access.Access.city_schools`)."""
    models = source.models
    layout = layout or load_layout(models)
    mine = schools[schools["city"] == city].astype({"school_id": str}).sort_values(["level", "school_id"])
    everyone = source.province_values("school")
    this = everyone[everyone["year"] == year]
    ids = list(mine["school_id"])
    names = dict(zip(mine["school_id"], mine["name"]))
    levels = [lv for lv in LEVELS if (mine["level"] == lv).any()]
    warnings = source.warnings(None, year)
    warnings = warnings[warnings["school_id"].astype(str).isin(ids)]
    values = everyone[everyone["school_id"].isin(ids)]
    verdict = verdict_of(source, warnings, judged(values), None, [year], mine)
    stand = standing(verdict, mine, levels)
    rows, tasks = [], []
    for sid in ids:
        v = verdict.school(sid, year)
        items = tuple((it, (r := verdict.item(sid, year, it))["light"], int(r["red"]), int(r["yellow"]))
                      for it in verdict.item_names)
        these = task_rows(source.tasks(sid), year, models)
        tasks += [(names[sid], t) for _, t in these]
        rows.append(CitySchool(sid, names[sid], str(mine.set_index("school_id").at[sid, "level"] or ""),
                               str(v["light"]), int(v["red"]), int(v["yellow"]), str(v["card"] or ""),
                               str(v["card_reasons"] or ""), items, len(these),
                               sum(is_open(t) for _, t in these)))
    keys = [i for i in layout.province.key_indicators if i in models.indicators]
    medians, median_rows, years = median_table(values, models, keys, levels, year)
    compared = [_compared(i, this, ids, names, source) for i in keys]
    return CityReport(
        year=year, city=city, title=f"{city}{TITLE}", provenance=provenance(source, ids, year, generated_at),
        schools_by_level=[(lv, int((mine["level"] == lv).sum())) for lv in levels],
        province_schools=int(this["school_id"].nunique()), standing=stand,
        schools=rows, item_names=list(verdict.item_names), compared=compared,
        frequent=frequent_warnings(warnings, source, layout.province.frequent_warnings), tasks=tasks,
        medians=medians, median_units={models.indicators[i].name_zh: models.indicators[i].unit for i in keys},
        median_rows=median_rows, median_years=years,
        withheld=any(MARK in r[2] for c in compared for r in c.rows))
