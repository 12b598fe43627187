"""HTML, Word and Excel renderers on a hand-made school-year: content, structure and safety."""

from __future__ import annotations

import io
import re
import warnings

import pytest
from docx import Document
from openpyxl import load_workbook
from report_world import EVIL_NAME, FORMULA_NAME, GENERATED, source

from diagnostics.reports import gather_school
from diagnostics.reports.excel import quality_workbook
from diagnostics.reports.figures import rank_intervals
from diagnostics.reports.html import css_string, school_html
from diagnostics.reports.word import school_docx


@pytest.fixture(scope="module")
def evil():
    src = source(name=EVIL_NAME, program_name="<img src=x onerror=alert(2)>", message_extra="<b>!</b>")
    return gather_school(src, "S1", 2024, generated_at=GENERATED)


@pytest.fixture(scope="module")
def formula():
    return gather_school(source(name=FORMULA_NAME, program_name="+cmd|' /C calc'!A0"), "S1", 2024,
                         generated_at=GENERATED)


def test_html_has_the_numbers_and_the_structure(formula):
    html = school_html(formula)
    assert "<title>=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;) 2024–2025 学年自我诊断与改进工作报告</title>" in html
    text = re.sub(r"<[^>]+>", " ", html)
    for needle in ("报送单位", "报送日期", "2025 年 3 月 1 日", "学校（盖章）", "法定代表人（签字）", "目　录",
                   "一、学校概况", "二、诊改工作开展情况", "三、目标链与标准链（质控点建设）", "四、问题与原因",
                   "（二）教师队伍建设", "五、改进措施与成效", "六、特色与创新", "七、下一步计划",
                   "附录一　高职院校质量年度报告数据表", "本校是省属公办高职院校。", "以工学结合为特色。",
                   "（学校尚未撰写本部分。）", "人才培养质量计分卡", "学生反馈表", "数据暂缺", "■ 红灯",
                   "▲ 黄牌（限制招生）", "92.5%", "未达成", "引进专任教师 40 人", "开设就业指导课", "达标",
                   "质控点"):
        assert needle in text, needle
    assert "第 3 / 3 位" not in text  # issue 12: no rank nor median among fewer than 5 schools
    body = text[:text.index("附录三")]
    for banned in ("待核实", "WHO", "数据版本", "请在", "导入批次", "计算批次", "— 无适用标准", "高职质量年度报告通行格式"):
        assert banned not in body, banned  # no developer or provenance text before the closing appendix
    assert "导入批次 #7" in text[text.index("附录三"):]
    assert html.count("<svg") >= 2  # trend charts, inline
    assert not re.search(r'(src|href)="https?:|url\(["\']?https?:|<link|<script', html)  # self-contained


def test_html_escapes_everything_from_data(evil):
    html = school_html(evil)
    assert "<script>" not in html and "<img src=x" not in html and "<b>!</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    # the running head of the printed page is a CSS string: the name cannot close it or the <style> element
    head = re.search(r'@top-left \{ content: ("[^"]*");', html)
    assert head and head.group(1) == str(css_string(EVIL_NAME)) and "<" not in head.group(1)


def test_css_string_escapes_quotes_and_tags():
    assert str(css_string('a"</style>')) == '"a\\000022\\00003c\\00002fstyle\\00003e"'


def test_svg_chart_escapes_names():
    svg = rank_intervals([EVIL_NAME, "海川"], [1, 2], [1, 1], [2, 2], "位次")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_word_document(formula):
    pages = {h.anchor: n for n, h in enumerate(formula.outline(), 3)}
    doc = Document(io.BytesIO(school_docx(formula, {}, pages)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "一、学校概况" in headings and "七、下一步计划" in headings
    assert any(h.startswith("（二）教师队伍建设（■ 红灯）") for h in headings)
    assert "附录一　高职院校质量年度报告数据表" in headings
    assert any(p.text == FORMULA_NAME for p in doc.paragraphs[:6])  # the cover's title, as plain text
    texts = [p.text for p in doc.paragraphs]
    assert "本校是省属公办高职院校。" in texts and "（学校尚未撰写本部分。）" in texts
    xml = doc.element.xml
    assert 'TOC \\o "1-2"' in xml  # a table-of-contents field …
    entries = [p for p in doc.paragraphs if p.style.name.startswith("toc ")]
    assert [e.text for e in entries[:2]] == ["一、学校概况\t3", "二、诊改工作开展情况\t4"]  # … written out, with pages
    assert "F9" not in xml and "更新域" not in xml
    marks = set(re.findall(r'w:bookmarkStart[^>]*w:name="([^"]+)"', xml))
    assert set(re.findall(r'w:anchor="([^"]+)"', xml)) <= marks  # every entry links to its heading
    assert "HYPERLINK" not in re.findall(r"<w:instrText[^>]*>([^<]*)<", xml).__str__()  # no field from data
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    assert "诊断项目" in tables and "问题" in tables and "质控点" in tables
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "92.5%" in cells and "数据暂缺" in cells and "引进专任教师 40 人" in cells


def test_excel_tables_numbers_and_text(formula):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wb = load_workbook(io.BytesIO(quality_workbook(formula)))
    assert wb.sheetnames == ["人才培养质量计分卡", "教学资源表", "服务贡献表", "落实政策表", "国际影响表", "学生反馈表",
                             "数据说明"]
    ws = wb["人才培养质量计分卡"]
    assert ws["A1"].value == f"{FORMULA_NAME} 人才培养质量计分卡" and ws["A1"].data_type == "s"
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    assert ws.cell(rows["毕业生月收入"], 4).value == "数据暂缺"
    service = wb["服务贡献表"]  # the scorecard's employment rate is the half-year one; 去向落实率 serves here
    srows = {service.cell(r, 1).value: r for r in range(5, service.max_row + 1)}
    employment = srows["毕业去向落实率"]
    assert service.cell(employment, 3).value == 91.0 and service.cell(employment, 4).value == 92.5
    assert service.cell(employment, 4).data_type == "n" and service.cell(employment, 4).number_format == "#,##0.0"
    assert ws.cell(4, 3).value == "2023–2024 学年"
    info = wb["数据说明"]
    school = next(r for r in range(5, info.max_row + 1) if info.cell(r, 1).value == "学校")
    assert info.cell(school, 2).value == FORMULA_NAME and info.cell(school, 2).data_type == "s"
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
