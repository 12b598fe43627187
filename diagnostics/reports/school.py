"""``gather_school``: everything the self-diagnosis report of a school-year shows, in one plain structure.

The report is the 自我诊断与改进报告 a school files (:class:`~diagnostics.reports.model.SchoolReport`):
the school's own text of each section (written on the self-diagnosis dashboard), beside the evidence
the platform holds — the verdict of the year (a light per diagnosis item, symbol and word, and the
card of 教发〔2004〕2号, domain.md §4.1), the 质控点 with their standards and targets (目标链, 标准链),
the indicators, trends, peers and warnings of each diagnosis item, the improvement measures and what
last year's achieved (the 8字形质量改进螺旋, domain.md §2).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..warnings.rollup import DATA_QUALITY_ITEM, OTHER_ITEM
from ..warnings.verdict import Verdict
from ..workflow.narratives import SECTIONS
from .fmt import numeral
from .indicators import indicator_rows, judged, peer_stats
from .layout import Layout, load_layout
from .measures import is_open, outcomes_by_item, tasks_by_item
from .model import (
    NOT_APPLICABLE,
    Card,
    ItemSection,
    Light,
    Narrative,
    Provenance,
    SchoolInfo,
    SchoolReport,
)
from .problems import every_problem, most_serious, problems_by_item, verdict_of
from .programs import program_notes
from .quality import quality_tables
from .source import ReportSource


class ReportDataError(ValueError):
    """The data a report needs is not there (unknown school, no computed values)."""


def school_info(source: ReportSource, school: str) -> SchoolInfo:
    frame = source.schools()
    row = frame[frame["school_id"].astype(str) == str(school)]
    if row.empty:
        raise ReportDataError(f"没有学校 {school}（或不在您的权限范围内） / unknown school {school}")
    r = row.iloc[0]
    return SchoolInfo(str(r["school_id"]), str(r["name"]), str(r["level"] or ""), str(r["category"] or ""),
                      str(r["city"] or ""))


def _light(verdict: Verdict, school: str, year: int, item: str) -> Light:
    """The verdict's light of one item (counts of every layer, as every view shows them)."""
    r = verdict.item(school, year, item)
    return Light(item, str(r["light"]), int(r["red"]), int(r["yellow"]), int(r["info"]))


def _card(verdict: Verdict, info: SchoolInfo, year: int) -> Card:
    """The verdict's card for the school-year, with the reasons its warning gives."""
    if info.level != "高职":
        return Card(NOT_APPLICABLE)
    row = verdict.school(info.school_id, year)
    reasons = tuple(r for r in str(row.get("card_reasons") or "").split("；") if r)
    return Card(str(row.get("card") or ""), reasons)


