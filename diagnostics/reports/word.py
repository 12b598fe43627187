"""The self-diagnosis report as a Word document (``.docx``): the same records, sections and order as the
HTML report, for schools that edit and file Word documents.

Headings use Word's heading styles (so the contents and the navigation pane work); the contents are
written out with links to the headings and the pages of the printed report; charts are the report's
SVG charts rasterised to PNG by the caller.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from ..warnings.verdict import SCOPE_ZH
from .fmt import unit_label
from .model import IndicatorRow, ItemSection, Narrative, Problem, SchoolReport
from .wordkit import (
    SEVERITY_STATUS,
    bookmark,
    header_footer,
    keep_together,
    new_document,
    para,
    picture,
    status_cell,
    table,
    to_bytes,
    toc,
)

UNWRITTEN = "（学校尚未撰写本部分。）"


def _name(row: IndicatorRow) -> str:
    unit = unit_label(row.unit)
    return f"{row.name}（{unit}）" if unit else row.name


class _Headings:
    """Headings with bookmarks named after the report's anchors (the targets of the contents)."""

    def __init__(self, doc: object) -> None:
        self.doc, self.count = doc, 0

    def __call__(self, text: str, level: int, anchor: str | None = None) -> None:
        heading = self.doc.add_heading(text, level=level)  # type: ignore[attr-defined]
        if anchor:
            self.count += 1
            bookmark(heading, _mark(anchor), self.count)


def _mark(anchor: str) -> str:
    return "_Toc_" + anchor.replace("-", "_")


def _narrative(doc: object, n: Narrative) -> None:
    if not n.paragraphs:
        para(doc, UNWRITTEN)
    for text in n.paragraphs:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(21)  # type: ignore[attr-defined]


def _problems(doc: object, problems: list[Problem], items: bool = False) -> None:
    heads = ["级别", *(["诊断项目"] if items else []), "位置", "问题与证据"]
    rows = [(p.severity_label, *([p.item] if items else []), p.where, f"{p.message}\n{p.evidence}".strip())
            for p in problems]
    t = table(doc, heads, rows)
    for row, p in zip(t.rows[1:], problems):
        status_cell(row.cells[0], SEVERITY_STATUS.get(p.severity, "none"), p.severity_label)


def _cover(doc: object, r: SchoolReport) -> None:
    for _ in range(3):
        doc.add_paragraph()  # type: ignore[attr-defined]
    for text, size, bold in ((r.academic_year, 14, False), (r.school.name, 26, True), (r.title, 20, True)):
        para(doc, text, size=size, bold=bold)
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    doc.add_paragraph()  # type: ignore[attr-defined]
    level = (r.school.level or "—") + (f" · {r.school.category}" if r.school.category else "")
    meta = table(doc, ["项目", "内容"], [("报送单位", r.school.name), ("学校代码", r.school.school_id),
                                     ("办学层次与类别", level), ("所在设区市", r.school.city or "—"),
                                     ("报告学年", r.academic_year), ("报送日期", r.provenance.date_text)])
    meta._tbl.remove(meta.rows[0]._tr)  # a form, not a table with a header
    for _ in range(3):
        doc.add_paragraph()  # type: ignore[attr-defined]
    para(doc, "本校对本报告内容及所用数据的真实性、准确性负责。")
    doc.paragraphs[-1].paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
    seal = table(doc, ["学校（盖章）", "法定代表人（签字）"], [("\n\n\n", "\n\n\n"), ("日期：　　　　年　　月　　日", "")])
    keep_together(seal)


def _overview(doc: object, r: SchoolReport, h: _Headings) -> None:
    h(r.heading("overview").title, 1, "overview")
    _narrative(doc, r.narrative("overview"))
    h("基本信息", 3)
    table(doc, ["项目", "内容"], [("学校名称", r.school.name), ("学校代码", r.school.school_id),
                               ("办学层次", r.school.level or "—"), ("类别", r.school.category or "—"),
                               ("所在设区市", r.school.city or "—"), ("本学年专业数", r.programs),
                               ("比较对象", r.peers or "—")])
    if r.key_figures:
        h("主要指标", 3)
        table(doc, ["指标", "本学年", "上一学年", "同类中位数"],
              [(_name(k), k.text, k.previous_text, k.peer_median_text) for k in r.key_figures], numeric=(1, 2, 3))


