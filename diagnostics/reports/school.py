"""``gather_school``: everything the self-diagnosis report of a school-year shows, in one plain structure.

The report follows the improvement spiral (8字形质量改进螺旋, domain.md §2) for each diagnosis item:
targets and standards → current state (indicators, trends, peers, programs) → diagnosis (warnings
with evidence) → improvement measures → what last year's measures achieved.  It opens with a
one-page summary: a traffic light per item (symbol and word, never colour alone), the card status
of 教发〔2004〕2号 (domain.md §4.1) and the most serious problems.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..engine import cards
from ..models.spec import RESTRICTED
from ..warnings.rollup import DATA_QUALITY_ITEM, OTHER_ITEM, school_lights
from .fmt import numeral, unit_label
from .indicators import indicator_rows, judged, peer_stats
from .layout import Layout, load_layout
from .measures import outcomes_by_item, tasks_by_item
from .model import (
    NOT_APPLICABLE,
    Card,
    IndicatorRow,
    ItemSection,
    Light,
    Provenance,
    SchoolInfo,
    SchoolReport,
)
from .problems import lights, most_serious, problems_by_item
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


def _light(items: pd.DataFrame, item: str, has_data: bool) -> Light:
    row = items[items["item"] == item]
    if row.empty:
        return Light(item, "green" if has_data else "none")
    r = row.iloc[0]
    status = r["status"] if (has_data or r["red"] + r["yellow"] + r["info"]) else "none"
    return Light(item, str(status), int(r["red"]), int(r["yellow"]), int(r["info"]))


def _card(values: pd.DataFrame, info: SchoolInfo, source: ReportSource, year: int,
          rows: list[IndicatorRow]) -> Card:
    """The engine's card for the school-year, its reasons stated in Chinese from the report's rows."""
    if info.level != "高职":
        return Card(NOT_APPLICABLE)
    attrs = pd.DataFrame([{"school_id": info.school_id, "level": info.level, "category": info.category}])
    found = cards(values, attrs, source.models)
    found = found[found["year"] == year]
    if found.empty:
        return Card("")
    basic = {i for i, ind in source.models.indicators.items() if ind.cards}
    reasons = [f"{r.name} {r.text}{' ' + unit_label(r.unit) if unit_label(r.unit) else ''}，"
               f"低于限制招生线 {r.restriction_text}"
               for r in rows if r.level == RESTRICTED and r.indicator_id in basic]
    if "三年" in str(found.iloc[0]["reasons"]):
        reasons.append("连续三年黄牌")
    return Card(str(found.iloc[0]["card"]), tuple(reasons))


def gather_school(source: ReportSource, school: str, year: int, layout: Layout | None = None,
                  generated_at: datetime | None = None) -> SchoolReport:
    """The self-diagnosis report of ``school`` for academic ``year`` (see the module docstring)."""
    models = source.models
    layout = layout or load_layout(models)
    info = school_info(source, school)
    attrs = pd.DataFrame([{"school_id": info.school_id, "level": info.level, "category": info.category}])
    values = source.school_values(school)
    # every school-layer value (trends), program-layer values of the report year only (highlights)
    values = values[(values["layer"] == "school") | (values["year"] == year)].reset_index(drop=True)
    values = judged(values, models, attrs, source.targets(school))
    if values.empty or not (values["year"] == year).any():
        raise ReportDataError(f"学校 {info.name}（{school}）在 {year} 学年没有指标值：请先导入数据并运行计算"
                              f" / no indicator values for {school} in {year}: import data and compute first")
    peers = source.province_values("school")
    peers = peers[peers["school_level"] == info.level]
    rows = indicator_rows(values, year, models, peer_stats(peers, school, models))
    by_id = {r.indicator_id: r for r in rows}
    this_year = values[values["year"] == year]
    program_year = this_year[(this_year["layer"] == "program") & this_year["value"].notna()]  # filtered once
    names = _program_names(source, school, year)
    warnings = source.warnings(school, year)
    problems = problems_by_item(warnings, models, names)
    tasks = source.tasks(school)
    planned, achieved = tasks_by_item(tasks, year, models), outcomes_by_item(tasks, year, values, models)
    items = lights(warnings, models, pd.DataFrame({"school_id": [school], "year": [year]}))
    sections, appendix = [], []
    for n, item in enumerate(layout.school.items, start=1):
        ids = [i for i, ind in models.indicators.items() if item in ind.items]
        found = problems.get(item, [])
        shown = found[:layout.school.problems_per_item]
        appendix.extend(found[len(shown):])
        notes, summary = program_notes(program_year, ids, models, names, layout.school.programs_per_item)
        section_rows = [by_id[i] for i in ids if i in by_id]
        sections.append(ItemSection(
            f"item-{n}", numeral(n), item, _light(items, item, bool(section_rows) or bool(notes)), section_rows, notes, summary,
            shown, len(found) - len(shown), planned.get(item, []), achieved.get(item, [])))
    quality_problems = problems.get(DATA_QUALITY_ITEM, []) + problems.get(OTHER_ITEM, [])
    data_quality = None
    if quality_problems or planned.get(DATA_QUALITY_ITEM):
        data_quality = ItemSection("data-quality", numeral(len(sections) + 1), DATA_QUALITY_ITEM,
                                   _light(items, DATA_QUALITY_ITEM, True), problems=quality_problems,
                                   tasks=planned.get(DATA_QUALITY_ITEM, []))
    overall = school_lights(items)
    total = Light("全校", str(overall.iloc[0]["status"]) if len(overall) else "green",
                  *(int(warnings["severity"].eq(s).sum()) for s in ("red", "yellow", "info")))
    version = source.version(school, year)
    notes = []
    if version.stale:
        notes.append("注意：本报告的指标值不是按最新导入的数据计算的。请先运行 zhengai compute 与预警计算，再重新生成报告。")
    return SchoolReport(
        school=info, year=year, title=layout.school.title,
        provenance=Provenance(generated_at or datetime.now().astimezone(), version.data_version,
                              version.model_version, version.run_id, version.stale),
        overall=total, lights=[s.light for s in sections] + ([data_quality.light] if data_quality else []),
        card=_card(values, info, source, year, rows),
        top_problems=most_serious(warnings, models, names, layout.school.top_problems),
        key_figures=[by_id[i] for i in layout.school.key_figures if i in by_id],
        sections=sections, data_quality=data_quality,
        quality_tables=quality_tables(layout.quality_tables, values, year, models),
        appendix_problems=appendix, definitions=rows, notes=notes)


def _program_names(source: ReportSource, school: str, year: int) -> dict[str, str]:
    programs = source.programs(school, year)
    return {str(c): str(n) for c, n in zip(programs["program_code"], programs["program_name"]) if n == n}
