"""Widgets of the expert-review dashboard, linked to :class:`ReviewModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...workflow.reviews import conclusions
from ..i18n import tr
from ..markup import Col, table
from ..selfdiag.render import item_html, summary_html
from ..theme import badge
from ..widgets import ClickBridge, Shell, button
from .model import ReviewModel


def _plain_link(_key: str, text: str) -> str:
    return escape(text)


class ItemForm:
    """The evidence and the review form of one diagnosis item."""

    def __init__(self, view: ReviewView, item: str) -> None:
        self.view, self.item = view, item
        self.evidence = w.HTML()
        self.measures = w.HTML()
        self.score = w.Text(placeholder="0–100", layout=w.Layout(width="200px"), style={"description_width": "initial"})
        self.conclusion = w.Dropdown(layout=w.Layout(width="260px"), style={"description_width": "initial"})
        self.comment = w.Textarea(layout=w.Layout(width="96%", height="70px"))
        self.save = button("", primary=True)
        self.save.layout.width = "120px"
        self.save.add_class("za-save-review")
        self.save.on_click(lambda _b: self._save())
        self.others = w.HTML()
        self.head = w.HTML()
        form = w.VBox([self.head, w.HBox([self.score, self.conclusion]), self.comment, self.save, self.others],
                      layout=w.Layout(width="50%"))
        form.add_class("za-review-form")
        self.box = w.VBox([self.evidence, w.HBox([w.VBox([self.measures], layout=w.Layout(width="50%")), form])])
        self.box.add_class("za-card")
        self.box.add_class("za-review-item")

    def _save(self) -> None:
        m, text = self.view.model, self.score.value.strip()
        try:
            score = float(text) if text else None
        except ValueError:
            m.tell(f"{tr('score', m.lang)}：{text}？（0–100）", "error")
            return
        m.save_review(self.item, score, self.comment.value, self.conclusion.value)
        self.view.show_reviews()

    def show(self) -> None:
        m = self.view.model
        lang = m.lang
        found = m.board.item(self.item) if m.board is not None else None
        self.box.layout.display = "" if found is not None and (found.cells or found.warnings) else "none"
        if found is None:
            return
        self.evidence.value = item_html(found, m.board, lang, _plain_link).replace('class="za-card"', "", 1)
        suggested = m.suggested(self.item)
        text = "—" if suggested is None else f"{suggested:.1f}"
        self.save.description = tr("save", lang)
        self.score.description, self.conclusion.description = tr("score", lang), tr("conclusion", lang)
        self.comment.placeholder = tr("comment", lang)
        self.head.value = (f"<h4>{escape(tr('my_review', lang))} · {escape(m.reviewer)}</h4>"
                           f'<div class="za-muted">{escape(tr("suggested", lang))}：<b class="za-suggested">'
                           f"{escape(text)}</b></div>")
        self.conclusion.options = [("—", None), *m.conclusion_options()]
        mine = m.my_review(self.item)
        score = mine.get("score") if mine else (None if suggested is None else round(suggested))
        self.score.value = "" if score is None else f"{float(score):g}"
        self.conclusion.value = mine.get("conclusion") if mine else None
        self.comment.value = str(mine.get("comment") or "") if mine else ""
        self.others.value = self._others()

    def _others(self) -> str:
        m = self.view.model
        lang = m.lang
        labels = conclusions()
        rows = [{"reviewer": r["reviewer"], "score": "" if r.get("score") is None else f"{float(r['score']):.0f}",
                 "conclusion": labels.get(r.get("conclusion") or "", "—").split(" / ")[1 if lang == "en" else 0],
                 "comment": r.get("comment") or ""} for r in m.other_reviews(self.item)]
        cols = [Col("reviewer", tr("reviewer", lang)), Col("score", tr("score", lang), num=True),
                Col("conclusion", tr("conclusion", lang)), Col("comment", tr("comment", lang))]
        together = m.consensus(self.item)
        summary = ""
        if together is not None and together["reviewers"] > 1:
            label = labels.get(together["consensus"] or "", "—").split(" / ")[1 if lang == "en" else 0]
            scores = ("—" if together["score_min"] is None or together["score_min"] != together["score_min"]
                      else f"{together['score_min']:.0f}–{together['score_max']:.0f}")
            summary = (f'<div class="za-muted">{escape(tr("consensus", lang))}：<b>{escape(label)}</b> · '
                       f'{together["reviewers"]} · {escape(tr("score", lang))} {escape(scores)} · '
                       f'{escape(str(together["conclusions"]))}</div>')
        return (f"<h4>{escape(tr('other_reviews', lang))}</h4>" + table(rows, cols, empty=tr("no_reviews", lang))
                + summary)


class ReviewView:
    """Year, the school list, then one card per diagnosis item."""

    def __init__(self, model: ReviewModel) -> None:
        self.model = model
        self._sync = False
        self.shell = Shell(model, "app_review", "app_review_sub")
        self.bridge = ClickBridge(lambda key: model.choose(school=key))
        wide = {"description_width": "initial"}
        self.year = w.Dropdown(layout=w.Layout(width="190px"), style=wide)
        self.school = w.Dropdown(layout=w.Layout(width="360px"), style=wide)
        self.year.add_class("za-year")
        self.school.add_class("za-school")
        self.year.observe(self._chosen, "value")
        self.school.observe(self._chosen, "value")
        self.refresh = button("")
        self.refresh.on_click(lambda _b: self._reload())
        bar = w.HBox([self.year, self.school, self.refresh])
        bar.add_class("za-toolbar")
        self.list = w.HTML()
        self.summary = w.HTML()
        self.items = {item: ItemForm(self, item) for item in model.data.items}
        self.shell.body.children = [bar, self.list, self.bridge.box, self.summary,
                                    *(f.box for f in self.items.values())]
        model.observe(self._render, ["board", "schools", "lang"])
        self._render()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _reload(self) -> None:
        m = self.model
        with m.guarded(tr("refresh", m.lang) + " ✓"):
            m.reload()
            m.schools = []
            m.choose()

    def _chosen(self, _change: object) -> None:
        if not self._sync:
            self.model.choose(year=self.year.value, school=self.school.value)

    def _render(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self._sync = True
        self.year.description, self.school.description = tr("year", lang), tr("school", lang)
        self.refresh.description = tr("refresh", lang)
        self.year.options, self.year.value = [(f"{y}–{y + 1}", y) for y in m.years], m.year or None
        self.school.options = [(f"{s['name']}（{s['school_id']}）", s["school_id"]) for s in m.schools]
        self.school.value = m.school or None
        self._sync = False
        rows = [{**s, "name": self.bridge.link(s["school_id"], s["name"]), "status": badge(s["status"], lang),
                 "reviewed": f"{s['reviewed']} / {s['items']}"} for s in m.schools]
        cols = [Col("name", tr("school", lang), raw=True), Col("level", tr("school_level", lang)),
                Col("city", tr("city", lang)), Col("status", tr("status", lang), raw=True),
                Col("card", tr("card", lang)), Col("warnings", tr("open_warnings", lang), num=True),
                Col("reviewed", tr("reviewed_items", lang), num=True)]
        self.list.value = (f'<div class="za-card"><h3>{escape(tr("school_list", lang))}</h3>'
                           f'<div class="za-scroll" style="max-height:300px">{table(rows, cols)}</div></div>')
        self.summary.value = summary_html(m.board, lang) if m.board is not None else ""
        measures = m.measures() if m.board is not None else {}
        for item, form in self.items.items():
            form.show()
            form.measures.value = self._measures(measures.get(item, []))

    def _measures(self, tasks: list) -> str:
        lang = self.model.lang
        rows = [{"problem": t.problem, "cause": t.cause, "measure": t.measure, "status": t.status} for t in tasks]
        cols = [Col("problem", tr("problem", lang)), Col("cause", tr("cause", lang)),
                Col("measure", tr("measure", lang)), Col("status", tr("task_status", lang))]
        return f"<h4>{escape(tr('school_diagnosis', lang))}</h4>" + table(rows, cols, empty=tr("no_measures", lang))

    def show_reviews(self) -> None:
        for form in self.items.values():
            form.show()
