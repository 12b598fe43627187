"""Every dashboard served by Voilà and driven in headless Chromium: it renders without error, shows
the right values for another school or year, keeps what was saved across a reload, and writes a
screenshot to ``tests/artifacts/``.  The store is the committed sample province, imported and computed."""

from __future__ import annotations

import math
import re
import time

import pytest
from app_world import store_once
from browser_server import ARTIFACTS, browser, open_dashboard, page_problems, screenshot  # noqa: F401

from diagnostics.app.served import Served, ServerError
from diagnostics.engine import current_values
from diagnostics.store import make_engine

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    db = folder / "store.db"
    db.write_bytes(store_once("sample", tmp_path_factory).read_bytes())
    server = Served(f"sqlite:///{db}", folder / "home", folder / "serve.log")
    try:
        try:
            server.wait_ready()
        except ServerError as exc:
            pytest.fail(str(exc))
        server.engine = make_engine(f"sqlite:///{db}")
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def shown(page, scope: str, key: str = "ind") -> dict[str, float]:
    pairs = page.eval_on_selector_all(f"{scope} .za-v", f"els => els.map(e => [e.dataset.{key}, e.dataset.raw])")
    return {k: float(v) for k, v in pairs if v not in ("", "None", "nan")}


def wait_values(page, scope: str, want: dict, key: str = "ind", timeout: float = 30) -> None:
    """Until the values on the page are ``want`` (same keys, equal within 1e-9)."""
    end, got = time.monotonic() + timeout, {}
    while time.monotonic() < end:
        got = shown(page, scope, key)
        if set(got) == set(want) and all(math.isclose(got[k], want[k], rel_tol=1e-9) for k in want):
            return
        page.wait_for_timeout(200)
    missing = {k: (got.get(k), want[k]) for k in want if k not in got or not math.isclose(got[k], want[k])}
    pytest.fail(f"values on the page differ from the computed ones: {dict(list(missing.items())[:5])}, "
                f"extra {set(got) - set(want)}")


def computed(served, school=None, year=None, layer="school") -> dict:
    v = current_values(served.engine, school=school, year=year, layer=layer)
    return v[v["value"].notna() & (v["unit"] == "")] if layer == "school" else v


def by_indicator(frame) -> dict:
    return dict(zip(frame["indicator_id"], frame["value"]))


def tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text=title).first.click()


def test_landing_page_links_every_dashboard(served, page):
    open_dashboard(page, f"http://127.0.0.1:{served.port}/", ".za-tiles")
    assert page.url.endswith("/voila/render/index.ipynb")
    links = page.eval_on_selector_all(".za-tile a", "els => els.map(e => e.getAttribute('href'))")
    assert links == ["self_diagnosis.ipynb", "review.ipynb", "province.ipynb", "data_import.ipynb", "explorer.ipynb",
                     "spot_check.ipynb", "selection.ipynb"]
    assert page_problems(page) == []
    screenshot(page, "index")


