"""The landing page (``notebooks/index.ipynb``): the platform, its key figures, how the dashboards follow the
8字形质量改进螺旋, and the dashboards."""

from __future__ import annotations

from html import escape

import ipywidgets as w
from traitlets import HasTraits, Unicode

from .i18n import LANGS, PLATFORM, colon, tr
from .registry import dashboards
from .theme import CSS, header, message


class LandingModel(HasTraits):
    """The language, and the facts the page states (computed once)."""

    lang = Unicode("zh")

    def __init__(self, ctx: object = None) -> None:
        super().__init__()
        self.dashboards, self.failures = dashboards()
        self.facts: dict[str, tuple[str, str]] = {}  # key → (value, qualifier)
        self.figures: list[tuple[str, int]] = []
        self.problem = ""
        try:
            from .context import get_context

            ctx = ctx or get_context()
            schools = ctx.access.schools()
            self.facts = {"user": (ctx.user.name, ctx.user.role.value)}
            self.figures = key_figures(ctx, schools)
        except Exception as exc:  # the page still links the dashboards and says what is wrong
            from .jobs import explain

            self.problem = explain(exc)


def key_figures(ctx: object, schools: object) -> list[tuple[str, int]]:
    """(i18n key, count) of what the user's scope holds: schools, the latest year's reported schools, red
    and yellow lights of the verdict, cards, open measures."""
    from ..warnings.verdict import load_verdict

    access = ctx.access  # type: ignore[attr-defined]
    reported = access.reported_school_years()
    if reported.empty:
        return [("fig_schools", len(schools))]  # type: ignore[arg-type]
    year = int(reported["year"].max())
    verdict = load_verdict(ctx.engine, ctx.models, year=year, schools=schools)  # type: ignore[attr-defined]
    lights = verdict.schools
    tasks = access.tasks(year=year)
    open_tasks = int(tasks["status"].isin(["planned", "in_progress"]).sum()) if len(tasks) else 0
    return [("fig_schools", len(schools)), ("fig_reported", int((reported["year"] == year).sum())),  # type: ignore[arg-type]
            ("fig_red", int((lights["light"] == "red").sum())), ("fig_yellow", int((lights["light"] == "yellow").sum())),
            ("fig_cards", int((lights["card"] != "").sum())), ("fig_open_tasks", open_tasks), ("fig_year", year)]


def landing_html(model: LandingModel) -> str:
    lang = model.lang
    suffix = "?lang=en" if lang == "en" else ""  # the dashboards open in the language chosen here
    tiles = "".join(
        f'<div class="za-tile"><h3>{escape(tr(d.title, lang))}</h3><div class="za-muted">{escape(tr(d.subtitle, lang))}'
        f'</div><a class="za-open" href="{escape(d.notebook + suffix)}">{escape(tr("open", lang))} →</a></div>'
        for d in model.dashboards)
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    facts = " · ".join(f"{escape(tr(k, lang))}{colon(lang)}{escape(v)}{open_}{escape(q)}{close}"
                       for k, (v, q) in model.facts.items())
    broken = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in model.failures.items())
    year = dict(model.figures).get("fig_year")
    figures = "".join(f'<div class="za-figure">{escape(tr(k, lang))}<b>{n:,}</b></div>'
                      for k, n in model.figures if k != "fig_year")
    when = (f"{year}–{year + 1} 学年" if lang == "zh" else f"academic year {year}–{year + 1}") if year else ""
    help_items = "".join(f"<li>{escape(tr(k, lang))}</li>" for k in ("help_1", "help_2", "help_3", "help_4", "help_5"))
    return (f'<div class="za-card za-muted" style="margin-top:10px">{facts}</div>'
            + (f'<div class="za-card"><h3>{escape(tr("key_figures", lang))}<span class="za-muted">{escape(when)}'
               f'</span></h3><div class="za-figures">{figures}</div></div>' if figures else "")
            + f'<div class="za-card za-help-card"><h3>{escape(tr("how_to", lang))}</h3><ol>{help_items}</ol></div>'
            + message(model.problem, "error")
            + (f'<div class="za-msg error">{escape(tr("broken", lang))}<ul>{broken}</ul></div>' if broken else "")
            + f'<div class="za-tiles">{tiles}</div>')


def header_html(lang: str) -> str:
    """The platform's name and what it is for, in ``lang`` only."""
    return header(PLATFORM[1] if lang == "en" else PLATFORM[0], tr("landing_sub", lang), tr("home", lang))


def landing(ctx: object = None) -> w.Widget:
    """The landing page widget (a preheated kernel waits for the request before reading the store)."""
    from .links import LinkRefused, parse, refusal_page, request_query
    from .registry import announce

    announce("index", "ready")
    try:
        link = parse(request_query())
    except LinkRefused as exc:
        return refusal_page(exc)
    model = LandingModel(ctx)
    model.lang = link.lang
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
    announce("index", "built")
    return root
