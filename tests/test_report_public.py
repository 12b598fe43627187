"""Public disclosure (信息发布) and city reports (设区市年度质量报告) end to end on the real pipeline.

A sample province is imported, computed and warned; one 高职 school keeps only three teachers in the
report year (so its teacher-based values come from fewer than five people, and its 生师比 is a number no
other cell has), and one task of a data check names a student.  ``zhengai publish`` writes the site and
``zhengai report --city`` the city report; the files are read back as a reader sees them (HTML text,
PDF through pdftotext) and opened from ``file://`` in Chromium.
"""

from __future__ import annotations

import io
import re
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from browser_server import launch_chromium
from import_helpers import as_account
from playwright.sync_api import sync_playwright
from report_world import pipeline

from diagnostics.access import Role
from diagnostics.cli import main
from diagnostics.engine import current_values
from diagnostics.reports.disclosure import MARK, MIN_PEOPLE, NOTE, withheld
from diagnostics.reports.fmt import format_value
from diagnostics.reports.sitecheck import check_links
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.warnings.verdict import load_verdict

pytestmark = pytest.mark.browser
YEAR = 2024
KEPT_TEACHERS = 3


def cli(*args: object, account: str | None = None) -> tuple[int, str]:
    """Run ``zhengai`` in-process, as the shared deployment's OS ``account`` when one is given."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        if account is not None:
            as_account(mp, account)
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def reader_text(path: Path, flat: bool = True) -> str:
    """What a reader of the file sees (``flat``: whitespace removed)."""
    text = pdftext(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
    return re.sub(r"\s+", "", text) if flat else text


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("public")
    folder = root / "csv"
    generate(folder, schools=6, years=2, seed=11, scale=0.1, first_year=YEAR - 1)
    (folder / ANSWER_KEY).unlink()
    schools = pd.read_csv(folder / "schools.csv", dtype=str, keep_default_na=False)
    small = schools.loc[schools["level"] == "高职", "school_id"].iloc[0]
    teachers = pd.read_csv(folder / "teachers.csv", dtype=str, keep_default_na=False)
    mine = teachers[(teachers["school_id"] == small) & (teachers["year"] == str(YEAR))]
    fulltime = mine[mine["employment"] == "专任"].head(KEPT_TEACHERS)
    teachers = pd.concat([teachers.drop(mine.index), fulltime]).sort_values(["school_id", "year", "teacher_key"])
    teachers.to_csv(folder / "teachers.csv", index=False)
    students = pd.read_csv(folder / "students.csv", dtype=str, keep_default_na=False)
    url, engine, models, access = pipeline(folder, root)
    key = students.loc[students["school_id"] == small, "student_key"].iloc[0]
    access.create_task(small, YEAR, f"学生 {key} 身份证号校验码错误", layer="data", unit=f"students:{key}",
                       measure="核对学籍", owner="学生处")
    access.create_task(small, YEAR, "生师比过高", indicator_id="student_teacher_ratio", measure="引进专任教师",
                       owner="人事处", deadline="2025-06-30")
    city = str(schools.set_index("school_id").at[small, "city"])
    access.add_user("zhou", Role.CITY, city=city)
    other = next(c for c in schools["city"] if c != city)
    access.add_user("qian", Role.CITY, city=other)
    access.add_user("wang", Role.SCHOOL, school_id=small)
    site = root / "site"
    code, text = cli("--db", url, "publish", "--year", YEAR, "--out", site)
    assert code == 0, text
    yield {"url": url, "engine": engine, "models": models, "site": site, "small": small, "city": city,
           "schools": schools, "students": students, "teachers": teachers, "root": root, "folder": folder}
    engine.dispose()


class Cells(HTMLParser):
    """The cells of every table row of a page, with the ``data-indicator`` of the row or table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):  # noqa: ANN001
        if self._cell is not None:
            self._cell.append(data)


def rows_of(path: Path) -> list[list[str]]:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def test_no_value_from_fewer_than_five_people(world):
    models, site = world["models"], world["site"]
    values = current_values(world["engine"], layer="school")
    hidden = values[withheld(values, models)]
    small = hidden[hidden["school_id"] == world["small"]]
    assert "student_teacher_ratio" in set(small.loc[small["year"] == YEAR, "indicator_id"]), "the test needs one"
    # each page's key-indicator row of a withheld value shows the mark, and a shown value its number
    shown = 0
    for sid in world["schools"]["school_id"]:
        rows = {r[0]: r for r in rows_of(site / "schools" / f"{sid}.html") if r}
        mine = values[values["school_id"] == sid].set_index(["year", "indicator_id"])
        for (year, ind), row in mine.iterrows():
            name = models.indicators[ind].name_zh
            if name not in rows or year not in (YEAR - 1, YEAR):
                continue
            cell = rows[name][2 + (year - (YEAR - 1))]
            if bool(withheld(row.to_frame().T.assign(indicator_id=ind), models).iloc[0]):
                assert cell == MARK, (sid, year, ind, cell)
            else:
                assert cell == format_value(row["value"], models.indicators[ind].unit, "数据暂缺"), (sid, ind)
                shown += 1
    assert shown > 20
    # a withheld number no other cell has is nowhere: not in a page, not in a PDF (the card's reason too)
    ratio = float(small[(small["year"] == YEAR) & (small["indicator_id"] == "student_teacher_ratio")]["value"].iloc[0])
    assert ratio > 60
    distinct = format_value(ratio, "1")
    files = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in files)
    for path in files:
        assert distinct not in reader_text(path), path
    page = (site / "schools" / f"{world['small']}.html").read_text(encoding="utf-8")
    assert NOTE in page and f"不足 {MIN_PEOPLE} 人" in page  # the mark is explained where it is used


