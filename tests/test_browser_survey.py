"""The survey form on a phone (390 px) in headless Chromium: it fits, every control is labelled, it asks
for what is missing, submits once, and a second submit of the same link is refused."""

from __future__ import annotations

import pytest
from browser_server import ARTIFACTS, launch_chromium
from playwright.sync_api import sync_playwright
from survey_server import survey_site
from survey_world import PROV, WANG, import_world

from diagnostics.access import Access

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
UNLABELLED = """() => Array.from(document.querySelectorAll('input[type=radio]'))
  .filter(i => !(i.labels && i.labels.length && i.labels[0].innerText.trim())).length"""


@pytest.fixture
def store(sqlite_engine, tmp_path):
    return import_world(sqlite_engine, tmp_path / "data")


def test_the_form_fits_a_phone_submits_once_and_refuses_a_second_submit(store):
    tokens = Access(store, WANG).open_survey("S1", 2024, "毕业生", 2)["tokens"]
    with survey_site(store) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        outside: list[str] = []
        context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
        page, twin = context.new_page(), context.new_page()
        url = f"{base}/s/{tokens[0]}"
        page.goto(url)
        twin.goto(url)  # the same link open twice: only one submit may count
        assert page.evaluate(OVERFLOW) <= 0
        assert page.evaluate(UNLABELLED) == 0
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.get_by_role("group").count() == 4  # one fieldset (with its legend) per question

        # a required question left out: the page says which, keeps the answers, stores nothing
        page.get_by_role("group", name="您对母校的总体满意程度如何？").get_by_label("非常满意").check()
        page.get_by_role("button", name="提交问卷").click()
        alert = page.get_by_role("alert")
        assert "专业的教学" in alert.inner_text() and "就业指导" in alert.inner_text()
        assert page.get_by_role("group", name="您对母校的总体满意程度如何？").get_by_label("非常满意").is_checked()
        assert page.evaluate(OVERFLOW) <= 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "survey_390_form.png"), full_page=True)
        assert Access(store, PROV).survey_status("S1", 2024).iloc[0]["responses"] == 0

        page.get_by_role("group", name="您对所学专业的教学满意程度如何？").get_by_label("满意", exact=True).check()
        page.get_by_role("group", name="您对学校的就业指导与服务满意程度如何？").get_by_label("一般").check()
        page.get_by_role("button", name="提交问卷").tap()
        page.get_by_text("提交成功，感谢您的参与！").wait_for()
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=str(ARTIFACTS / "survey_390_done.png"), full_page=True)
        status = Access(store, PROV).survey_status("S1", 2024).iloc[0]
        assert (status["responses"], status["respondents"], status["satisfied"]) == (1, 3, 2)

        # the second submit of the same link (from the other tab) is refused, and so is reopening it
        twin.get_by_role("group", name="您对母校的总体满意程度如何？").get_by_label("非常不满意").check()
        twin.get_by_role("group", name="您对所学专业的教学满意程度如何？").get_by_label("非常不满意").check()
        twin.get_by_role("group", name="您对学校的就业指导与服务满意程度如何？").get_by_label("非常不满意").check()
        with twin.expect_response(lambda r: r.request.method == "POST") as second:
            twin.get_by_role("button", name="提交问卷").click()
        assert second.value.status == 410
        assert "此链接已经提交过" in twin.inner_text("body")
        assert twin.evaluate(OVERFLOW) <= 0
        reopened = page.goto(url)
        assert reopened.status == 410 and "此链接已经提交过" in page.inner_text("body")
        status = Access(store, PROV).survey_status("S1", 2024).iloc[0]
        assert (status["responses"], status["respondents"], status["satisfied"]) == (1, 3, 2)  # unchanged

        # a link of the closed survey
        Access(store, WANG).close_survey("S1", 2024, "毕业生")
        closed = page.goto(f"{base}/s/{tokens[1]}")
        assert closed.status == 410 and "此调查已结束" in page.inner_text("body")
        assert page.evaluate(OVERFLOW) <= 0
        page.screenshot(path=str(ARTIFACTS / "survey_390_closed.png"), full_page=True)
        assert outside == []
        browser.close()