def _work(doc: object, r: SchoolReport, h: _Headings) -> None:
    h(r.heading("work").title, 1, "work")
    _narrative(doc, r.narrative("work"))
    h("本学年诊断结论", 3)
    t = table(doc, ["学校总体诊断状态", "基本办学条件黄牌、红牌（教发〔2004〕2号）"], [("", "")])
    status_cell(t.rows[1].cells[0], r.overall.status, r.overall.label)
    status_cell(t.rows[1].cells[1], r.card.status, r.card.label)
    t.rows[1].cells[0].add_paragraph(f"红色预警 {r.overall.red} 条，黄色预警 {r.overall.yellow} 条，提示 {r.overall.info} 条")
    if r.card.reasons:
        t.rows[1].cells[1].add_paragraph("；".join(r.card.reasons))
    programs = f"，并对 {r.programs} 个专业的专业层面指标进行了监测" if r.programs else ""
    para(doc, f"本学年监测质控点 {r.monitored} 个（学校层面指标）{programs}；发现红色预警 {r.overall.red} 条、"
              f"黄色预警 {r.overall.yellow} 条，登记改进措施 {len(r.tasks)} 项。{SCOPE_ZH}。")
    t = table(doc, ["诊断项目", "状态", "红色预警（条）", "黄色预警（条）", "提示（条）"],
              [(lt.item, lt.label, lt.red, lt.yellow, lt.info) for lt in r.lights], numeric=(2, 3, 4))
    for row, light in zip(t.rows[1:], r.lights):
        status_cell(row.cells[1], light.status, light.label)


def _chains(doc: object, r: SchoolReport, h: _Headings) -> None:
    h(r.heading("chains").title, 1, "chains")
    _narrative(doc, r.narrative("chains"))
    para(doc, f"本学年监测的 {r.monitored} 个质控点中，{r.control_points} 个对照国家或省级标准、学校目标进行诊断；"
              "其余为监测指标，用于纵向与横向比较。")
    for item, rows, again in r.chain_groups():
        if rows:
            table(doc, ["质控点", "合格标准", "限制招生线", "学校目标", "本学年", "达标情况", "目标达成"],
                  [(_name(c), c.qualified_text, c.restriction_text, c.target_text, c.text, c.level_label,
                    c.target_state or "—") for c in rows], numeric=(1, 2, 3, 4), caption=item)
        if again:
            para(doc, f"{item}的质控点还有：{'、'.join(again)}。", size=9)


def _item(doc: object, r: SchoolReport, s: ItemSection, h: _Headings, images: dict[str, bytes], figure: int) -> int:
    h(f"{s.title}（{s.light.label}）", 2, s.anchor)
    para(doc, f"诊断结论：{s.light.meaning}。本学年本项目有红色预警 {s.light.red} 条、黄色预警 {s.light.yellow} 条、"
              f"提示 {s.light.info} 条。")
    if s.indicators:
        h("现状与比较", 4)
        table(doc, ["指标", "本学年", "上一学年", "变化", "达标情况", "同类中位数", "同类位次"],
              [(_name(x), x.text, x.previous_text, x.change_text, x.level_label, x.peer_median_text,
                x.peer_rank_text) for x in s.indicators], numeric=(1, 2, 3, 5, 6))
        if f"trend-{s.anchor}" in images:
            figure += 1
            picture(doc, images[f"trend-{s.anchor}"], f"图 {figure}　{s.item}：历年趋势与同类院校比较")
    if s.program_summary:
        h("专业层面", 4)
        para(doc, s.program_summary)
        if s.programs:
            table(doc, ["专业", "指标", "本学年", "合格标准", "说明"],
                  [(p.program, p.indicator, p.value_text, p.standard_text, p.note) for p in s.programs],
                  numeric=(2, 3))
    h("预警与证据", 4)
    if s.problems:
        _problems(doc, s.problems)
        if s.more_problems:
            para(doc, f"另有 {s.more_problems} 条预警见附录“预警明细”。", size=9)
    else:
        para(doc, "本学年本项目未发现预警。")
    causes = [t for t in s.tasks if t.cause != "—"]
    if causes:
        h("原因分析", 4)
        table(doc, ["问题", "原因"], [(t.problem, t.cause) for t in causes])
    return figure


