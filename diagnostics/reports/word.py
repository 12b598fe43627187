"""The self-diagnosis report as a Word document (``.docx``): the same records and the same order as
the HTML report, for schools that edit and file Word documents.

Headings use Word's heading styles (so the table-of-contents field and the navigation pane
work); charts are the report's SVG charts rasterised to PNG by the caller.
"""

from __future__ import annotations

from docx.enum.text import WD_BREAK

from .fmt import unit_label
from .model import SPIRAL_STEPS, IndicatorRow, ItemSection, Problem, SchoolReport
from .wordkit import (
    SEVERITY_STATUS,
    header_footer,
    new_document,
    para,
    picture,
    status_cell,
    table,
    to_bytes,
    toc,
)


def _name(row: IndicatorRow) -> str:
    unit = unit_label(row.unit)
    return f"{row.name}（{unit}）" if unit else row.name


def _problems(doc: object, problems: list[Problem]) -> None:
    rows = [(p.severity_label, p.where, f"{p.message}\n{p.evidence}".strip()) for p in problems]
    t = table(doc, ["级别", "位置", "问题与证据"], rows)
    for row, p in zip(t.rows[1:], problems):
        status_cell(row.cells[0], SEVERITY_STATUS.get(p.severity, "none"), p.severity_label)


def _chapter(doc: object, report: SchoolReport, s: ItemSection, images: dict[str, bytes], figure: int) -> int:
    doc.add_heading(f"{s.title}（{s.light.label}）", level=1)
    para(doc, f"诊断结论：{s.light.meaning}。本学年本项目有红色预警 {s.light.red} 条、黄色预警 {s.light.yellow} 条、"
              f"提示 {s.light.info} 条。")
    steps = iter(f"（{n}）{step}" for n, step in zip("一二三四五", SPIRAL_STEPS if s.anchor != "data-quality"
                                                  else SPIRAL_STEPS[2:4]))
    if s.anchor != "data-quality":
        doc.add_heading(next(steps), level=2)
        if s.indicators:
            table(doc, ["指标", "方向", "合格标准", "限制招生线", "学校目标", "依据"],
                  [(_name(r), r.direction_label, r.qualified_text, r.restriction_text, r.target_text,
                    r.standard_source or "—") for r in s.indicators], numeric=(2, 3, 4))
        else:
            para(doc, "本项目暂无可计算的学校层面指标（状态数据尚未覆盖）。")
        doc.add_heading(next(steps), level=2)
        if s.indicators:
            table(doc, ["指标", str(report.year), str(report.year - 1), "变化", "达标情况", "与目标差距", "同类中位数",
                        "同类位次"],
                  [(_name(r), r.text, r.previous_text, r.change_text, r.level_label, r.gap_text, r.peer_median_text,
                    r.peer_rank_text) for r in s.indicators], numeric=(1, 2, 3, 5, 6, 7))
            if f"trend-{s.anchor}" in images:
                figure += 1
                picture(doc, images[f"trend-{s.anchor}"],
                        f"图 {figure}　{s.item}：历年趋势与同类院校（{report.school.level}）比较")
        if s.program_summary:
            doc.add_heading("专业层面", level=3)
            para(doc, s.program_summary)
            if s.programs:
                table(doc, ["专业", "指标", "本年值", "合格标准", "说明"],
                      [(p.program, p.indicator, p.value_text, p.standard_text, p.note) for p in s.programs],
                      numeric=(2, 3))
    doc.add_heading(next(steps), level=2)
    if s.problems:
        _problems(doc, s.problems)
        if s.more_problems:
            para(doc, f"另有 {s.more_problems} 条预警见附录。", size=9)
    else:
        para(doc, "本学年本项目未发现预警。")
    doc.add_heading(next(steps), level=2)
    if s.tasks:
        table(doc, ["问题", "原因", "改进措施", "责任部门", "完成期限", "状态"],
              [(t.problem, t.cause, t.measure, t.owner, t.deadline, t.status) for t in s.tasks])
    else:
        para(doc, "本项目存在预警，但尚未登记改进任务。" if s.untreated else "本学年本项目未登记改进任务。")
    if s.anchor != "data-quality":
        doc.add_heading(next(steps), level=2)
        if s.outcomes:
            table(doc, ["上年度措施", "指标", "设定时", str(report.year), "变化", "成效", "任务状态"],
                  [(o.measure, o.indicator or "—", o.baseline_text, o.value_text, o.change_text, o.verdict, o.status)
                   for o in s.outcomes], numeric=(2, 3, 4))
        else:
            para(doc, "上一学年本项目未登记改进任务。")
    return figure