def test_self_diagnosis(served, page):
    open_dashboard(page, served.url("self_diagnosis"), ".za-board .za-v")
    assert page_problems(page) == []
    school = page.eval_on_selector(".za-school select", "s => s.options[s.selectedIndex].text")
    schools = page.eval_on_selector(".za-school select", "s => Array.from(s.options).map(o => o.text)")
    sid = school.rsplit("（", 1)[1].rstrip("）")
    year = max(current_values(served.engine, school=sid)["year"])
    wait_values(page, ".za-board", by_indicator(computed(served, sid, year)))
    screenshot(page, "self_diagnosis")
    other = schools[-1]
    page.select_option(".za-school select", label=other)
    other_id = other.rsplit("（", 1)[1].rstrip("）")
    wait_values(page, ".za-board", by_indicator(computed(served, other_id, year)))
    page.select_option(".za-year select", label=f"{year - 2}–{year - 1} 学年")
    wait_values(page, ".za-board", by_indicator(computed(served, other_id, year - 2)))
    # click an indicator: its detail, with its charts
    page.locator(".za-board a.za-link").first.click()
    page.wait_for_selector(".za-detail svg", timeout=30_000)
    assert page_problems(page) == []
    screenshot(page, "self_diagnosis_detail")
    # write an improvement measure for the first school, then reload
    page.select_option(".za-school select", label=school)
    page.select_option(".za-year select", label=f"{year}–{year + 1} 学年")
    wait_values(page, ".za-board", by_indicator(computed(served, sid, year)))
    tab(page, "改进措施")
    text = f"浏览器测试措施 {time.time():.0f}"
    page.fill(".za-field-problem textarea", "实践教学条件不足")
    page.fill(".za-field-measure textarea", text)
    page.fill(".za-field-owner input", "教务处")
    page.click(".za-save-measure")
    page.wait_for_selector(f".za-tasks :text('{text}')", timeout=30_000)
    screenshot(page, "self_diagnosis_measures")
    page.reload()
    page.wait_for_selector(".za-board .za-v", timeout=120_000)
    tab(page, "改进措施")
    page.wait_for_selector(f".za-tasks :text('{text}')", timeout=30_000)
    # the report: made in the background, then downloaded
    tab(page, "自我诊断报告")
    page.click(".za-make-report")
    link = page.wait_for_selector("a.za-download", timeout=180_000)
    with page.expect_download() as got:
        link.click()
    path = got.value.path()
    assert path is not None and path.stat().st_size > 10_000
    assert b"<html" in path.read_bytes()[:2000].lower()
    assert page_problems(page) == []
    screenshot(page, "self_diagnosis_report")


def test_expert_review(served, page):
    open_dashboard(page, served.url("review"), ".za-review-item .za-v")
    assert page_problems(page) == []
    year = int(page.eval_on_selector(".za-year select", "s => s.options[s.selectedIndex].text")[:4])
    first = page.eval_on_selector(".za-school select", "s => s.options[s.selectedIndex].text")
    sid = first.rsplit("（", 1)[1].rstrip("）")
    wait_values(page, ".za-review-item", by_indicator(computed(served, sid, year)))
    screenshot(page, "review")
    other = page.eval_on_selector(".za-school select", "s => s.options[s.options.length - 1].text")
    page.select_option(".za-school select", label=other)
    wait_values(page, ".za-review-item", by_indicator(computed(served, other.rsplit("（", 1)[1].rstrip("）"), year)))
    page.select_option(".za-school select", label=first)
    wait_values(page, ".za-review-item", by_indicator(computed(served, sid, year)))
    comment = f"证据充分，措施可行 {time.time():.0f}"
    item = page.locator(".za-review-item").first
    item.locator(".za-save-review").click()  # an empty review is refused, next to the form
    page.wait_for_selector(".za-review-item .za-field-error", timeout=30_000)
    item.locator(".za-review-form input[type=text]").fill("85")
    item.locator(".za-review-form select").select_option(label="有效")
    item.locator("textarea").fill(comment)
    item.locator(".za-save-review").click()
    page.wait_for_selector(".za-msg.ok", timeout=30_000)
    page.reload()
    page.wait_for_selector(".za-review-item .za-v", timeout=120_000)
    page.wait_for_function(f"() => Array.from(document.querySelectorAll('.za-review-item textarea'))"
                           f".some(t => t.value === {comment!r})", timeout=30_000)
    assert page_problems(page) == []


