"""End to end on the real pipeline: a sample province (two schools renamed to hostile names) is imported,
computed and warned; ``zhengai report`` writes every format; each file is opened and its content checked
against ``zhengai values``."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from report_world import EVIL_NAME, FORMULA_NAME, pipeline

from diagnostics.cli import main
from diagnostics.reports.fmt import format_value
from diagnostics.sample import ANSWER_KEY, generate

pytestmark = pytest.mark.browser
YEAR = 2024
NARRATIVE = {"overview": "本校坚持立德树人，面向区域产业办学。", "work": "学校成立诊改工作领导小组，按 8字形质量改进螺旋运行。",
             "features": "校企共建产业学院，订单培养覆盖六个专业。", "plans": "下一学年重点提高双师素质教师比例。"}
HEADINGS = ("一、学校概况", "二、诊改工作开展情况", "三、目标链与标准链（质控点建设）", "四、问题与原因", "五、改进措施与成效",
            "六、特色与创新", "七、下一步计划")
NAMED = ["student_teacher_ratio", "dual_qualified_share", "equipment_value_per_student", "books_per_student",
         "employment_rate"]


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main([str(a) for a in args])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Six schools, 2022–2024, through import → compute → warnings, with tasks of two years."""
    root = tmp_path_factory.mktemp("report_e2e")
    folder = root / "csv"
    generate(folder, schools=6, years=3, seed=11, scale=0.1, first_year=2022)
    (folder / ANSWER_KEY).unlink()
    schools = pd.read_csv(folder / "schools.csv", dtype=str, keep_default_na=False)
    higher = schools.index[schools["level"] == "高职"]
    evil, formula = schools.loc[higher[0], "school_id"], schools.loc[higher[1], "school_id"]
    schools.loc[higher[0], "name"], schools.loc[higher[1], "name"] = EVIL_NAME, FORMULA_NAME
    schools.to_csv(folder / "schools.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    url, engine, models, access = pipeline(folder, root)
    access.create_task(evil, YEAR - 1, "毕业去向落实率需提高", indicator_id="employment_rate", cause="就业指导不足",
                       measure="开设就业指导课程", owner="招生就业处", deadline="2024-06-30", status="done",
                       baseline_value=80.0)
    access.create_task(evil, YEAR, "生师比偏高", indicator_id="student_teacher_ratio", cause="专任教师不足",
                       measure="=cmd|' /C calc'!A0 引进专任教师", owner="人事处", deadline="2025-06-30")
    for section, text in NARRATIVE.items():  # what the school wrote on the self-diagnosis dashboard
        access.save_narrative(evil, YEAR, section, text)
    out = root / "out"
    code, text = cli("--db", url, "report", "--school", evil, "--year", YEAR, "--format", "html,pdf,docx,xlsx",
                     "--out", out)
    assert code == 0, text
    code, text = cli("--db", url, "report", "--school", formula, "--year", YEAR, "--format", "html,xlsx",
                     "--out", out)
    assert code == 0, text
    code, text = cli("--db", url, "report", "--province", "--year", YEAR, "--out", out)
    assert code == 0, text
    yield {"url": url, "engine": engine, "evil": evil, "formula": formula, "out": out, "models": models}
    engine.dispose()


def _file(province, school: str, suffix: str) -> Path:
    stem = "质量年度报告数据表" if suffix == ".xlsx" else "自我诊断与改进工作报告"
    return province["out"] / f"{school}_{YEAR}_{stem}{suffix}"


def _values(province, school: str) -> dict[str, float]:
    """``zhengai values`` for the school-year (school layer), as the CLI prints them."""
    code, text = cli("--db", province["url"], "values", "--school", school, "--year", YEAR, "--layer", "school",
                     "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(text))
    return dict(zip(frame["indicator_id"], frame["value"]))


def _pdftext(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_pdf_has_the_name_and_the_values_of_zhengai_values(province):
    text = _pdftext(_file(province, province["evil"], ".pdf"), layout=True)
    flat = re.sub(r"\s+", "", text)
    assert EVIL_NAME in flat  # printed as text, never run
    values = _values(province, province["evil"])
    models = province["models"].indicators
    for ind in NAMED:
        expected = format_value(values[ind], models[ind].unit)
        name = models[ind].name_zh[:6]  # a long name wraps in its cell; the row starts with its first characters
        rows = [line.split() for line in text.splitlines() if name in line]
        # the state table's row (and the summary's, for headline figures): name, this year's value, …
        assert any(expected == r[r.index(next(t for t in r if name in t)) + 1] for r in rows if len(r) > 2), \
            (ind, expected, rows)
    pages = text.split("\f")
    toc = re.search(r"（一）专业设置与条件\s+(\d+)\s*$", pages[1], re.MULTILINE)
    assert toc, pages[1][:300]
    assert "（一）专业设置与条件" in pages[int(toc.group(1)) - 1]
    assert "第 2 页 / 共" in pages[1]


def test_pdf_is_a_report_a_school_can_file(province):
    """Page 1 a cover (name, year, date, seal block; no version or batch), the sections with the school's own
    text, no developer text, no near-empty page."""
    text = _pdftext(_file(province, province["evil"], ".pdf"))
    pages = [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]
    cover = pages[0]
    assert EVIL_NAME in cover and "2024–2025学年" in cover and re.search(r"\d{4}年\d{1,2}月\d{1,2}日", cover)
    assert "报送单位" in cover and "学校（盖章）" in cover and "法定代表人（签字）" in cover and "日期" in cover
    for banned in ("版本", "批次", "第1页"):
        assert banned not in cover, banned
    flat = "".join(pages)
    for heading in HEADINGS:
        assert flat.count(heading) >= 2, heading  # in the contents and as a heading
    for written in NARRATIVE.values():
        assert re.sub(r"\s+", "", written) in flat, written
    for banned in ("待核实", "WHO", "数据版本v", "请在", "DHIS2", "domain.md", "—无适用标准"):
        assert banned not in flat, banned
    body = flat[:flat.rindex("附录三")]
    assert "导入批次" not in body and "计算批次" not in body  # provenance only in the closing appendix
    short = [n for n, p in enumerate(pages[2:-1], 3) if len(p) < 400]
    assert not short, f"near-empty pages {short}"


def test_pdf_embeds_a_named_cjk_font_and_renders(province, tmp_path):
    pdf = _file(province, province["evil"], ".pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("NotoSansCJKsc" in r and " yes yes yes " in r for r in rows), fonts
    assert not any("Type 3" in r for r in rows), fonts  # every glyph from a real, embedded font
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    page = next(tmp_path.glob("p*.png"))
    assert page.stat().st_size > 20_000


def test_docx_has_headings_tables_and_values(province):
    doc = Document(str(_file(province, province["evil"], ".docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "一、学校概况"
    for title in (*HEADINGS, "（一）专业设置与条件", "（二）教师队伍建设", "附录一　高职院校质量年度报告数据表"):
        assert any(h.startswith(title) for h in headings), title
    entries = [p.text.split("\t") for p in doc.paragraphs if p.style.name.startswith("toc ")]
    assert [e[0] for e in entries][:4] == list(HEADINGS[:4])
    assert all(len(e) == 2 and e[1].isdigit() for e in entries)  # every entry has its page, before any update
    texts = {p.text for p in doc.paragraphs}
    assert NARRATIVE["features"] in texts
    assert len(doc.tables) > 20 and len(doc.inline_shapes) >= 5  # tables and trend charts
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    values = _values(province, province["evil"])
    for ind in NAMED:
        assert format_value(values[ind], province["models"].indicators[ind].unit) in cells, ind
    assert "=cmd|' /C calc'!A0 引进专任教师" in cells and "开设就业指导课程" in cells
    assert any(p.text == EVIL_NAME for p in doc.paragraphs[:6])


def test_xlsx_holds_the_numbers_and_formula_names_stay_text(province):
    values = _values(province, province["formula"])
    wb = load_workbook(_file(province, province["formula"], ".xlsx"))
    ws = wb["教学资源表"]
    assert ws["A1"].value == f"{FORMULA_NAME} 教学资源表" and ws["A1"].data_type == "s"
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    assert ws.cell(rows["生师比"], 4).value == pytest.approx(values["student_teacher_ratio"])
    assert ws.cell(rows["生均纸质图书"], 4).value == pytest.approx(values["books_per_student"])
    assert ws.cell(rows["教学计划内课程总学时"], 4).value == pytest.approx(values["total_course_hours"])
    policy = wb["落实政策表"]
    missing = next(r for r in range(5, policy.max_row + 1) if policy.cell(r, 1).value == "教职工额定编制数")
    assert policy.cell(missing, 4).value == "数据暂缺"  # the status data cannot fill it: said so, not 0
    service = wb["服务贡献表"]
    rows = {service.cell(r, 1).value: r for r in range(5, service.max_row + 1)}
    assert service.cell(rows["毕业去向落实率"], 4).value == pytest.approx(values["employment_rate"])
    assert all(c.data_type != "f" for sheet in wb for row in sheet.iter_rows() for c in row)


def test_html_is_inert(province):
    html = _file(province, province["evil"], ".html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "上一学年改进措施的成效" in html and "开设就业指导课程" in html


def test_province_report(province):
    out = province["out"]
    pdf_text = _pdftext(out / f"{YEAR}_全省职业教育质量报告.pdf")
    for needle in ("全省职业教育质量报告", "关键指标分布", "最常见的预警", "全省中位数趋势", "学校排名与位次区间", "位次区间"):
        assert needle in pdf_text, needle
    assert EVIL_NAME in re.sub(r"\s+", "", pdf_text)
    html = (out / f"{YEAR}_全省职业教育质量报告.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html


def test_every_school_in_parallel(province, tmp_path):
    code, text = cli("--db", province["url"], "report", "--all", "--year", YEAR, "--format", "html,xlsx",
                     "--workers", 2, "--out", tmp_path)
    assert code == 0, text
    assert len(list(tmp_path.glob("*.html"))) == 6 and len(list(tmp_path.glob("*.xlsx"))) == 6


def test_unknown_school_is_an_input_error(province, capsys):
    assert main(["--db", province["url"], "report", "--school", "NOPE", "--year", str(YEAR)]) == 2
    assert "NOPE" in capsys.readouterr().err
