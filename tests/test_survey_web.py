"""The survey form over HTTP: what a used, closed or unknown link answers, the headers, the quiet log."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from survey_server import free_port, survey_site
from survey_world import PROV, WANG, import_world

from diagnostics.access import Access
from diagnostics.surveys.links import submit

GOOD = {"overall": "满意", "teaching": "满意", "career": "一般"}


def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8"), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8"), dict(err.headers)


@pytest.fixture
def store(engine, tmp_path):
    return import_world(engine, tmp_path / "data")


@pytest.fixture
def site(store):
    with survey_site(store) as base:
        yield base


def test_an_open_link_shows_the_form_in_chinese_without_outside_assets(store, site):
    token = Access(store, WANG).open_survey("S1", 2024, "毕业生", 1)["tokens"][0]
    status, body, headers = fetch(f"{site}/s/{token}")
    assert status == 200
    assert '<html lang="zh-CN">' in body and "毕业生满意度调查" in body and "您对母校的总体满意程度如何？" in body
    assert "http" not in body.split("<body>", 1)[1].replace(site, "")  # no link to anywhere else
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-store" and headers["Referrer-Policy"] == "no-referrer"
    assert body.count('type="radio"') == 4 * 5 and body.count("<fieldset") == 4
    english = fetch(f"{site}/s/{token}?lang=en")[1]
    assert '<html lang="en">' in english and "How satisfied are you with your school overall?" in english


def test_a_used_closed_or_unknown_link_is_refused_with_a_clear_page(store, site, caplog):
    wang = Access(store, WANG)
    used, spare = wang.open_survey("S1", 2024, "毕业生", 2)["tokens"]
    assert submit(store, used, GOOD).stored
    with caplog.at_level(logging.INFO, logger="zhengai.survey"):
        status, body, _ = fetch(f"{site}/s/{used}")
        for _ in range(50):  # the server thread logs once the response is out
            if caplog.records:
                break
            time.sleep(0.05)
    assert status == 410 and "此链接已经提交过" in body and "<form" not in body
    assert caplog.records and not any(used in r.getMessage() or "127.0.0.1" in r.getMessage()
                                      for r in caplog.records)
    wang.close_survey("S1", 2024, "毕业生")
    status, body, _ = fetch(f"{site}/s/{spare}")
    assert status == 410 and "此调查已结束" in body
    status, body, _ = fetch(f"{site}/s/{spare}?lang=en")
    assert status == 410 and "This survey is closed" in body and "调查" not in body
    status, body, _ = fetch(f"{site}/s/not-a-real-token")
    assert status == 404 and "链接无效" in body
    assert fetch(f"{site}/")[0] == 404


def test_a_post_without_the_xsrf_token_stores_nothing(store, site):
    token = Access(store, WANG).open_survey("S1", 2024, "毕业生", 1)["tokens"][0]
    data = "overall=满意&teaching=满意&career=满意".encode()
    request = urllib.request.Request(f"{site}/s/{token}", data=data, method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 403
    assert fetch(f"{site}/s/{token}")[0] == 200  # the link is still unused
    assert Access(store, PROV).survey_status("S1", 2024).iloc[0]["responses"] == 0


def test_zhengai_survey_serve_serves_the_links_on_localhost(store, tmp_path):
    token = Access(store, WANG).open_survey("S1", 2024, "在校生", 1)["tokens"][0]
    port = free_port()
    log = tmp_path / "serve.log"
    url = store.url.render_as_string(hide_password=False)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "diagnostics.cli", "--db", url, "survey", "serve",
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
        while fetch_or_none(f"{base}/") is None:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        status, body, _ = fetch(f"{base}/s/{token}")
        assert status == 200 and "在校生满意度调查" in body
        while "200 GET" not in log.read_text() and time.monotonic() < deadline:  # logged after the reply
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(20)
    text = log.read_text()
    assert "200 GET" in text and token not in text and "127.0.0.1 " not in text.split("\n", 1)[1]


def fetch_or_none(url: str) -> int | None:
    try:
        return fetch(url)[0]
    except OSError:
        return None
