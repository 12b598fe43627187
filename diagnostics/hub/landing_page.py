"""The dashboards service's landing page, rendered by the service itself: no kernel per sign-in.

The page a person sees right after signing in shows the same facts, key figures and dashboard tiles
as ``notebooks/index.ipynb`` (:func:`diagnostics.app.landing.landing_html`), read through the scoped door
as the person the hub authenticated for this request; the language switch is a link
(``?lang=en``) instead of a widget.  A kernel would cost seconds of CPU and hundreds of MB for a
page without a control on it.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any

LANDING_TITLE = "教学工作诊断与改进平台"
SWITCH_CSS = """<style>
.za-langs a { color: #fff; margin-left: 10px; text-decoration: none; padding: 3px 10px; border-radius: 4px;
  border: 1px solid rgba(255,255,255,.6); white-space: nowrap; }
.za-langs a.on { background: #fff; color: #1d3f66; }
.za-langs { padding: 6px 0; }
</style>"""


def person_context(name: str) -> Any:  # noqa: ANN401 - an AppContext
    """The context of the registered user ``name`` (authenticated by the hub for this request), on
    their own database role where the deployment has them."""
    from ..access.errors import PermissionDenied
    from ..access.roles import load_user
    from ..app.context import AppContext, indicator_models, person_url
    from ..store import default_url, make_engine

    engine = make_engine(person_url(name) or default_url())
    with engine.connect() as conn:
        user = load_user(conn, name)
    if user is None:
        engine.dispose()
        raise PermissionDenied(f"用户 {name} 未登记或已停用", f"user {name} is not registered or inactive")
    models, issues = indicator_models()
    return AppContext(engine, user, models, issues)


def landing_document(name: str, lang: str) -> str:
    """The whole landing page of ``name`` in ``lang`` (zh or en)."""
    from ..app.jobs import explain
    from ..app.landing import LandingModel, header_html, landing_html
    from ..app.theme import CSS, message

    lang = lang if lang in ("zh", "en") else "zh"
    try:
        ctx = person_context(name)
    except Exception as exc:  # the page still says what is wrong
        body = message(explain(exc, lang), "error")
    else:
        try:
            model = LandingModel(ctx)
            model.lang = lang
            body = landing_html(model)
        finally:
            ctx.engine.dispose()
    switch = "".join(f'<a href="?lang={code}" class="{"on" if code == lang else ""}">{escape(label)}</a>'
                     for label, code in (("中文", "zh"), ("English", "en")))
    title = LANDING_TITLE if lang == "zh" else "Teaching Diagnosis & Improvement Platform"
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title>{CSS}{SWITCH_CSS}</head><body>"
            f'<div class="za-app"><div class="za-headbox" style="display:flex;justify-content:space-between;'
            f'width:100%">{header_html(lang)}<div class="za-langs">{switch}</div></div>{body}</div>'
            "</body></html>")


def handler_class() -> type:
    """The tornado handler of the landing page (authenticated by the hub like every page of the service)."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class LandingPage(JupyterHandler):
        @web.authenticated
        async def get(self) -> None:
            name = self.current_user.username
            lang = self.get_argument("lang", "zh")
            page = await asyncio.get_running_loop().run_in_executor(None, landing_document, name, lang)
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page)

    return LandingPage
