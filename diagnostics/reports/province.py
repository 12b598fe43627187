"""``gather_province``: the province overview of a year (全省职业教育质量报告) in one plain structure.

Distributions of the key indicators by level and by city, schools by card status and by traffic
light, the most frequent warnings, the trend of the province medians, and a ranking with rank
intervals (:mod:`.ranking`).  Peers are always schools of the same level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ..engine import thresholds
from ..palette import STATUS
from ..warnings.verdict import Verdict
from .disclosure import judged
from .fmt import METHOD_LABELS, format_value, is_missing, numeral, unit_label
from .layout import Layout, load_layout
from .model import Heading, Provenance
from .problems import verdict_of
from .ranking import rank_schools
from .source import ReportSource

LEVELS = ("高职", "中职")
MIN_GROUP = 5  # no statistic of fewer schools (issue 12): it would reveal a single school's value
OTHER_CITIES = "其他设区市（合并）"


@dataclass(frozen=True)
class GroupStats:
    group: str
    n: int
    p25: str
    median: str
    p75: str
    qualified_share: str  # share of schools meeting 合格 ('—' without a standard)


@dataclass(frozen=True)
class Distribution:
    indicator_id: str
    name: str
    unit: str
    by_level: tuple[GroupStats, ...]
    by_city: tuple[tuple[str, tuple[GroupStats, ...]], ...]  # city -> stats per level
    values: dict[str, dict[str, list[float]]]  # level -> city -> values (for the chart)
    standard: float | None = None  # the 合格 value, when one value applies to every school

    def level(self, name: str) -> GroupStats | None:
        return next((g for g in self.by_level if g.group == name), None)


@dataclass(frozen=True)
class Frequent:
    problem: str
    methods: str
    schools: int
    red: int
    yellow: int


@dataclass(frozen=True)
class Ranked:
    rank: int
    low: int
    high: int
    name: str
    city: str
    score: str
    indicators: int

    @property
    def interval(self) -> str:
        return f"{self.low}–{self.high}" if self.low != self.high else str(self.rank)


@dataclass
class ProvinceReport:
    year: int
    title: str
    provenance: Provenance
    schools_by_level: list[tuple[str, int]]
    schools_by_city: list[tuple[str, dict[str, int]]]
    card_counts: list[tuple[str, int]]
    carded: list[tuple[str, str, str, str]]  # name, city, card, reasons
    light_counts: list[tuple[str, str, dict[str, int]]]  # status key, label, level -> schools
    distributions: list[Distribution]
    frequent: list[Frequent]
    medians: dict[str, dict[str, list[tuple[int, float]]]]  # indicator name -> level -> (year, median)
    median_units: dict[str, str]
    median_rows: list[tuple[str, str, list[str]]]  # indicator, level, medians by year
    median_years: list[int]
    rankings: dict[str, list[Ranked]]
    ranking_note: str
    notes: list[str] = field(default_factory=list)

    @property
    def academic_year(self) -> str:
        return f"{self.year}–{self.year + 1} 学年"

    def outline(self) -> list[Heading]:
        titles = [("overview", "全省概况"), ("distributions", "关键指标分布"), ("cards", "黄牌、红牌与诊断状态"),
                  ("warnings", "最常见的预警"), ("medians", "全省中位数趋势"), ("ranking", "学校排名与位次区间")]
        return [Heading("summary", "摘要")] + [Heading(a, f"{numeral(n)}、{t}") for n, (a, t) in enumerate(titles, 1)]

    def heading(self, anchor: str) -> Heading:
        return next(h for h in self.outline() if h.anchor == anchor)


def _stats(group: str, values: pd.Series, qualified: pd.Series, unit: str) -> GroupStats:
    """Quartiles and share meeting 合格 of a group; none of fewer than :data:`MIN_GROUP` schools (their
    median or quartiles would be one school's value, or tell one school's from the rest)."""
    v = values.dropna()
    share = "—"
    judged = qualified.notna() & values.notna()
    if judged.sum() >= MIN_GROUP:
        share = format_value(100 * float((qualified[judged] == "合格").mean()), "%")
    q = (lambda p: format_value(v.quantile(p), unit)) if len(v) >= MIN_GROUP else (lambda p: "—")
    return GroupStats(group, int(len(v)), q(0.25), q(0.5), q(0.75), share)


def _merged_cities(rows: pd.DataFrame) -> dict[str, list[float]]:
    """City -> values of one level, cities of fewer than :data:`MIN_GROUP` schools merged into 其他设区市
    (left out when even the merged group is smaller): no dot or box of the chart is one school alone."""
    groups = {str(c): g["value"].dropna().tolist() for c, g in rows.groupby("city")}
    out = {c: v for c, v in groups.items() if len(v) >= MIN_GROUP}
    rest = [x for c, v in groups.items() if len(v) < MIN_GROUP for x in v]
    if len(rest) >= MIN_GROUP:
        out[OTHER_CITIES] = rest
    return out


def _distribution(ind_id: str, frame: pd.DataFrame, source: ReportSource) -> Distribution:
    ind = source.models.indicators[ind_id]
    rows = frame[frame["indicator_id"] == ind_id]
    levels = [lv for lv in LEVELS if (rows["school_level"] == lv).any()]
    by_level = tuple(_stats(lv, rows.loc[rows["school_level"] == lv, "value"],
                            rows.loc[rows["school_level"] == lv, "level"].where(
                                rows.loc[rows["school_level"] == lv, "qualified"].notna()), ind.unit) for lv in levels)
    by_city = []
    for city, group in rows.groupby("city", sort=True):
        by_city.append((str(city), tuple(_stats(lv, group.loc[group["school_level"] == lv, "value"],
                                                pd.Series(dtype=object), ind.unit) for lv in levels)))
    values = {lv: _merged_cities(rows[rows["school_level"] == lv]) for lv in levels}
    standards = rows["qualified"].dropna().unique()
    return Distribution(ind_id, ind.name_zh, ind.unit, by_level, tuple(by_city), values,
                        float(standards[0]) if len(standards) == 1 else None)


def frequent_warnings(warnings: pd.DataFrame, source: ReportSource, k: int) -> list[Frequent]:
    if warnings.empty:
        return []
    inds = source.models.indicators
    method = warnings["methods"].astype(str).str.split(",").str[0]
    w = warnings.assign(method=method, problem=[
        inds[i].name_zh if not is_missing(i) and i in inds else (str(rule) if not is_missing(rule) else
                                                                 METHOD_LABELS.get(m, m))
        for i, rule, m in zip(warnings["indicator_id"], warnings["rule"], method)])
    out = []
    for (problem, method), g in w.groupby(["problem", "method"]):
        out.append(Frequent(str(problem), METHOD_LABELS.get(method, method), int(g["school_id"].nunique()),
                            int((g["severity"] == "red").sum()), int((g["severity"] == "yellow").sum())))
    return sorted(out, key=lambda f: (-f.schools, -f.red, -f.yellow, f.problem))[:k]


@dataclass(frozen=True)
class Standing:
    """Where a group of schools stands in the one verdict: cards, the carded schools, lights by level."""

    by_school: pd.DataFrame  # the verdict's school rows with each school's ``level``
    card_counts: list[tuple[str, int]]  # of 高职 schools: 红牌, 黄牌, neither
    carded: list[tuple[str, str, str, str]]  # name, city, card, reasons
    light_counts: list[tuple[str, str, dict[str, int]]]  # status key, label, level -> schools


def standing(verdict: Verdict, schools: pd.DataFrame, levels: list[str]) -> Standing:
    """The cards and lights of ``schools`` as ``verdict`` decides them (never recounted)."""
    names = dict(zip(schools["school_id"], schools["name"]))
    cities = dict(zip(schools["school_id"], schools["city"]))
    by_school = verdict.schools.merge(schools[["school_id", "level"]], on="school_id")
    card_of = dict(zip(by_school["school_id"], by_school["card"]))
    higher = schools[schools["level"] == "高职"]
    card_counts = [(label, int(sum(card_of.get(s, "") == c for s in higher["school_id"])))
                   for c, label in (("红牌", "■ 红牌"), ("黄牌", "▲ 黄牌"), ("", "● 无黄牌、红牌"))]
    carded = [(names.get(r.school_id, r.school_id), cities.get(r.school_id, ""), r.card,
               "；".join(x.split(" / ")[0] for x in str(r.card_reasons).split("；")))
              for r in by_school[by_school["card"] != ""].itertuples(index=False)]
    light_counts = [(k, STATUS[k].label, {lv: int(((by_school["light"] == k) & (by_school["level"] == lv)).sum())
                                          for lv in levels}) for k in ("red", "yellow", "green", "unreported")
                    if k != "unreported" or (by_school["light"] == k).any()]
    return Standing(by_school, card_counts, carded, light_counts)


def median_table(values: pd.DataFrame, models: object, keys: list[str], levels: list[str], year: int) -> tuple[
        dict[str, dict[str, list[tuple[int, float]]]], list[tuple[str, str, list[str]]], list[int]]:
    """The medians of ``keys`` by level over the years up to ``year``: for the chart, as table rows, the years."""
    medians, rows = {}, []
    years = sorted(int(y) for y in values["year"].unique() if int(y) <= year)
    for ind_id in keys:
        ind = models.indicators[ind_id]  # type: ignore[attr-defined]
        these = values[(values["indicator_id"] == ind_id) & (values["year"] <= year)]
        grouped = these.groupby(["school_level", "year"])["value"]
        med = grouped.median()[grouped.count() >= MIN_GROUP]  # no median of fewer than five schools
        medians[ind.name_zh] = {lv: [(int(y), float(v)) for (lv_, y), v in med.items() if lv_ == lv] for lv in levels}
        for lv in levels:
            rows.append((ind.name_zh + (f"（{unit_label(ind.unit)}）" if unit_label(ind.unit) else ""), lv,
                         [format_value(med.get((lv, y)), ind.unit) for y in years]))
    return medians, rows, years


def provenance(source: ReportSource, school: str | list[str] | None, year: int,
               generated_at: datetime | None) -> Provenance:
    """Where a report's numbers come from, stamped now (or at ``generated_at``)."""
    version = source.version(school, year)
    return Provenance(generated_at or datetime.now().astimezone(), version.data_version, version.model_version,
                      version.run_id, version.stale)