def test_province_monitor(served, page):
    open_dashboard(page, served.url("province"), ".za-province .za-v")
    assert page_problems(page) == []
    year = int(page.eval_on_selector(".za-year select", "s => s.options[s.selectedIndex].text")[:4])

    def table_values():
        pairs = page.eval_on_selector_all(".za-province .za-v", "els => els.map(e => [e.dataset.school + '|' + "
                                          "e.dataset.ind, e.dataset.raw])")
        inds = {k.split("|")[1] for k, _ in pairs}
        return {k: float(v) for k, v in pairs if v not in ("None", "nan")}, inds

    def want(y, inds):
        v = computed(served, year=y)
        v = v[v["indicator_id"].isin(inds)]
        return {f"{s}|{i}": x for s, i, x in zip(v["school_id"], v["indicator_id"], v["value"])}

    got, inds = table_values()
    wait_values_map(page, table_values, want(year, inds))
    screenshot(page, "province")
    page.select_option(".za-year select", label=f"{year - 1}–{year}")
    wait_values_map(page, table_values, want(year - 1, inds))
    for title, name, ready in (("达标热力图", "heatmap", "td.cell"), ("黄牌与红牌", "cards", "h4"),
                               ("综合排名", "ranking", "svg"), ("按设区市汇总", "rollup", "td"),
                               ("全省中位数趋势", "medians", "svg")):
        tab(page, title)
        page.wait_for_selector(f".za-page-{name} {ready}", timeout=120_000)
        assert page_problems(page) == []
        screenshot(page, f"province_{name}")
    page.locator("button", has_text="导出 Excel").click()
    link = page.wait_for_selector("a.za-download", timeout=60_000)
    with page.expect_download() as got_file:
        link.click()
    assert got_file.value.path().read_bytes()[:2] == b"PK"


def wait_values_map(page, read, want, timeout=30):
    end, got = time.monotonic() + timeout, {}
    while time.monotonic() < end:
        got = read()[0]
        if set(got) == set(want) and all(math.isclose(got[k], want[k], rel_tol=1e-9) for k in want):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"province table differs: {len(set(got) ^ set(want))} keys differ")


def upload(page, path) -> None:
    with page.expect_file_chooser() as chooser:
        page.click(".widget-upload")
    chooser.value.set_files(str(path))


def test_data_import(served, page, tmp_path):
    open_dashboard(page, served.url("data_import"), ".za-validate")
    assert page_problems(page) == []
    from diagnostics.io.export import current_table

    schools = current_table(served.engine, "schools").drop(columns=["batch_id"], errors="ignore")
    bad = schools.copy()
    bad.loc[0, "level"] = "大学"
    (tmp_path / "bad").mkdir()
    bad.to_csv(tmp_path / "bad" / "schools.csv", index=False)
    upload(page, tmp_path / "bad" / "schools.csv")
    page.wait_for_selector(".za-muted:text('schools.csv')", timeout=30_000)
    page.click(".za-validate")
    page.wait_for_selector(".za-issues td:text('大学')", timeout=60_000)
    screenshot(page, "data_import_errors")
    schools.to_csv(tmp_path / "schools.csv", index=False)
    upload(page, tmp_path / "schools.csv")
    page.wait_for_timeout(500)
    page.click(".za-validate")
    page.wait_for_selector(".za-msg.ok", timeout=60_000)
    page.click(".za-import")
    page.wait_for_selector(".za-msg.ok:text('导入完成')", timeout=120_000)
    assert page_problems(page) == []
    screenshot(page, "data_import")


def test_indicator_explorer(served, page):
    open_dashboard(page, served.url("explorer"), ".za-indicators select")
    assert page_problems(page) == []
    page.select_option(".za-indicators select", label="生师比")
    tab(page, "分布")
    year = int(page.eval_on_selector(".za-year select", "s => s.options[s.selectedIndex].text")[:4])

    def want(y):
        v = computed(served, year=y)
        v = v[v["indicator_id"] == "student_teacher_ratio"]
        return dict(zip(v["school_id"], v["value"]))

    wait_values(page, ".widget-tab", want(year), key="school")
    page.select_option(".za-year select", label=f"{year - 3}–{year - 2}")
    wait_values(page, ".widget-tab", want(year - 3), key="school")
    screenshot(page, "explorer_distribution")
    tab(page, "试算新指标")
    page.click(".za-trial")
    page.wait_for_selector(".za-trial-values td", timeout=120_000)
    assert page_problems(page) == []
    screenshot(page, "explorer_trial")
    tab(page, "定义")
    screenshot(page, "explorer")


@pytest.mark.parametrize("name, ready", [("self_diagnosis", ".za-board .za-v"), ("province", ".za-province .za-v"),
                                         ("review", ".za-review-item .za-v")])
def test_english_toggle(served, page, name, ready):
    open_dashboard(page, served.url(name), ready)
    page.locator(".za-headbox button", has_text="English").click()
    page.wait_for_selector(".za-header .za-title:text-matches('[A-Za-z]')", timeout=30_000)
    page.wait_for_timeout(1000)
    assert page_problems(page) == []
    screenshot(page, f"{name}_en")


