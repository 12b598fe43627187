"""Helpers of the browser tests: headless Debian Chromium (never a downloaded browser), loading a
dashboard, finding error output on the page, full-page screenshots.

A missing ``/usr/bin/chromium`` fails the tests; it does not skip them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from diagnostics.reports.browser import DEFAULT_CHROMIUM, LAUNCH_ARGS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def launch_chromium(playwright):  # noqa: ANN001, ANN201
    if not Path(DEFAULT_CHROMIUM).exists():
        pytest.fail(f"{DEFAULT_CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=DEFAULT_CHROMIUM, args=LAUNCH_ARGS)


def open_dashboard(page, url: str, ready: str = ".za-app", timeout: float = 120_000) -> float:  # noqa: ANN001
    """Load ``url`` and wait for ``ready``; the seconds it took."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=timeout)
    return time.perf_counter() - t0


def page_problems(page) -> list[str]:  # noqa: ANN001
    """Error output, tracebacks and error notices on the page."""
    text = page.inner_text("body")
    found = [word for word in ("Traceback", "Error:", "There was an error when executing cell") if word in text]
    found += [f"stderr output: {t[:200]}" for t in page.eval_on_selector_all(
        "[data-mime-type='application/vnd.jupyter.stderr']", "els => els.map(e => e.innerText)")]
    found += [f"error notice: {t[:200]}" for t in page.eval_on_selector_all(
        ".za-msg.error", "els => els.map(e => e.innerText)")]
    return found


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    """The whole dashboard (the Voilà page scrolls inside a container: grow the viewport to it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 900), 7000)})
    page.wait_for_timeout(400)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 1000})
    return path


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def sample_store(tmp_path_factory, name: str) -> tuple[Path, str]:  # noqa: ANN001
    """A folder of its own and the URL of a private copy of the computed sample province in it."""
    from app_world import store_once

    folder = tmp_path_factory.mktemp(name)
    db = folder / "store.db"
    db.write_bytes(store_once("sample", tmp_path_factory).read_bytes())
    return folder, f"sqlite:///{db}"


def started(server, **wait):  # noqa: ANN001, ANN201
    """Yield ``server`` once ready (a server that does not get ready fails the test), with ``engine`` on the
    store; stop it afterwards.  For module fixtures: ``yield from started(Served(...))``."""
    from diagnostics.app.served import ServerError
    from diagnostics.store import make_engine

    try:
        try:
            server.wait_ready(**wait)
        except ServerError as exc:
            pytest.fail(str(exc))
        server.engine = make_engine(server.db_url)
        yield server
        server.engine.dispose()
    finally:
        server.stop()