def test_no_key_hash_or_id_number_in_any_file(world):
    with world["engine"].connect() as conn:
        hashes = {h for (h,) in conn.exec_driver_sql("SELECT id_hash FROM students WHERE id_hash IS NOT NULL")}
    tokens = (set(world["students"]["student_key"]) | set(world["students"]["id_number"]) | hashes
              | set(world["teachers"]["teacher_key"]))
    assert len(hashes) > 100 and len(world["students"]) > 100
    tokens = {t for t in tokens if len(t) >= 6}  # keys of the sample are long; none is an ordinary number
    files = [p for p in world["site"].rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".html", ".pdf"}
    for path in files:
        text = reader_text(path)
        found = [t for t in tokens if t in text]
        assert not found, (path, found[:3])
        shaped = re.search(r"(?<![\d,.])\d{17}[\dXx](?![\d,.])", reader_text(path, flat=False))
        assert not shaped, (path, shaped)  # nothing shaped like an ID number
        assert "身份证号校验码" not in text  # the task about one student's record is not published


def test_every_link_resolves_inside_the_site(world, tmp_path):
    site = world["site"]
    assert check_links(site) == []
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count('href="schools/') == len(world["schools"]) and index.count('.pdf"') == 1 + world[
        "schools"]["city"].nunique()
    # the check does fail: an absolute path, a missing file, a network address
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "index.html").write_text('<a href="/etc/passwd">a</a><a href="gone.html">b</a>'
                                       '<img src="https://cdn.example/x.png"><a href="#here">c</a>', encoding="utf-8")
    assert len(check_links(broken)) == 4


def test_pages_open_from_file_with_no_request_out_and_no_overflow(world):
    site = world["site"]
    pages = [site / "index.html", *sorted((site / "schools").glob("*.html"))]
    outside: list[str] = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file://") else None)
            page = context.new_page()
            for path in pages:
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                over = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                assert over <= 0, (path.name, over)
                assert page.locator("h1").count() == 1 and page.title()
            page.goto((site / "index.html").as_uri())
            page.locator("ul.schools a").first.click()
            page.wait_for_load_state("load")
            assert page.url.startswith("file://") and "/schools/" in page.url
            assert page.locator("table.quality").count() >= 5
        finally:
            browser.close()
    assert outside == []


def test_city_report_has_only_its_schools_and_the_verdicts_numbers(world, tmp_path):
    schools, city = world["schools"], world["city"]
    out = tmp_path / "city"
    code, text = cli("--db", world["url"], "report", "--city", city, "--year", YEAR, "--format", "html,pdf",
                     "--out", out)
    assert code == 0, text
    pdf = next(out.glob("*.pdf"))
    flat = reader_text(pdf)
    mine = schools[schools["city"] == city]
    assert len(mine) >= 1 and len(schools) > len(mine)
    for name in mine["name"]:
        assert name in flat
    for name in schools.loc[schools["city"] != city, "name"]:
        assert name not in flat, name
    verdict = load_verdict(world["engine"], world["models"], year=YEAR)
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    for sid in mine["school_id"]:
        row = re.search(rf'<tr data-school="{sid}">(.*?)</tr>', html, re.S).group(1)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        v = verdict.school(sid, YEAR)
        assert cells[3:5] == [str(v["red"]), str(v["yellow"])], (sid, cells)
        assert v["light"] in {"red": "■ 红灯", "yellow": "▲ 黄灯", "green": "● 绿灯"} and cells[2].endswith(
            {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}[v["light"]])
        assert cells[5] == (v["card"] or "—")
        items = re.search(rf'<table class="items" data-school="{sid}">(.*?)</table>', html, re.S).group(1)
        for item in verdict.item_names:
            r = verdict.item(sid, YEAR, item)
            assert re.search(rf"<td>{item}</td>.*?<td class=\"num\">{r['red']}</td><td class=\"num\">{r['yellow']}</td>",
                             items, re.S), (sid, item)
    assert "生师比过高" in flat and "引进专任教师" in flat  # the schools' improvement tasks


def test_only_that_citys_officers_and_the_province_make_it(world, tmp_path):
    url, city = world["url"], world["city"]
    args = ("--db", url, "report", "--city", city, "--year", YEAR, "--format", "html")
    code, text = cli(*args, "--out", tmp_path / "zhou", account="zhou")
    assert code == 0, text
    assert list((tmp_path / "zhou").glob("*.html"))
    for who in ("qian", "wang"):  # another city's officer, a school's staff
        code, text = cli(*args, "--out", tmp_path / who, account=who)
        assert code == 2 and ("权限" in text or "无权" in text), (who, text)
        assert not (tmp_path / who).exists()
    code, text = cli("--db", url, "publish", "--year", YEAR, "--out", tmp_path / "site",
                     account="zhou")
    assert code == 2 and not (tmp_path / "site").exists()  # publishing is the province's


def test_publish_replaces_only_a_site_it_wrote(world, tmp_path):
    from diagnostics.reports.publish import _clear

    _clear(world["site"])  # an earlier site may be replaced
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (foreign / "reports").mkdir()
    (foreign / "reports" / "mine.pdf").write_bytes(b"%PDF")
    code, text = cli("--db", world["url"], "publish", "--year", YEAR, "--out", foreign)
    assert code == 2 and "不是空的" in text, text
    assert sorted(p.name for p in foreign.rglob("*")) == ["mine.pdf", "notes.txt", "reports"]