def gather_school(source: ReportSource, school: str, year: int, layout: Layout | None = None,
                  generated_at: datetime | None = None) -> SchoolReport:
    """The self-diagnosis report of ``school`` for academic ``year`` (see the module docstring)."""
    models = source.models
    layout = layout or load_layout(models)
    info = school_info(source, school)
    attrs = source.schools().reindex(columns=["school_id", "level", "category", "founded"])
    attrs = attrs[attrs["school_id"].astype(str) == str(school)]  # founded: standards of new schools
    values = source.school_values(school)
    # every school-layer value (trends), program-layer values of the report year only (highlights)
    values = values[(values["layer"] == "school") | (values["year"] == year)].reset_index(drop=True)
    values = judged(values, models, attrs, source.targets(school))
    if values.empty or not (values["year"] == year).any():
        raise ReportDataError(f"学校 {info.name}（{school}）在 {year} 学年没有指标值：请先导入数据并运行计算"
                              f" / no indicator values for {school} in {year}: import data and compute first")
    peers = own_peers(source.province_values("school"), school, info.level)
    rows = indicator_rows(values, year, models, peer_stats(peers, school, models))
    by_id = {r.indicator_id: r for r in rows}
    this_year = values[values["year"] == year]
    program_year = this_year[(this_year["layer"] == "program") & this_year["value"].notna()]  # filtered once
    names = _program_names(source, school, year)
    verdict = verdict_of(source, source.warnings(school, year), values, school, [year])
    warnings = verdict.warnings_of(school, year)  # the warnings the verdict counts, with their items
    problems = problems_by_item(warnings, models, names)
    tasks = source.tasks(school)
    planned, achieved = tasks_by_item(tasks, year, models), outcomes_by_item(tasks, year, values, models)
    sections = []
    for n, item in enumerate(layout.school.items, start=1):
        ids = [i for i, ind in models.indicators.items() if item in ind.items]
        found = problems.get(item, [])
        shown = found[:layout.school.problems_per_item]
        notes, summary = program_notes(program_year, ids, models, names, layout.school.programs_per_item)
        section_rows = [by_id[i] for i in ids if i in by_id]
        sections.append(ItemSection(
            f"item-{n}", numeral(n), item, _light(verdict, school, year, item), section_rows, notes, summary,
            shown, len(found) - len(shown), planned.get(item, []), achieved.get(item, [])))
    quality_problems = problems.get(DATA_QUALITY_ITEM, []) + problems.get(OTHER_ITEM, [])
    data_quality = None
    if quality_problems or planned.get(DATA_QUALITY_ITEM):
        data_quality = ItemSection("data-quality", numeral(len(sections) + 1), DATA_QUALITY_ITEM,
                                   _light(verdict, school, year, DATA_QUALITY_ITEM), problems=quality_problems,
                                   tasks=planned.get(DATA_QUALITY_ITEM, []))
    overall = verdict.school(school, year)
    total = Light("全校", str(overall["light"]), int(overall["red"]), int(overall["yellow"]), int(overall["info"]))
    version = source.version(school, year)
    notes = ["本报告的指标值依据的不是最新导入的状态数据；最新数据计算完成后，报告中的数值会随之更新。"] if version.stale else []
    quality_title, quality_specs = layout.quality_for(info.level)
    open_tasks = [t for t in dict.fromkeys(t for s in sections for t in s.tasks) if is_open(t)]
    return SchoolReport(
        school=info, year=year, title=layout.school.title,
        provenance=Provenance(generated_at or datetime.now().astimezone(), version.data_version,
                              version.model_version, version.run_id, version.stale),
        overall=total, lights=[s.light for s in sections] + ([data_quality.light] if data_quality else []),
        card=_card(verdict, info, year),
        top_problems=most_serious(warnings, models, names, layout.school.top_problems),
        key_figures=[by_id[i] for i in layout.school.key_figures if i in by_id],
        sections=sections, data_quality=data_quality,
        quality_tables=quality_tables(quality_specs, values, year, models), appendix_problems=every_problem(
            warnings, models, names), definitions=rows, notes=notes, peers=peer_text(peers, info.level),
        narratives=narratives(source, school, year), quality_title=quality_title,
        programs=int(program_year["unit"].nunique()), open_tasks=open_tasks)


def narratives(source: ReportSource, school: str, year: int) -> dict[str, Narrative]:
    """The school's own text of each section of its report (empty where it wrote none)."""
    saved = source.narratives(school, year)
    text = {str(k): str(v) for k, v in zip(saved["section"], saved["text"]) if isinstance(v, str)}
    return {s.key: Narrative(s.key, s.zh, text.get(s.key, "")) for s in SECTIONS}


def own_peers(peers: pd.DataFrame, school: str, level: str) -> pd.DataFrame:
    """The values of the school's comparison group (:mod:`diagnostics.warnings.peers`): the same group
    the warning texts quote; the school's level when it has no values yet."""
    group = peers.loc[peers["school_id"].astype(str) == str(school), "peer_group"].dropna()
    if group.empty:
        return peers[peers["school_level"] == level]
    return peers[peers["peer_group"] == group.iloc[0]]


def peer_text(peers: pd.DataFrame, level: str) -> str:
    """The comparison group in words: 全省高职·工科院校（6 所）."""
    group = str(peers["peer_group"].dropna().iloc[0]) if "peer_group" in peers and peers["peer_group"].notna().any() \
        else level
    n = peers["school_id"].nunique()
    return f"全省{group}院校（{n} 所）" if "·" in group else f"全省{group}院校（{n} 所，同类院校不足 5 所，按同层次比较）"


def _program_names(source: ReportSource, school: str, year: int) -> dict[str, str]:
    programs = source.programs(school, year)
    return {str(c): str(n) for c, n in zip(programs["program_code"], programs["program_name"]) if n == n}
