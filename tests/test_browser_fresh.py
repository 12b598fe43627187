"""``zhengai serve`` (local mode, preheated kernels): a page shows the store as it is when it is opened, not
as it was when its kernel was prepared; its address carries language and school, and an unknown school
is refused.  The store is the sample province."""

from __future__ import annotations

import time

import pytest
from browser_server import launch_chromium, page_problems, sample_store, started
from playwright.sync_api import sync_playwright

from diagnostics.access import Access, Role, User
from diagnostics.app.served import Served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder, url = sample_store(tmp_path_factory, "fresh")
    only_these = {"self_diagnosis": 1, "review": 0, "province": 0, "data_import": 0, "explorer": 0}
    yield from started(Served(url, folder / "home", folder / "serve.log"), at_least=only_these)


@pytest.fixture
def page(served):
    with sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(180_000)
        yield context.new_page()
        browser.close()


def open_tasks(page) -> int:
    figures = page.eval_on_selector_all(".za-figure", "els => els.map(e => [e.innerText, e.querySelector('b').innerText])")
    return next(int(n.replace(",", "")) for text, n in figures if "进行中的改进措施" in text)


def test_a_measure_saved_after_the_kernel_was_prepared_is_on_the_page(served, page):
    assert served.built("index") == 0  # the preheated landing kernel has read nothing yet
    access = Access(served.engine, User("officer", Role.PROVINCE))
    year = int(access.reported_school_years()["year"].max())
    school = str(access.schools()["school_id"].iloc[0])
    before = access.tasks(year=year)
    planned = int(before["status"].isin(["planned", "in_progress"]).sum()) if len(before) else 0
    access.create_task(school, year, "实训基地利用率偏低", measure="调整排课", owner="教务处", status="planned")
    page.goto(served.url("index"))
    page.wait_for_selector(".za-figure")
    assert open_tasks(page) == planned + 1
    assert not page_problems(page)


def test_the_address_carries_the_language_and_refuses_an_unknown_school(served, page):
    page.goto(served.url("index") + "?lang=en")
    page.wait_for_selector(".za-tiles")
    assert "Key figures" in page.inner_text(".za-app") or "School self-diagnosis" in page.inner_text(".za-app")
    hrefs = page.eval_on_selector_all(".za-open", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.endswith("?lang=en") for h in hrefs)
    page.goto(served.url("self_diagnosis") + "?school=9999999999")
    page.wait_for_selector(".za-refused")
    assert "您无权查看学校 9999999999" in page.inner_text(".za-refused")


def test_leaving_a_page_shuts_its_kernel(served, page):
    def shut() -> int:
        return served.log.read_text(errors="replace").count("Kernel shutdown")

    before = shut()
    page.goto(served.url("explorer"))
    page.wait_for_selector(".za-app")
    page.goto("about:blank")  # leaving the page sends its closing request (POST /voila/api/shutdown/…)
    end = time.monotonic() + 30
    while shut() == before and time.monotonic() < end:
        time.sleep(0.5)
    assert shut() == before + 1
    assert "'_xsrf' argument missing" not in served.log.read_text(errors="replace")