# ---- every dashboard at three widths: fits, stays on this machine, says what it is, speaks Chinese -------------
WIDTHS = ((1440, 900), (1280, 720), (390, 844))
PAGES = (("index", ".za-tiles"), ("self_diagnosis", ".za-board .za-v"), ("review", ".za-review-item .za-v"),
         ("province", ".za-province .za-v"), ("data_import", ".za-validate"), ("explorer", ".za-indicators select"),
         ("spot_check", ".za-spot"), ("selection", ".za-select-top"))
FORBIDDEN = re.compile(r"\b(Executing|median|yellow|red|key|error|None|nan|Traceback)\b", re.IGNORECASE)
OVERFLOW = """() => [document.documentElement.scrollWidth - window.innerWidth,
                     document.body.scrollWidth - window.innerWidth]"""


def local_only(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))


def all_tab_texts(page) -> str:
    """The visible text of the page with each of its tabs open in turn."""
    texts = [page.inner_text("body")]
    tabs = page.locator(".lm-TabBar-tab, .p-TabBar-tab")
    for n in range(tabs.count()):
        tabs.nth(n).click()
        page.wait_for_timeout(1500)
        texts.append(page.inner_text("body"))
    if tabs.count():
        tabs.nth(0).click()
    return "\n".join(texts)


@pytest.mark.parametrize("name, ready", PAGES)
def test_every_dashboard_fits_stays_local_and_speaks_chinese(served, browser, name, ready):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        open_dashboard(page, served.url(name), ready)
        page.wait_for_timeout(1500)
        title = page.title()
        assert title and not title.endswith(".ipynb") and title != name and re.search(r"[\u4e00-\u9fff]", title), title
        text = all_tab_texts(page)
        found = sorted({m.group(0) for m in FORBIDDEN.finditer(text)})
        assert not found, f"{name}: {found} in the Chinese page"
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1200)
            over = page.evaluate(OVERFLOW)
            assert max(over) <= 1, f"{name} at {width} px: the page is {over} px wider than the window"
            page.screenshot(path=str(ARTIFACTS / f"layout_{name}_{width}.png"), full_page=False)
        assert page_problems(page) == []
        outside = [u for u in requests if not local_only(u)]
        assert not outside, f"{name} asked outside this machine: {outside[:5]}"
    finally:
        context.close()


def test_the_province_table_fits_a_laptop(served, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        open_dashboard(page, served.url("province"), ".za-province .za-v")
        page.wait_for_timeout(1000)
        rows = page.eval_on_selector_all(".za-province tbody tr", """els => els.filter(e => {
            const r = e.getBoundingClientRect(); return r.height > 0 && r.bottom <= window.innerHeight; }).length""")
        assert rows >= 10, f"only {rows} schools visible at 1280×720"
        heights = page.eval_on_selector_all(".za-province tbody tr td:first-child",
                                            "els => els.map(e => e.getBoundingClientRect().height)")
        assert max(heights) < 40  # a school's name on one line, not two characters a line
        sticky = page.eval_on_selector(".za-province td:first-child", "e => getComputedStyle(e).position")
        assert sticky == "sticky"
        page.screenshot(path=str(ARTIFACTS / "province_1280x720.png"))
    finally:
        context.close()


def test_a_narrative_written_in_the_app_is_in_the_pdf_and_charts_are_legible(served, page, tmp_path):
    open_dashboard(page, served.url("self_diagnosis"), ".za-board .za-v")
    page.locator(".za-board a.za-link").first.click()
    page.wait_for_selector(".za-detail svg text", timeout=30_000)
    sizes = page.eval_on_selector_all(".za-detail svg text", """els => els.map(e => {
        const svg = e.ownerSVGElement, box = svg.viewBox.baseVal;
        const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
        return parseFloat(getComputedStyle(e).fontSize) * scale; })""")
    assert sizes and min(sizes) >= 11.9, f"chart text of {min(sizes):.1f} px"
    tab(page, "报告撰写")
    text = f"本校坚持需求导向、自我保证，{time.time():.0f}。"
    page.fill(".za-narrative-work textarea", text)
    page.click(".za-save-narrative-work")
    page.wait_for_selector(".za-msg.ok", timeout=30_000)
    tab(page, "自我诊断报告")
    page.select_option(".za-toolbar select >> nth=-1", label="PDF 文档")
    page.click(".za-make-report")
    link = page.wait_for_selector("a.za-download", timeout=240_000)
    with page.expect_download() as got:
        link.click()
    pdf = tmp_path / "report.pdf"
    got.value.save_as(pdf)
    import subprocess

    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [re.sub(r"\s+", "", p) for p in out.split("\f") if p.strip()]
    flat = "".join(pages)
    assert re.sub(r"\s+", "", text) in flat
    for heading in ("学校概况", "诊改工作开展情况", "目标链与标准链（质控点建设）", "问题与原因", "改进措施与成效", "特色与创新",
                    "下一步计划"):
        assert heading in flat, heading
    for banned in ("待核实", "WHO", "数据版本v", "请在"):
        assert banned not in flat, banned
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", pages[0]) and "版本" not in pages[0] and "批次" not in pages[0]
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "4", str(pdf), str(ARTIFACTS / "report_page")],
                   check=True)