def gather_province(source: ReportSource, year: int, layout: Layout | None = None,
                    generated_at: datetime | None = None) -> ProvinceReport:
    """The province report for academic ``year`` (see the module docstring)."""
    check = getattr(source, "check_province_report", None)
    if check is not None:  # the store: for city and province officers only
        check()
    models = source.models
    layout = layout or load_layout(models)
    schools = source.schools().astype({"school_id": str})
    values = source.province_values("school")
    this = values[values["year"] == year].reset_index(drop=True)
    attrs = schools.reindex(columns=["school_id", "level", "category", "founded"])
    this = pd.concat([this, thresholds(this, models, attrs)[["qualified", "restriction"]]], axis=1)
    names = dict(zip(schools["school_id"], schools["name"]))
    cities = dict(zip(schools["school_id"], schools["city"]))
    levels = [lv for lv in LEVELS if (schools["level"] == lv).any()]
    by_city = [(str(c), {lv: int((g["level"] == lv).sum()) for lv in levels}) for c, g in schools.groupby("city")]
    warnings = source.warnings(None, year)
    verdict = verdict_of(source, warnings, judged(values), None, [year], schools)  # the one verdict
    stand = standing(verdict, schools, levels)
    by_school = stand.by_school
    keys = [i for i in layout.province.key_indicators if i in models.indicators]
    medians, median_rows, years = median_table(values, models, keys, levels, year)
    rankings = {}
    lights = dict(zip(by_school["school_id"], by_school["light"]))
    for lv in levels:
        group = this[this["school_level"] == lv]
        rankings[lv] = [Ranked(r.rank, r.low, r.high, names.get(r.school_id, r.school_id),
                               cities.get(r.school_id, ""), f"{r.score:.1f}", r.indicators)
                        for r in rank_schools(group, models, layout.province.replicates, layout.province.interval,
                                              layout.province.seed, lights)
                        if r.school_id in names]  # ranked among all, listed only in the reader's scope
    return ProvinceReport(
        year=year, title=layout.province.title, provenance=provenance(source, None, year, generated_at),
        schools_by_level=[(lv, int((schools["level"] == lv).sum())) for lv in levels], schools_by_city=by_city,
        card_counts=stand.card_counts, carded=stand.carded, light_counts=stand.light_counts,
        distributions=[_distribution(i, this, source) for i in keys],
        frequent=frequent_warnings(warnings, source, layout.province.frequent_warnings),
        medians=medians, median_units={models.indicators[i].name_zh: models.indicators[i].unit for i in keys},
        median_rows=median_rows, median_years=years, rankings=rankings,
        ranking_note=(f"综合得分按比率法计算：每项有合格标准的指标，达到合格得 1，低于限制招生线得 0，"
                      f"其间按实际值与合格值之比计分，取平均后乘以 100。位次区间为 {layout.province.replicates} 次自助重抽样"
                      f"（重抽指标、按样本量扰动比率类指标）中位次的 {layout.province.interval:.0%} 区间；"
                      "区间重叠的学校不宜区分先后。排名先按诊断状态分组（绿灯、黄灯、红灯依次排列），组内按综合得分排列；"
                      "得分相同的学校并列同一名次。"))
