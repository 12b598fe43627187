"""Widgets of the spot-check page, linked to :class:`SpotCheckModel`."""

from __future__ import annotations

import math
from html import escape

import ipywidgets as w

from ...spotcheck.draw import KINDS
from ..markup import Col, table
from ..widgets import Shell, button
from .model import SpotCheckModel
from .texts import t


def _pct(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * float(v):.1f}%"


def _wide(html: str) -> str:
    return f'<div class="za-wide">{html}</div>'


class SpotCheckView:
    """The draw form (checkers), the sample and its method, the estimates, the records, the record form."""

    def __init__(self, model: SpotCheckModel) -> None:
        self.model = model
        self.shell = Shell(model, "app_spot", "app_spot_sub")
        wide = {"description_width": "initial"}
        self.year = w.Dropdown(options=[(f"{y}–{y + 1}", y) for y in model.years], value=model.year or None,
                               layout=w.Layout(width="150px"), style=wide)
        self.seed = w.Text(value=str(model.default_seed), layout=w.Layout(width="200px"), style=wide)
        self.seed.add_class("za-spot-seed-input")
        self.n_schools = w.BoundedIntText(value=10, min=1, max=500, layout=w.Layout(width="150px"), style=wide)
        self.n_records = w.BoundedIntText(value=20, min=1, max=1000, layout=w.Layout(width="200px"), style=wide)
        self.kinds = {k: w.Checkbox(value=k == "students", indent=False, layout=w.Layout(width="auto")) for k in KINDS}
        self.draw_button = button("", primary=True)
        self.draw_button.add_class("za-spot-draw")
        self.draw_button.on_click(lambda _b: self._draw())
        self.draw_title = w.HTML()
        row = w.Layout(flex_flow="row wrap", align_items="center")
        self.draw_box = w.VBox([self.draw_title, w.HBox([self.year, self.seed, self.n_schools, self.n_records], layout=row),
                                w.HBox([*self.kinds.values(), self.draw_button], layout=row)])
        self.draw_box.add_class("za-card")
        self.draw_box.layout.display = "" if model.can_check else "none"
        self.sample = w.Dropdown(layout=w.Layout(width="320px"), style=wide)
        self.sample.add_class("za-spot-sample")
        self.sample.observe(self._sample_chosen, "value")
        self.method = w.HTML()
        self.estimates = w.HTML()
        self.records = w.HTML()
        self.pick = w.Dropdown(layout=w.Layout(width="320px", max_width="100%"), style=wide)
        self.pick.add_class("za-spot-pick")
        self.outcome = w.ToggleButtons(style={"button_width": "90px"})
        self.outcome.add_class("za-spot-outcome")
        self.note = w.Text(layout=w.Layout(width="320px", max_width="100%"), style=wide)
        self.note.add_class("za-spot-note")
        self.save = button("", primary=True)
        self.save.add_class("za-spot-save")
        self.save.on_click(lambda _b: self._save())
        self.record_title = w.HTML()
        self.record_box = w.VBox([self.record_title, self.pick, self.outcome, self.note, self.save])
        self.record_box.add_class("za-card")
        body = w.VBox([self.draw_box, self.sample, self.method, self.record_box, self.estimates, self.records])
        body.add_class("za-spot")
        self.shell.body.children = [body]
        self.root = self.shell.root
        model.observe(lambda _c: self.show(), ["lang", "version", "sample"])
        self.show()

    # ---- actions -----------------------------------------------------------------------------------
    def _draw(self) -> None:
        m = self.model
        if self.year.value:
            m.year = int(self.year.value)
        m.draw(self.seed.value, self.n_schools.value, self.n_records.value, [k for k, b in self.kinds.items() if b.value])

    def _save(self) -> None:
        if self.pick.value is None:
            return
        if self.model.record(int(self.pick.value), self.outcome.value, self.note.value):
            self.note.value = ""

    def _sample_chosen(self, change: dict) -> None:
        if change["new"] and change["new"] != self.model.sample:
            self.model.sample = int(change["new"])

    # ---- drawing -----------------------------------------------------------------------------------
    def show(self) -> None:
        m, lang = self.model, self.model.lang
        self.draw_title.value = f"<h4>{escape(t('draw_title', lang))}</h4>"
        self.year.description, self.seed.description = t("year", lang), t("seed", lang)
        self.n_schools.description, self.n_records.description = t("n_schools", lang), t("n_records", lang)
        for k, box in self.kinds.items():
            box.description = t(k, lang)
        self.draw_button.description = t("draw", lang)
        samples = m.samples()
        options = [(f"{t('sample', lang)} #{int(r['id'])} · {int(r['year'])} · {t('seed', lang)} {int(r['seed'])}",
                    int(r["id"])) for r in samples.to_dict("records")]
        self.sample.options = options
        self.sample.value = m.sample if m.sample else None
        self.sample.description = t("sample", lang)
        self.sample.layout.display = "" if options else "none"
        row = m.sample_row()
        if row is None:
            self.method.value = f'<div class="za-muted">{escape(t("no_sample" if m.can_check else "no_sample_school", lang))}</div>'
        else:
            text = str(row["method"]).split("\n")
            text = text[1] if lang == "en" and len(text) > 1 else text[0]
            self.method.value = (f'<div class="za-spot-method"><b>{escape(t("method", lang))}</b>：'
                                 f'{escape(t("seed", lang))} <b class="za-spot-seed">{int(row["seed"])}</b> · '
                                 f'{escape(t("by", lang))} {escape(str(row["drawn_by"]))}<br>{escape(text)}</div>')
        self._records(lang)
        self._estimates(lang)
        self._record_form(lang)

    def _name(self, sid: str) -> str:
        return f"{self.model.names.get(str(sid), sid)}（{sid}）"

    def _records(self, lang: str) -> None:
        m = self.model
        recs = m.records()
        rows = [{"id": int(r["id"]), "school": self._name(r["school_id"]), "kind": t(r["kind"], lang),
                 "key": r["record_key"], "outcome": t(r["outcome"] or "pending", lang),
                 "note": r.get("note") or "", "checker": r.get("updated_by") if r["outcome"] else ""}
                for r in recs.to_dict("records")]
        cols = [Col("id", "#", num=True), Col("school", t("school", lang)), Col("kind", t("kind", lang)),
                Col("key", t("key", lang)), Col("outcome", t("outcome", lang)), Col("note", t("note", lang)),
                Col("checker", t("checker", lang))]
        title = t("records" if m.can_check else "records_school", lang)
        self.records.value = (f"<h4>{escape(title)}</h4>"
                              + _wide(table(rows, cols, empty=t("no_records" if m.can_check else "no_sample_school", lang),
                                          cls="za-table za-spot-records")))

    def _estimates(self, lang: str) -> None:
        est = self.model.estimates()
        rows = [{"school": self._name(r["school_id"]), "kind": t(r["kind"], lang), "population": int(r["population"]),
                 "drawn": int(r["drawn"]), "checked": int(r["checked"]), "wrong": int(r["discrepancies"]),
                 "rate": _pct(r["rate"]),
                 "interval": f"{_pct(r['lower'])}–{_pct(r['upper'])}" if r["checked"] else "",
                 "warning": t(r["severity"], lang) if r["severity"] else ""} for r in est.to_dict("records")]
        cols = [Col("school", t("school", lang)), Col("kind", t("kind", lang)),
                Col("population", t("population", lang), num=True), Col("drawn", t("drawn_n", lang), num=True),
                Col("checked", t("checked", lang), num=True), Col("wrong", t("wrong", lang), num=True),
                Col("rate", t("rate", lang), num=True), Col("interval", t("interval", lang), num=True),
                Col("warning", t("warning", lang))]
        self.estimates.value = (f"<h4>{escape(t('estimates', lang))}</h4>"
                                f'<div class="za-muted">{escape(t("estimates_note", lang))}</div>'
                                + _wide(table(rows, cols, cls="za-table za-spot-estimates")) if rows else "")

    def _record_form(self, lang: str) -> None:
        m = self.model
        self.record_box.layout.display = "" if m.can_check and m.sample else "none"
        self.record_title.value = f"<h4>{escape(t('record_title', lang))}</h4>"
        pending = m.pending() if m.can_check else None
        options = [] if pending is None else [
            (f"#{int(r['id'])} {self._name(r['school_id'])} {t(r['kind'], lang)} {r['record_key']}", int(r["id"]))
            for r in pending.to_dict("records")]
        self.pick.options = options
        self.pick.description = t("record", lang)
        self.outcome.options = [(t("confirmed", lang), "confirmed"), (t("discrepancy", lang), "discrepancy")]
        self.note.description = t("note", lang)
        self.save.description = t("save", lang)
        self.save.disabled = not options
        if not options and m.sample:
            self.record_title.value += f'<div class="za-muted">{escape(t("none_pending", lang))}</div>'
