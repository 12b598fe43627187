"""The spot-check and selection pages served by Voilà in headless Chromium (the committed sample,
imported and computed): a checker draws a sample and records outcomes on the page, the selection page
shows the list the command computes; both speak Chinese and fit a 390 px phone without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from browser_server import open_dashboard, page_problems, screenshot
from test_browser_dashboards import browser, served  # noqa: F401  (fixtures: the served sample, Chromium)

from diagnostics.access import Access, Role, User

pytestmark = pytest.mark.browser
OVERFLOW = """() => [document.documentElement.scrollWidth - window.innerWidth,
                     document.body.scrollWidth - window.innerWidth]"""
FORBIDDEN = re.compile(r"\b(Executing|None|nan|Traceback|discrepancy|confirmed)\b")


def fits_a_phone(page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1200)
    over = page.evaluate(OVERFLOW)
    assert max(over) <= 1, f"{name} at 390 px: the page is {over} px wider than the window"
    screenshot(page, f"{name}_390")


def test_a_checker_draws_and_records_on_the_spot_check_page(served, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        open_dashboard(page, served.url("spot_check"), ".za-spot")
        assert "随机抽查" in page.title()
        page.fill(".za-spot-seed-input input", "20241207")
        page.click("button.za-spot-draw")
        page.wait_for_selector(".za-spot-records tbody tr", timeout=60_000)
        method = page.inner_text(".za-spot-method")
        assert "20241207" in method and "default_rng(20241207)" in method and "分层随机抽样" in method
        rows = page.locator(".za-spot-records tbody tr").count()
        assert rows == 10 * 20  # 10 schools × 20 students, the defaults
        stored = Access(served.engine, User("t", Role.PROVINCE)).spot_check_records()
        assert len(stored) == rows and set(stored["outcome"]) == {""}
        first = int(stored["id"].iloc[0])
        page.select_option(".za-spot-pick select", index=0)
        page.locator(".za-spot-outcome button", has_text="存在差错").click()
        page.fill(".za-spot-note input", "入学年份与学籍系统不一致")
        page.click("button.za-spot-save")
        # the draw left an ok notice already: wait for the one the save gives
        page.locator(".za-msg.ok", has_text="已登记核查结果").wait_for(timeout=30_000)
        after = Access(served.engine, User("t", Role.PROVINCE)).spot_check_records().set_index("id")
        assert after.loc[first, "outcome"] == "discrepancy" and after.loc[first, "note"] == "入学年份与学籍系统不一致"
        page.wait_for_selector(".za-spot-estimates", timeout=30_000)
        text = page.inner_text("body")
        assert "存在差错" in text and "各校差错率估计" in text and "95% 置信区间" in text
        assert not FORBIDDEN.search(text), FORBIDDEN.findall(text)
        assert page_problems(page) == []
        screenshot(page, "spot_check")
        fits_a_phone(page, "spot_check")
    finally:
        context.close()


def test_the_selection_page_shows_the_list_the_command_computes(served, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        open_dashboard(page, served.url("selection"), ".za-select-top", timeout=180_000)
        assert "遴选" in page.title()
        access = Access(served.engine, User("t", Role.PROVINCE))
        expected = access.selection(int(access.reported_school_years()["year"].max()))
        chosen = expected[expected["selected"]]
        cells = page.eval_on_selector_all(".za-select-top tbody tr td:nth-child(2)", "els => els.map(e => e.innerText)")
        assert [c.rsplit("（", 1)[1].rstrip("）") for c in cells] == list(chosen["school_id"])
        intervals = page.eval_on_selector_all(".za-select-top tbody tr td:nth-child(5)",
                                              "els => els.map(e => e.innerText)")
        assert intervals == [f"{int(a)}–{int(b)}" for a, b in zip(chosen["rank_low"], chosen["rank_high"])]
        text = page.inner_text("body")
        assert "入选名单" in text and "名次受权重影响的学校" in text and "不符合遴选条件的学校" in text
        for reason in expected.loc[~expected["eligible"], "reason_zh"]:
            assert reason.split("（")[0] in text
        assert not FORBIDDEN.search(text), FORBIDDEN.findall(text)
        assert page_problems(page) == []
        screenshot(page, "selection")
        fits_a_phone(page, "selection")
    finally:
        context.close()
