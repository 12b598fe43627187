"""The dashboards as one hub service with preheated kernels (``zhengai hub --service``), in headless Chromium:
a person signs in and gets their own scope only, whatever headers the browser sends or variables the service
holds; a kernel handed to one person is refused to everyone else; a page's kernel goes when the page does and
the pool is refilled; the landing page needs no kernel.  The store is the sample province."""

from __future__ import annotations

import re
import time

import pytest
from browser_server import browser, page_problems, screenshot  # noqa: F401
from test_browser_hub import PASSWORD, A, B, hub_over_sample, names

from diagnostics.hub.service import LANDING_URL, POOLED, PREFIX

pytestmark = pytest.mark.browser
POOL = 1


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    yield from hub_over_sample(tmp_path_factory, "hub_service", ("--service", f"--pool={POOL}"))


def signed_in(browser, hub, name: str):  # noqa: ANN001, ANN201, F811
    """A browser context signed in as ``name``, and its landing page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(180_000)
    page = context.new_page()
    page.goto(hub.url("/hub/login"))
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url("**" + LANDING_URL + "**")
    page.wait_for_selector(".za-app .za-figure")
    return context, page


def kernel_of(page) -> str:  # noqa: ANN001
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page.content())
    assert found, "the page names no kernel"
    return found.group(1)


def wait_kernels(hub, expected: int, seconds: float = 150) -> int:  # noqa: ANN001 - earlier pages: grace + cull
    end = time.monotonic() + seconds
    while hub.kernels() != expected and time.monotonic() < end:
        time.sleep(1)
    return hub.kernels()


def test_preheated_kernels_wait_before_anyone_asks(hub):
    assert wait_kernels(hub, POOL * len(POOLED)) == POOL * len(POOLED)
    end = time.monotonic() + 180  # each says so when it has run its dashboard up to the wait for a request
    while time.monotonic() < end and len(re.findall(r"\[zhengai\] dashboard \w+ ready", hub.log.read_text())) \
            < POOL * len(POOLED):
        time.sleep(1)
    log = hub.log.read_text()
    assert len(re.findall(r"\[zhengai\] dashboard \w+ ready", log)) >= POOL * len(POOLED)
    assert "Kernel pool of self_diagnosis.ipynb is filled" in log and "GET /hub/api/user (" not in log  # no one asked yet


def test_a_school_user_sees_only_their_school_whatever_the_browser_sends(hub, browser):  # noqa: F811
    context, landing = signed_in(browser, hub, "schoolA")
    try:
        assert "当前用户：schoolA（school）" in landing.inner_text(".za-app")  # not prov1 of the environment
        landing.click(".za-langs a >> text=English")
        landing.wait_for_selector("html[lang=en] .za-app .za-figure")
        assert "Teaching Diagnosis" in landing.title() and "User: schoolA (school)" in landing.inner_text(".za-app")
        assert "lang=en" in landing.get_attribute(".za-open", "href")  # the dashboards open in English
        # headers naming the province officer, and a made-up token: the service replaces both
        context.set_extra_http_headers({"X-Zhengai-User": "prov1", "X-Zhengai-Token": "forged-token"})
        page = context.new_page()
        page.goto(hub.url(PREFIX + "voila/render/self_diagnosis.ipynb"))
        page.wait_for_selector(".za-board .za-v")
        options = page.eval_on_selector_all(".za-school select option", "els => els.map(e => e.text)")
        assert options and all(o.endswith(f"（{A}）") for o in options), options
        name_a, name_b = names(hub, A, B)
        body = page.inner_text("body")
        assert name_a in body and name_b not in body and B not in body
        assert not page_problems(page)
        screenshot(page, "hub_service_school_a")
        page.goto(hub.url(PREFIX + f"voila/render/self_diagnosis.ipynb?school={B}"))
        page.wait_for_selector(".za-refused")
        assert "您无权查看学校" in page.inner_text(".za-refused") and name_b not in page.inner_text("body")
    finally:
        context.close()


def test_a_kernel_is_its_owners_only(hub, browser):  # noqa: F811
    a_context, a_page = signed_in(browser, hub, "schoolA")
    b_context, b_page = signed_in(browser, hub, "schoolB")
    try:
        assert "kernelId" not in a_page.content()  # the service renders the landing page: no kernel
        a_page.goto(hub.url(PREFIX + "voila/render/self_diagnosis.ipynb"))
        a_page.wait_for_selector(".za-board .za-v")
        kernel = kernel_of(a_page)
        assert a_context.request.get(hub.url(PREFIX + f"api/kernels/{kernel}")).status == 200
        xsrf = {"X-XSRFToken": next(c["value"] for c in b_context.cookies() if c["name"] == "_xsrf")}
        channels = hub.url(PREFIX + f"api/kernels/{kernel}/channels")  # not a websocket: the owner gets 400
        assert a_context.request.get(channels).status == 400 and b_context.request.get(channels).status == 403
        for answer in (b_context.request.get(hub.url(PREFIX + f"api/kernels/{kernel}")),
                       b_context.request.delete(hub.url(PREFIX + f"api/kernels/{kernel}"), headers=xsrf),
                       b_context.request.post(hub.url(PREFIX + f"voila/api/shutdown/{kernel}"), headers=xsrf)):
            assert answer.status == 403 and "this kernel is not yours" in answer.text(), (answer.url, answer.status)
        # the socket that hands a kernel its request (with the person's hub token) is the kernels' only
        assert b_context.request.get(hub.url(PREFIX + f"voila/query/{kernel}")).status == 403
        # nobody is handed a preheated kernel that waits in the pool
        assert b_context.request.get(hub.url(PREFIX + "api/kernels")).status in (403, 404, 405)
        assert a_context.request.get(hub.url(PREFIX + f"api/kernels/{kernel}")).status == 200  # still alive
        assert "当前用户：schoolB（school）" in b_page.inner_text(".za-app")
    finally:
        a_context.close()
        b_context.close()


def test_no_sign_in_no_dashboards_and_no_server_of_ones_own(hub, browser):  # noqa: F811
    context = browser.new_context()
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(hub.url(LANDING_URL))
        assert "/hub/login" in page.url and page.query_selector(".za-app") is None
        context.close()
        context, page = signed_in(browser, hub, "schoolB")
        answer = page.goto(hub.url("/hub/spawn"))  # the role grants the dashboards service only
        assert answer.status == 403 and hub.servers() == 0, answer.status
    finally:
        context.close()


def test_a_closed_page_frees_its_kernel_and_the_pool_refills(hub, browser):  # noqa: F811
    pooled = POOL * len(POOLED)
    assert wait_kernels(hub, pooled) == pooled
    context, page = signed_in(browser, hub, "prov1")
    try:
        page.goto(hub.url(PREFIX + "voila/render/review.ipynb"))
        page.wait_for_selector(".za-app")
        assert hub.kernels() > pooled
        kernel = kernel_of(page)
        page.close(run_before_unload=True)  # as a person closes the tab
    finally:
        context.close()
    assert wait_kernels(hub, pooled, 60) == pooled, "a page's kernel outlived it by a minute"
    log = hub.log.read_text()
    # shut by the page's own request, not by the culler
    assert f"Kernel shutdown: {kernel}" in log and f"({kernel}) with 0 connections" not in log
