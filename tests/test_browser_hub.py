"""The shared deployment through JupyterHub, in headless Chromium: a person signs in, gets the dashboards
of their own scope only, a link to another school is refused, the rest of Jupyter is closed, a closed page
frees its kernel, and no environment variable changes who a person is.  The store is the sample province."""

from __future__ import annotations

import time

import pytest
from browser_server import browser, page_problems, sample_store, screenshot, started  # noqa: F401

from diagnostics.access import Access, Role, User
from diagnostics.access.passwords import store_password
from diagnostics.hub.served import HubServed
from diagnostics.store import make_engine

pytestmark = pytest.mark.browser

A, B = "4136010001", "4136010002"  # two schools of the sample province
PEOPLE = {"schoolA": ("school", A), "schoolB": ("school", B), "prov1": ("province", None)}
PASSWORD = "a long enough password"
LANDING = "**/voila/render/index.ipynb**"


def hub_over_sample(tmp_path_factory, name: str, options: tuple[str, ...] = ()):  # noqa: ANN001, ANN201
    """``zhengai hub OPTIONS`` over a copy of the sample province with :data:`PEOPLE` registered; a variable
    naming the province officer is set where the hub (and everything it starts) starts."""
    folder, url = sample_store(tmp_path_factory, name)
    home = folder / "home"
    engine = make_engine(url)
    access = Access(engine, User("admin", Role.PROVINCE))
    for person, (role, school) in PEOPLE.items():
        access.add_user(person, role, school_id=school)
        store_password(person, PASSWORD, home / "hub" / "passwords.json")
    engine.dispose()
    yield from started(HubServed(url, home, folder / "hub.log", options=options,
                                 env={"ZHENGAI_USER": "prov1", "JUPYTERHUB_USER": "prov1"}))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    yield from hub_over_sample(tmp_path_factory, "hub")


@pytest.fixture(scope="module")
def school_a(hub, browser):  # noqa: F811
    """School A's signed-in browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(180_000)  # a page streams until its dashboard is built
    page = context.new_page()
    sign_in(page, hub, "schoolA")
    page.close()
    yield context
    context.close()


def sign_in(page, hub, name: str, password: str = PASSWORD) -> None:
    page.goto(hub.url("/hub/login"))
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(LANDING, timeout=180_000)
    page.wait_for_selector(".za-app", timeout=180_000)


def names(hub, *ids: str) -> list[str]:
    frame = Access(hub.engine, User("admin", Role.PROVINCE)).schools()
    return [str(frame.loc[frame["school_id"] == i, "name"].iloc[0]) for i in ids]


def test_a_school_user_sees_only_their_school(hub, school_a):
    page = school_a.new_page()
    page.goto(hub.url("/user/schoolA/voila/render/index.ipynb"))
    page.wait_for_selector(".za-app", timeout=120_000)
    text = page.inner_text(".za-app")
    assert "当前用户：schoolA（school）" in text, text[:300]  # not prov1, whatever the environment says
    name_a, name_b = names(hub, A, B)
    page.goto(hub.url("/user/schoolA/voila/render/self_diagnosis.ipynb"))
    page.wait_for_selector(".za-school select", timeout=120_000)
    options = page.eval_on_selector_all(".za-school select option", "els => els.map(e => e.text)")
    assert options and all(o.endswith(f"（{A}）") for o in options), options
    body = page.inner_text("body")
    assert name_a in body and name_b not in body and B not in body
    assert not page_problems(page)
    screenshot(page, "hub_school_a")
    page.close()


def test_a_link_to_another_school_is_refused(hub, school_a):
    page = school_a.new_page()
    page.goto(hub.url(f"/user/schoolA/voila/render/self_diagnosis.ipynb?school={B}"))
    page.wait_for_selector(".za-refused", timeout=120_000)
    text = page.inner_text(".za-refused")
    assert text.index("您无权查看学校") < text.index("you may not see school"), text  # Chinese first
    assert names(hub, B)[0] not in page.inner_text("body")
    # school B's own server is not A's to open
    answer = page.goto(hub.url("/user/schoolB/voila/render/self_diagnosis.ipynb"))
    page.wait_for_load_state()
    assert page.query_selector(".za-app") is None and names(hub, B)[0] not in page.inner_text("body")
    assert answer.status in (403, 404) or "/hub/" in page.url, (answer.status, page.url)
    page.close()


def test_a_link_carries_year_language_and_indicator(hub, school_a):
    page = school_a.new_page()
    page.goto(hub.url(f"/user/schoolA/voila/render/self_diagnosis.ipynb?school={A}&year=2023&lang=en"))
    page.wait_for_selector(".za-year select", timeout=120_000)
    assert page.eval_on_selector(".za-year select", "e => e.options[e.selectedIndex].text").startswith("2023")
    assert "Self-diagnosis" in page.inner_text("body") or "self-diagnosis" in page.inner_text("body").lower()
    page.close()


def test_the_rest_of_jupyter_is_closed(hub, school_a):
    page = school_a.new_page()
    for path in ("/user/schoolA/lab", "/user/schoolA/tree", "/user/schoolA/terminals/1",
                 "/user/schoolA/api/contents", "/user/schoolA/api/sessions", "/user/schoolA/api/kernels"):
        answer = page.goto(hub.url(path))
        assert answer.status == 403, (path, answer.status)
        assert "此服务只提供诊改看板" in page.inner_text("body")
    started = page.request.post(hub.url("/user/schoolA/api/kernels"), data="{}")
    assert started.status == 403
    page.close()


def test_a_wrong_password_is_refused(hub, browser):  # noqa: F811
    context = browser.new_context()
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(hub.url("/hub/login"))
    assert "请用管理员登记的用户名和密码登录" in page.inner_text("body")  # the sign-in page says it in Chinese first
    page.fill("#username_input", "schoolB")
    page.fill("#password_input", "not the password")
    page.click("#login_submit")
    page.wait_for_load_state()
    assert "/hub/login" in page.url and page.query_selector(".za-app") is None
    context.close()


def test_a_closed_page_frees_its_kernel(hub, school_a):
    page = school_a.new_page()
    page.goto(hub.url("/user/schoolA/voila/render/review.ipynb"))
    page.wait_for_selector(".za-app", timeout=120_000)
    assert hub.kernels() >= 1
    page.close()
    end = time.monotonic() + 60
    while hub.kernels() and time.monotonic() < end:
        time.sleep(1)
    assert hub.kernels() == 0, "a kernel outlived its page by a minute"
    assert "'_xsrf' argument missing" not in hub.log.read_text()