def test_one_verdict_in_the_dashboard_the_report_files_and_status(served, page, tmp_path, capsys):
    """The same school-year opened in the served self-diagnosis dashboard, in the report's HTML and PDF
    files and in ``zhengai status``: the same light and the same red / yellow counts for every item."""
    import io
    import re
    import subprocess
    import sys

    import pandas as pd

    from diagnostics.cli import main

    open_dashboard(page, served.url("self_diagnosis"), ".za-board .za-v")
    school = page.eval_on_selector(".za-school select", "s => s.options[s.selectedIndex].text")
    sid = school.rsplit("（", 1)[1].rstrip("）")
    year = int(max(current_values(served.engine, school=sid)["year"]))
    page.wait_for_selector(".za-light[data-item]")
    board = {e["item"]: (e["light"], int(e["red"]), int(e["yellow"])) for e in page.eval_on_selector_all(
        ".za-light[data-item]", "els => els.map(e => ({...e.dataset}))")}
    url = str(served.engine.url)
    capsys.readouterr()
    assert main(["--db", url, "status", "--school", sid, "--year", str(year), "--format", "csv"]) == 0
    status = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"school_id": str}, keep_default_na=False)
    items = {r.item: (r.light, int(r.red), int(r.yellow)) for r in status.itertuples() if r.scope == "item"}
    out = tmp_path / "reports"  # the report command prints PDFs with its own Playwright: its own process
    subprocess.run([sys.executable, "-m", "diagnostics.cli", "--db", url, "report", "--school", sid, "--year",
                    str(year), "--format", "html,pdf", "--out", str(out)], check=True, capture_output=True)
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    table = html.split('<table class="lights">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for tr in re.findall(r"<tr><td>(.*?)</td>.*?status status-(\w+).*?<td class=\"num\">(\d+)</td><td class=\"num\">"
                         r"(\d+)</td>", table, re.S):
        rows[tr[0]] = (tr[1], int(tr[2]), int(tr[3]))
    pdf = subprocess.run(["pdftotext", "-layout", str(next(out.glob("*.pdf"))), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert rows, table[:500]
    for item, (light, red, yellow) in rows.items():
        assert board[item] == items[item] == (light, red, yellow), (item, board[item], items[item], rows[item])
        line = next(ln for ln in pdf.splitlines() if ln.strip().startswith(item))
        # the PDF's lights table (the key figures may share the line): symbol, word, meaning, then the counts
        assert re.search(rf"^\s*{item}\s+\S+ \S+ \S+\s+{red}\s+{yellow}\s+\d+(\s|$)", line), line
    text = re.sub(r"<[^>]+>", " ", html)
    for shown in (text, pdf, page.inner_text("body")):  # no unverified value, no method as a verdict's ground
        for word in ("待核实", "WHO", "DHIS2", "Office for Students", "domain.md"):
            assert word not in shown, word
