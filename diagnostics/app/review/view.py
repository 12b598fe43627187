"""Widgets of the expert-review dashboard, linked to :class:`ReviewModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...workflow.reviews import conclusions
from ..i18n import level_name, tr
from ..markup import Col, Td, download_link, table
from ..selfdiag.detail import detail_html
from ..selfdiag.render import item_html, summary_html
from ..theme import badge
from ..widgets import ClickBridge, Shell, button
from .model import OVERALL_ITEM, ReviewModel


def _errors(model: ReviewModel, item: str) -> dict[str, str]:
    return {field: text for it, field, text in model.field_errors if it == item}


class ItemForm:
    """The evidence and the review form of one diagnosis item."""

    def __init__(self, view: ReviewView, item: str) -> None:
        self.view, self.item = view, item
        self.evidence = w.HTML()
        self.measures = w.HTML()
        self.score = w.Text(placeholder="0–100", layout=w.Layout(width="200px"), style={"description_width": "initial"})
        self.conclusion = w.Dropdown(layout=w.Layout(width="260px"), style={"description_width": "initial"})
        self.comment = w.Textarea(layout=w.Layout(width="96%", height="70px"))
        self.errors = w.HTML()
        self.save = button("", primary=True)
        self.save.layout.width = "120px"
        self.save.add_class("za-save-review")
        self.save.on_click(lambda _b: self._save())
        self.others = w.HTML()
        self.head = w.HTML()
        form = w.VBox([self.head, w.HBox([self.score, self.conclusion], layout=w.Layout(flex_flow="row wrap")),
                       self.comment, self.errors, self.save, self.others],
                      layout=w.Layout(flex="1 1 340px", min_width="0"))
        form.add_class("za-review-form")
        self.box = w.VBox([self.evidence, w.HBox([w.VBox([self.measures], layout=w.Layout(flex="1 1 340px",
                                                                                           min_width="0")), form],
                                                 layout=w.Layout(flex_flow="row wrap"))])
        self.box.add_class("za-card")
        self.box.add_class("za-review-item")

    def _save(self) -> None:
        m = self.view.model
        saved = m.save_review(self.item, self.score.value.strip(), self.comment.value, self.conclusion.value)
        found = _errors(m, self.item)
        self.errors.value = "".join(f'<div class="za-field-error">{escape(v)}</div>' for v in found.values())
        if saved is not None:
            self.view.show_reviews()

    def show(self) -> None:
        m = self.view.model
        lang = m.lang
        found = m.board.item(self.item) if m.board is not None else None
        self.box.layout.display = "" if found is not None and (found.cells or found.warnings) else "none"
        if found is None:
            return
        self.evidence.value = item_html(found, m.board, lang, self.view.bridge.link).replace('class="za-card"', "", 1)
        suggested = m.suggested(self.item)
        text = "—" if suggested is None else f"{suggested:.1f}"
        self.save.description = tr("save", lang)
        self.score.description, self.conclusion.description = tr("score", lang), tr("conclusion", lang)
        self.comment.placeholder = tr("comment", lang)
        self.head.value = (f"<h4>{escape(tr('my_review', lang))} · {escape(m.reviewer)}</h4>"
                           f'<div class="za-muted">{escape(tr("suggested", lang))}：<b class="za-suggested">'
                           f"{escape(text)}</b></div>")
        self.errors.value = ""
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
        self.bridge = ClickBridge(self._clicked)
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
        self.rubric = w.HTML()
        self.texts = w.HTML()
        self.detail = w.HTML()
        self.detail.add_class("za-detail")
        self.close = button("")
        self.close.on_click(lambda _b: self._close())
        self.detail_box = w.VBox([self.close, self.detail], layout=w.Layout(display="none"))
        self.items = {item: ItemForm(self, item) for item in model.data.items}
        self._build_overall()
        self.shell.body.children = [bar, self.list, self.bridge.box, self.summary, self.rubric, self.texts,
                                    self.detail_box, *(f.box for f in self.items.values()), self.overall_box]
        model.observe(self._render, ["board", "schools", "lang"])
        self._render()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _clicked(self, key: str) -> None:
        m = self.model
        if key.startswith("school:"):
            m.choose(school=key[7:])
            return
        m.indicator = key
        d = m.detail()
        if d is None:
            return
        with m.guarded():
            self.detail.value = detail_html(d, m.lang, m.data.models.indicators.get(key))
        self.detail_box.layout.display = ""

    def _close(self) -> None:
        self.detail_box.layout.display = "none"

    def _build_overall(self) -> None:
        self.overall_head = w.HTML()
        self.overall_score = w.Text(placeholder="0–100", layout=w.Layout(width="200px"),
                                    style={"description_width": "initial"})
        self.overall_conclusion = w.Dropdown(layout=w.Layout(width="260px"), style={"description_width": "initial"})
        self.overall_comment = w.Textarea(layout=w.Layout(width="96%", height="90px"))
        self.overall_errors = w.HTML()
        self.submit = button("", primary=True)
        self.submit.add_class("za-submit-review")
        self.submit.on_click(lambda _b: self._submit())
        self.export = button("")
        self.export.add_class("za-export-review")
        self.export.on_click(lambda _b: self._export())
        self.download = w.HTML()
        self.overall_box = w.VBox([self.overall_head, w.HBox([self.overall_score, self.overall_conclusion],
                                                             layout=w.Layout(flex_flow="row wrap")),
                                   self.overall_comment, self.overall_errors,
                                   w.HBox([self.submit, self.export], layout=w.Layout(flex_flow="row wrap")),
                                   self.download])
        self.overall_box.add_class("za-card")
        self.overall_box.add_class("za-overall")

    def _show_overall(self, refill: bool = False) -> None:
        """The overall conclusion's form (what was typed stays until the school-year changes or it is saved)."""
        m, lang = self.model, self.model.lang
        mine = m.submitted()
        key = (m.school, m.year)
        refill = refill or getattr(self, "_overall_for", None) != key
        self._overall_for = key
        done = (f' · {escape(tr("submitted_at", lang))} {escape(str(mine.get("updated_at"))[:16])}' if mine else "")
        self.overall_head.value = f"<h3>{escape(tr('overall_conclusion', lang))}{done}</h3>"
        self.overall_score.description, self.overall_conclusion.description = tr("score", lang), tr("conclusion", lang)
        keep = self.overall_conclusion.value
        self.overall_conclusion.options = [("—", None), *m.conclusion_options()]
        if refill:
            self.overall_score.value = "" if not mine or mine.get("score") is None else f"{float(mine['score']):g}"
            self.overall_conclusion.value = mine.get("conclusion") if mine else None
            self.overall_comment.value = str(mine.get("comment") or "") if mine else ""
            self.overall_errors.value = ""
        else:
            self.overall_conclusion.value = keep
        self.overall_comment.placeholder = tr("comment", lang)
        self.submit.description, self.export.description = tr("submit_review", lang), tr("export_review", lang)
        self.close.description = tr("close", lang)

    def _submit(self) -> None:
        m = self.model
        saved = m.submit(self.overall_score.value.strip(), self.overall_comment.value, self.overall_conclusion.value)
        found = _errors(m, OVERALL_ITEM)
        self.overall_errors.value = "".join(f'<div class="za-field-error">{escape(v)}</div>' for v in found.values())
        if saved is not None:
            self._show_overall(refill=True)

    def _export(self) -> None:
        m = self.model
        with m.guarded():
            name = f"专家复核_{m.school}_{m.year}.xlsx"
            self.download.value = download_link(m.export(), name, "application/vnd.openxmlformats-officedocument"
                                                ".spreadsheetml.sheet", tr("download", m.lang))

    def _reload(self) -> None:
        m = self.model
        with m.guarded(tr("refresh", m.lang) + " ✓"):
            m.refresh()

    def _chosen(self, _change: object) -> None:
        if not self._sync:
            self.model.choose(year=self.year.value, school=self.school.value)

    def _render(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self._sync = True
        self.year.description, self.school.description = tr("year", lang), tr("school", lang)
        self.refresh.description = tr("refresh", lang)
        self.year.options = [(f"{y}–{y + 1}", y) for y in m.years]
        self.year.value = m.year if m.year in m.years else None
        self.school.options = [(f"{s['name']}（{s['school_id']}）", s["school_id"]) for s in m.schools]
        # the list may be redrawn before the model has chosen again: never pick a school it no longer lists
        self.school.value = m.school if any(s["school_id"] == m.school for s in m.schools) else None
        self._sync = False
        rows = [{**s, "name": Td(self.bridge.link("school:" + s["school_id"], s["name"]), "za-nowrap"),
                 "status": badge(s["status"], lang), "level": level_name(s["level"], lang), "card": s["card"] or "—",
                 "reviewed": f"{s['reviewed']} / {s['items']}"} for s in m.schools]
        cols = [Col("name", tr("school", lang), raw=True), Col("level", tr("school_level", lang)),
                Col("city", tr("city", lang)), Col("status", tr("status", lang), raw=True),
                Col("card", tr("card", lang)), Col("warnings", tr("open_warnings", lang), num=True),
                Col("reviewed", tr("reviewed_items", lang), num=True)]
        self.list.value = (f'<details class="za-card za-school-list" open><summary><b>{escape(tr("school_list", lang))}'
                           f'</b>（{len(rows)}）</summary><div class="za-wide">'
                           f'{table(rows, cols, cls="za-table za-sticky")}</div></details>')
        self.summary.value = summary_html(m.board, lang) if m.board is not None else ""
        self.rubric.value = f'<div class="za-card za-muted za-rubric">{escape(tr("rubric", lang))}</div>'
        texts = m.narratives() if m.board is not None else []
        body = "".join(f"<h4>{escape(title)}</h4>" + ("".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
                                                       or f'<p class="za-muted">{escape(tr("not_written", lang))}</p>')
                       for title, text in texts)
        self.texts.value = (f'<details class="za-card za-school-text"><summary><b>{escape(tr("school_text", lang))}'
                            f"</b></summary>{body}</details>") if texts else ""
        self._show_overall()
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