def _summary(doc: object, r: SchoolReport) -> None:
    doc.add_paragraph(r.academic_year)
    doc.add_paragraph(r.school.name, style="Title")
    para(doc, r.title, size=16, bold=True)
    para(doc, f"学校代码 {r.school.school_id}　办学层次 {r.school.level or '—'}　类别 {r.school.category or '—'}　"
              f"设区市 {r.school.city or '—'}", size=9)
    para(doc, f"数据版本 {r.provenance.data_version}　生成时间 {r.provenance.generated_text}", size=9)
    for note in r.notes:
        para(doc, note, bold=True)
    doc.add_heading("摘要", level=1)
    t = table(doc, ["总体诊断状态", "基本办学条件黄牌、红牌（教发〔2004〕2号）"], [("", "")])
    status_cell(t.rows[1].cells[0], r.overall.status, r.overall.label)
    status_cell(t.rows[1].cells[1], r.card.status, r.card.label)
    t.rows[1].cells[0].add_paragraph(f"红色预警 {r.overall.red} 条，黄色预警 {r.overall.yellow} 条，提示 {r.overall.info} 条")
    if r.card.reasons:
        t.rows[1].cells[1].add_paragraph("；".join(r.card.reasons))
    doc.add_heading("各诊断项目状态", level=2)
    t = table(doc, ["诊断项目", "状态", "红色预警", "黄色预警", "提示", "含义"],
              [(lt.item, lt.label, lt.red, lt.yellow, lt.info, lt.meaning) for lt in r.lights], numeric=(2, 3, 4))
    for row, light in zip(t.rows[1:], r.lights):
        status_cell(row.cells[1], light.status, light.label)
    doc.add_heading("最突出的问题", level=2)
    if r.top_problems:
        t = table(doc, ["序号", "级别", "诊断项目", "问题"],
                  [(n, p.severity_label, p.item, p.message + ("" if p.where == "全校" else f"（{p.where}）"))
                   for n, p in enumerate(r.top_problems, 1)], numeric=(0,))
        for row, p in zip(t.rows[1:], r.top_problems):
            status_cell(row.cells[1], SEVERITY_STATUS.get(p.severity, "none"), p.severity_label)
    else:
        para(doc, "本学年未发现预警。")
    if r.key_figures:
        doc.add_heading("主要指标", level=2)
        table(doc, ["指标", str(r.year), str(r.year - 1), "合格标准", "达标情况", "同类中位数"],
              [(_name(k), k.text, k.previous_text, k.qualified_text, k.level_label, k.peer_median_text)
               for k in r.key_figures], numeric=(1, 2, 3, 5))


def school_docx(report: SchoolReport, images: dict[str, bytes] | None = None) -> bytes:
    """The report as ``.docx`` bytes; ``images``: PNG charts by key (``trend-<section anchor>``)."""
    images = images or {}
    r = report
    doc = new_document()
    header_footer(doc, r.school.name, f"{r.academic_year}{r.title}", r.provenance.footer)
    _summary(doc, r)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    para(doc, "目录", size=16, bold=True)
    toc(doc)
    figure = 0
    for s in r.chapters:
        doc.add_page_break()
        figure = _chapter(doc, r, s, images, figure)
    doc.add_page_break()
    doc.add_heading(r.heading("quality-tables").title, level=1)
    para(doc, "以下各表依据本平台指标计算结果填列；状态数据无法支持的项目标注“数据暂缺”，不以 0 代替。")
    for n, t in enumerate(r.quality_tables, 1):
        table(doc, ["项目", "单位", *(f"{y} 学年" for y in t.years), "备注"],
              [(row.label, row.unit, *row.texts, row.note) for row in t.rows], numeric=(2, 3),
              caption=f"表 {n}　{t.title}")
        if t.note:
            para(doc, f"说明：{t.note}", size=8.5)
    if r.appendix_problems:
        doc.add_page_break()
        doc.add_heading(r.heading("appendix-problems").title, level=1)
        _problems(doc, r.appendix_problems)
    doc.add_page_break()
    doc.add_heading(r.heading("appendix-definitions").title, level=1)
    table(doc, ["指标", "单位", "计算方法", "合格标准依据"],
          [(d.name, unit_label(d.unit) or "—", d.definition, d.standard_source or "—") for d in r.definitions])
    para(doc, f"数据来源：学校人才培养工作状态数据（{r.provenance.data_version}）。{r.provenance.footer}。"
              f"同类院校为{r.peers or '—'}；位次第 1 位为最好。")
    para(doc, "本校对本报告所用数据的真实性负责。")
    for line in ("学校（盖章）：", "法定代表人（签字）：", "日期："):
        para(doc, line + "＿" * 16)
    return to_bytes(doc)