def _measures(doc: object, r: SchoolReport, h: _Headings) -> None:
    h(r.heading("measures").title, 1, "measures")
    _narrative(doc, r.narrative("measures"))
    shown = [s for s in r.chapters if s.tasks or s.outcomes]
    for s in shown:
        h(s.item, 4)
        if s.tasks:
            table(doc, ["问题", "原因", "改进措施", "责任部门", "完成期限", "状态"],
                  [(t.problem, t.cause, t.measure, t.owner, t.deadline, t.status) for t in s.tasks])
        if s.outcomes:
            table(doc, ["上一学年的措施", "指标", "设定时", "本学年", "变化", "成效", "任务状态"],
                  [(o.measure, o.indicator or "—", o.baseline_text, o.value_text, o.change_text, o.verdict, o.status)
                   for o in s.outcomes], numeric=(2, 3, 4), caption="上一学年改进措施的成效")
    if not shown:
        para(doc, "本学年未登记改进措施。")
    untreated = [s.item for s in r.chapters if s.untreated]
    if untreated:
        para(doc, f"以下诊断项目存在预警，本学年尚未登记改进措施：{'、'.join(untreated)}。", size=9)


def _closing(doc: object, r: SchoolReport, h: _Headings) -> None:
    h(r.heading("features").title, 1, "features")
    _narrative(doc, r.narrative("features"))
    h(r.heading("plans").title, 1, "plans")
    _narrative(doc, r.narrative("plans"))
    if r.open_tasks:
        h("尚在实施的改进措施", 4)
        table(doc, ["改进措施", "针对问题", "责任部门", "完成期限", "进展"],
              [(t.measure, t.problem, t.owner, t.deadline, t.status) for t in r.open_tasks])
    doc.add_page_break()  # type: ignore[attr-defined]
    h(r.heading("appendix-quality").title, 1, "appendix-quality")
    para(doc, "以下各表依据本学年状态数据计算填列；状态数据不能支持的项目标注“数据暂缺”，不以 0 代替。")
    for n, t in enumerate(r.quality_tables, 1):
        table(doc, ["项目", "单位", *(f"{y}–{y + 1} 学年" for y in t.years), "备注"],
              [(row.label, row.unit, *row.texts, row.note) for row in t.rows], numeric=(2, 3),
              caption=f"表 {n}　{t.title}")
        if t.note:
            para(doc, f"说明：{t.note}", size=8.5)
    if r.appendix_problems:
        h(r.heading("appendix-problems").title, 1, "appendix-problems")
        _problems(doc, r.appendix_problems, items=True)
    h(r.heading("appendix-definitions").title, 1, "appendix-definitions")
    table(doc, ["指标", "单位", "计算方法", "合格标准依据"],
          [(d.name, unit_label(d.unit) or "—", d.definition, d.standard_source or "—") for d in r.definitions])
    para(doc, f"本报告的数值依据学校人才培养工作状态数据计算：{r.provenance.footer}。"
              f"比较对象为{r.peers or '—'}；同类位次第 1 位为最好。")
    for note in r.notes:
        para(doc, note, bold=True)


def school_docx(report: SchoolReport, images: dict[str, bytes] | None = None,
                pages: dict[str, int] | None = None) -> bytes:
    """The report as ``.docx`` bytes; ``images``: PNG charts by key (``trend-<section anchor>``); ``pages``:
    the page of each heading in the printed report (the contents' page numbers)."""
    images, pages, r = images or {}, pages or {}, report
    doc = new_document()
    header_footer(doc, r.school.name, f"{r.academic_year}{r.title}", "")
    _cover(doc, r)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, "目　录", size=16, bold=True)
    toc(doc, [(h.title, h.level, _mark(h.anchor), pages.get(h.anchor)) for h in r.outline()])
    doc.add_page_break()
    h = _Headings(doc)
    _overview(doc, r, h)
    _work(doc, r, h)
    _chains(doc, r, h)
    h(r.heading("problems").title, 1, "problems")
    _narrative(doc, r.narrative("problems"))
    if r.top_problems:
        h("最突出的问题", 3)
        t = table(doc, ["序号", "级别", "诊断项目", "问题"],
                  [(n, p.severity_label, p.item, p.message + ("" if p.where == "全校" else f"（{p.where}）"))
                   for n, p in enumerate(r.top_problems, 1)], numeric=(0,))
        for row, p in zip(t.rows[1:], r.top_problems):
            status_cell(row.cells[1], SEVERITY_STATUS.get(p.severity, "none"), p.severity_label)
    figure = 0
    for s in r.chapters:
        figure = _item(doc, r, s, h, images, figure)
    _measures(doc, r, h)
    _closing(doc, r, h)
    return to_bytes(doc)
