"""The landing page (``notebooks/index.ipynb``): the platform, who is working on which data, and the dashboards."""

from __future__ import annotations

import sys
from html import escape

import ipywidgets as w
from traitlets import HasTraits, Unicode

from .i18n import LANGS, PLATFORM, tr
from .registry import dashboards
from .theme import CSS, header, message


class LandingModel(HasTraits):
    """The language, and the facts the page states (computed once)."""

    lang = Unicode("zh")

    def __init__(self, ctx: object = None) -> None:
        super().__init__()
        self.dashboards, self.failures = dashboards()
        self.facts: dict[str, str] = {}
        self.problem = ""
        try:
            from .context import get_context

            ctx = ctx or get_context()
            schools = ctx.access.schools()
            self.facts = {"user": f"{ctx.user.name}（{ctx.user.role.value}）",
                          "database": ctx.engine.url.render_as_string(hide_password=True),
                          "schools_n": str(len(schools))}
        except Exception as exc:  # the page still links the dashboards and says what is wrong
            from .jobs import explain

            self.problem = explain(exc)


def landing_html(model: LandingModel) -> str:
    lang = model.lang
    tiles = "".join(
        f'<div class="za-tile"><h3>{escape(tr(d.title, lang))}</h3><div class="za-muted">{escape(tr(d.subtitle, lang))}'
        f'</div><a class="za-open" href="{escape(d.notebook)}">{escape(tr("open", lang))} →</a></div>'
        for d in model.dashboards)
    facts = " · ".join(f"{escape(tr(k, lang))}：{escape(v)}" for k, v in model.facts.items())
    broken = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in model.failures.items())
    return (f'<div class="za-card za-muted" style="margin-top:10px">{facts}</div>'
            + message(model.problem, "error")
            + (f'<div class="za-msg error">{escape(tr("broken", lang))}<ul>{broken}</ul></div>' if broken else "")
            + f'<div class="za-tiles">{tiles}</div>')


def header_html(lang: str) -> str:
    brand, other = (PLATFORM[1], PLATFORM[0]) if lang == "en" else PLATFORM
    return header(brand, tr("landing_sub", lang), other)


def landing(ctx: object = None) -> w.Widget:
    """The landing page widget."""
    model = LandingModel(ctx)
    head, page = w.HTML(), w.HTML()
    lang = w.ToggleButtons(options=LANGS, value=model.lang, style={"button_width": "70px"})
    w.link((lang, "value"), (model, "lang"))

    def draw(_change: object = None) -> None:
        head.value, page.value = header_html(model.lang), landing_html(model)

    model.observe(draw, "lang")
    draw()
    headbox = w.HBox([head, lang], layout=w.Layout(justify_content="space-between", width="100%"))
    headbox.add_class("za-headbox")
    root = w.VBox([w.HTML(CSS), headbox, page])
    root.add_class("za-app")
    print("[zhengai] dashboard index built", file=sys.__stderr__, flush=True)
    return root
