"""What a dashboard's address says, and the page that refuses an address outside one's scope.

``self_diagnosis.ipynb?school=4136010001&year=2024&indicator=employment_rate&lang=en`` opens that
school-year, that indicator, in English.  The address is read when the page is requested (a
preheated kernel waits for it: :func:`request_query`); a school outside the person's scope is
refused with a clear page, Chinese first, and nothing of it is read.  Each dashboard whose model carries
that state shows the address of what is on the screen (:func:`permalink`), kept up to date as the
person chooses another school, year, indicator or language: a link to copy and send.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from ..workflow.errors import BilingualError
from .i18n import LANGS

log = logging.getLogger(__name__)

LANG_CODES = tuple(code for _label, code in LANGS)


class LinkRefused(BilingualError):
    """The address asks for what the person may not see, or is not understood."""


@dataclass(frozen=True)
class Link:
    """The state an address carries."""

    school: str | None = None
    year: int | None = None
    indicator: str | None = None
    lang: str = "zh"

    def choices(self, keys: tuple[str, ...]) -> dict[str, Any]:
        """The dashboard's own choices (``keys`` it takes) that the address sets."""
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}

    def query(self) -> str:
        """The address's query string (without ``?``); empty for the defaults."""
        pairs = {"school": self.school, "year": self.year, "indicator": self.indicator,
                 "lang": None if self.lang == "zh" else self.lang}
        return urlencode({k: v for k, v in pairs.items() if v is not None})


def parse(query: str) -> Link:
    """The :class:`Link` of a query string; a malformed year or language is refused."""
    found = {k: v[-1].strip() for k, v in parse_qs(query or "").items() if v and v[-1].strip()}
    year = found.get("year")
    if year is not None and not (year.isdigit() and len(year) == 4):
        raise LinkRefused(f"链接中的学年 {year!r} 无效", f"the year {year!r} in the address is not valid")
    lang = found.get("lang", "zh")
    if lang not in LANG_CODES:
        raise LinkRefused(f"链接中的语言 {lang!r} 无效", f"the language {lang!r} in the address is not valid")
    return Link(found.get("school"), int(year) if year else None, found.get("indicator"), lang)


REQUEST_MARK = "SCRIPT_NAME"  # Voilà puts the page's path in every request it hands a kernel
OPEN_TIMEOUT = 5  # seconds, as Voilà's own helper


def request_query() -> str:
    """The query string of the page request.  A preheated kernel waits here until a person asks.

    A kernel started for its request has the request in its environment; a preheated one asks Voilà's
    request socket (:func:`wait_for_request`).
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return os.environ.get("QUERY_STRING", "")
    # The wait gives up when its connection to the server is not open within 5 s (a busy server filling
    # its pool); it then returns without a request, and the page would be built for no one.  Every
    # request sets SCRIPT_NAME: wait again until one has come.
    os.environ.pop(REQUEST_MARK, None)
    while True:
        wait_for_request()
        if os.environ.get(REQUEST_MARK):
            return os.environ.get("QUERY_STRING", "") or ""
        log.warning("no request reached this preheated kernel yet: waiting again")
        time.sleep(1)


def request_socket() -> str:
    """The address of Voilà's request socket for this kernel, from the variables Voilà gives it."""
    env = os.environ.get
    protocol, ip, port = env("VOILA_WS_PROTOCOL", "ws"), env("VOILA_APP_IP", "127.0.0.1"), env("VOILA_APP_PORT", "8866")
    base = env("VOILA_WS_BASE_URL", env("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{env('VOILA_KERNEL_ID', '')}"


def wait_for_request() -> None:
    """Wait for the request a preheated kernel is handed and put its variables in the environment.

    What ``voila.utils.wait_for_request`` does (the same socket, variables and 5-s open timeout), without
    importing Voilà's server side (Jupyter server, templates: 47 MB and 3 s in every kernel of a pool).
    """
    import asyncio
    import json
    import threading

    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    found: list[str] = []

    async def receive() -> None:
        try:
            async with connect(request_socket(), open_timeout=OPEN_TIMEOUT) as socket:
                found.append(str(await socket.recv()))
        except (TimeoutError, OSError, WebSocketException) as exc:  # refused, closed, not open in time
            log.warning("Voilà's request socket did not answer: %s", exc)

    # a thread of its own: the kernel's event loop is running while the notebook's cell waits here
    thread = threading.Thread(target=lambda: asyncio.run(receive()))
    thread.start()
    thread.join()
    for key, value in (json.loads(found[0]).items() if found else ()):
        os.environ[key] = str(value)


LINK_TRAITS = ("school", "year", "indicator", "lang")


def link_of(model: Any) -> Link:  # noqa: ANN401 - a dashboard model (traitlets)
    """The :class:`Link` of what a dashboard's model shows now (unset choices left out)."""
    found = {k: getattr(model, k) for k in LINK_TRAITS if model.has_trait(k)}
    return Link(found.get("school") or None, found.get("year") or None, found.get("indicator") or None,
                found.get("lang") or "zh")


def permalink_html(notebook: str, link: Link) -> str:
    """The line that gives the address of the view: relative to the page, so it works behind any prefix."""
    import html

    href = notebook + (f"?{link.query()}" if link.query() else "")
    label = "本页链接（可复制发送）：" if link.lang == "zh" else "Link to this view (copy to share): "
    return (f'<div class="za-permalink za-help">{label}<a href="{html.escape(href)}">'
            f"{html.escape(href)}</a></div>")


def permalink(model: Any, notebook: str) -> Any:  # noqa: ANN401 - a model in, a widget out
    """A line with the address of what ``model`` shows, updated whenever one of its choices changes."""
    import ipywidgets as w

    line = w.HTML(permalink_html(notebook, link_of(model)))

    def update(_change: object = None) -> None:
        line.value = permalink_html(notebook, link_of(model))

    model.observe(update, names=[k for k in LINK_TRAITS if model.has_trait(k)])
    return line


def check_scope(ctx: Any, link: Link) -> None:  # noqa: ANN401 - an AppContext
    """Refuse a link to a school outside the person's scope (nothing of that school is read)."""
    if link.school is None:
        return
    schools = ctx.access.schools()
    if link.school not in set(schools["school_id"].astype(str)):
        raise LinkRefused(f"您无权查看学校 {link.school} 的数据，或该校不存在（当前用户：{ctx.user.name}）",
                          f"you may not see school {link.school}, or it does not exist (signed in as "
                          f"{ctx.user.name})")


def refusal_page(exc: BaseException, lang: str = "zh") -> Any:  # noqa: ANN401 - a widget
    """The page shown instead of a dashboard for a refused address: why, and the way back."""
    import ipywidgets as w

    from .theme import CSS, header, message

    zh, en = (exc.zh, exc.en) if isinstance(exc, BilingualError) else (str(exc), str(exc))
    title = "无法打开此链接" if lang == "zh" else "This address cannot be opened"
    text = f"{zh} / {en}" if lang == "zh" else en
    back = ("index.ipynb", "返回首页" if lang == "zh" else "back to the start page")
    box = w.VBox([w.HTML(CSS + header(title, "", "教学工作诊断与改进平台", back) + message(text, "error"))])
    box.add_class("za-app")
    box.add_class("za-refused")
    return box
