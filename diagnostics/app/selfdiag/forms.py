"""The forms of the self-diagnosis dashboard: improvement measures (改进措施), targets (目标链) and the text
of the school's report (报告撰写).  An error shows next to its field and in a line at the top; a reason
the rules require is a visible field; a saved measure clears the form."""

from __future__ import annotations

import datetime as dt
from html import escape

import ipywidgets as w

from ...workflow.narratives import SECTIONS
from ...workflow.tasks import DROPPED, STATUSES
from ..i18n import item_name, tr
from ..markup import Col, table
from ..widgets import button
from .model import SelfDiagnosisModel
from .render import target_state

FIELD_LABELS = {"warning": "measure_for", "editing": "edit_measure", "status": "task_status",
                "drop_reason": "drop_reason", "target_value": "expected_value", "evidence": "evidence_field"}


def _status_label(code: str, lang: str) -> str:
    return STATUSES.get(code, code).split(" / ")[1 if lang == "en" else 0]


class MeasuresForm:
    """Write, change and withdraw (a measure entered by mistake) the measures of the school-year."""

    def __init__(self, model: SelfDiagnosisModel) -> None:
        self.model, self._sync = model, False
        self.warning = w.Dropdown(layout=w.Layout(width="100%"))
        self.editing = w.Dropdown(layout=w.Layout(width="100%"))
        self.fields = {"problem": w.Textarea(layout=w.Layout(width="100%", height="56px")),
                       "cause": w.Textarea(layout=w.Layout(width="100%", height="56px")),
                       "measure": w.Textarea(layout=w.Layout(width="100%", height="72px")),
                       "owner": w.Text(layout=w.Layout(width="320px")),
                       "deadline": w.Text(placeholder="YYYY-MM-DD", layout=w.Layout(width="200px")),
                       "target_value": w.Text(layout=w.Layout(width="200px")),
                       "status": w.Dropdown(layout=w.Layout(width="200px")),
                       "drop_reason": w.Textarea(layout=w.Layout(width="100%", height="48px")),
                       "evidence": w.Textarea(layout=w.Layout(width="100%", height="48px"))}
        for key, widget in self.fields.items():
            widget.add_class(f"za-field-{key}")
        self.labels = {k: w.HTML() for k in [*self.fields, "warning", "editing"]}
        self.errors = {k: w.HTML() for k in self.fields}
        self.rows = {k: w.VBox([self.labels[k], widget, *([self.errors[k]] if k in self.errors else [])])
                     for k, widget in [("warning", self.warning), ("editing", self.editing), *self.fields.items()]}
        self.save = button("", primary=True)
        self.save.add_class("za-save-measure")
        self.delete = button("")
        self.delete.add_class("za-delete-measure")
        self.summary = w.HTML()
        self.save.on_click(lambda _b: self._save())
        self.delete.on_click(lambda _b: self._delete())
        self.warning.observe(lambda _c: self._fill(), "value")
        self.editing.observe(lambda _c: self._fill(), "value")
        self.fields["status"].observe(lambda _c: self._reason(), "value")
        form = w.VBox([self.summary, *self.rows.values(), w.HBox([self.save, self.delete])])
        form.add_class("za-card")
        form.add_class("za-form")
        self.list = w.HTML()
        self.box = w.VBox([form, self.list])
        model.observe(self._errors, "field_errors")

    def relabel(self) -> None:
        lang = self.model.lang
        for key, label in self.labels.items():
            label.value = f"<b>{escape(tr(FIELD_LABELS.get(key, key), lang))}</b>"
        self.fields["status"].options = [(_status_label(k, lang), k) for k in STATUSES]
        self.save.description, self.delete.description = tr("save", lang), tr("withdraw", lang)
        self.fields["target_value"].placeholder = tr("expected_hint", lang)
        self.fields["evidence"].placeholder = tr("evidence_hint", lang)
        self.warnings()

    def warnings(self) -> None:
        m = self.model
        self._sync = True
        self.warning.options = [(tr("new_measure", m.lang), -1), *m.warning_options()]
        self.warning.value = -1
        self._sync = False
        self.tasks()

    def tasks(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self._sync = True
        keep = self.editing.value
        self.editing.options = [(tr("new_measure", lang), -1)] + [
            (f"#{int(t['id'])} {str(t['problem'])[:50]}", int(t["id"])) for t in m.tasks]
        self.editing.value = keep if keep in [int(t["id"]) for t in m.tasks] else -1
        self._sync = False
        self.delete.layout.display = "" if self.editing.value not in (None, -1) else "none"
        cols = [Col("id", "#", num=True), Col("problem", tr("problem", lang)), Col("cause", tr("cause", lang)),
                Col("measure", tr("measure", lang)), Col("owner", tr("owner", lang)),
                Col("deadline", tr("deadline", lang)), Col("status", tr("task_status", lang))]
        rows = [{**t, "status": _status_label(t["status"], lang),
                 "deadline": t["deadline"].isoformat() if isinstance(t.get("deadline"), dt.date) else
                 (str(t.get("deadline") or "")[:10] or "—")} for t in m.tasks]
        self.list.value = (f'<div class="za-card za-tasks"><h4>{escape(tr("measures", lang))}</h4>'
                           f'<div class="za-wide">{table(rows, cols, empty=tr("no_measures", lang))}</div></div>')

    def _reason(self) -> None:
        dropped = self.fields["status"].value == DROPPED
        self.rows["drop_reason"].layout.display = "" if dropped else "none"

    def _fill(self) -> None:
        if self._sync:
            return
        m = self.model
        task = next((t for t in m.tasks if int(t["id"]) == self.editing.value), None)
        values = task if task is not None else m.default_fields(None if self.warning.value == -1
                                                                else self.warning.value)
        for key, widget in self.fields.items():
            value = values.get(key)
            if key == "deadline":
                widget.value = value.isoformat() if isinstance(value, dt.date) else str(value or "")[:10]
            elif key == "status":
                widget.value = value or "planned"
            elif key == "target_value":
                widget.value = "" if value is None or value != value else f"{float(value):g}"
            else:
                widget.value = "" if value is None else str(value)
        self.delete.layout.display = "" if task is not None else "none"
        self.model.field_errors = []
        self._reason()

    def _errors(self, _change: object = None) -> None:
        found = dict(self.model.field_errors)
        for key, box in self.errors.items():
            box.value = f'<div class="za-field-error">{escape(found[key])}</div>' if key in found else ""
        self.summary.value = "".join(f'<div class="za-field-error">· {escape(tr(FIELD_LABELS.get(k, k), self.model.lang))}'
                                     f"：{escape(v)}</div>" for k, v in found.items())

    def _save(self) -> None:
        values = {k: widget.value for k, widget in self.fields.items()}
        task = None if self.editing.value in (None, -1) else self.editing.value
        warning = None if self.warning.value in (None, -1) else self.warning.value
        if self.model.save_measure(values, warning=warning, task_id=task) is not None and task is None:
            self._sync = True
            self.editing.value = -1
            self._sync = False
            self._fill()

    def _delete(self) -> None:
        if self.editing.value not in (None, -1) and self.model.withdraw_measure(self.editing.value):
            self._sync = True
            self.editing.value = -1
            self._sync = False
            self._fill()


class TargetsForm:
    """The school's targets (目标链) of the school-year, one row per indicator, set in place."""

    def __init__(self, model: SelfDiagnosisModel) -> None:
        self.model = model
        self.indicator = w.Dropdown(layout=w.Layout(width="420px"))
        self.value = w.Text(layout=w.Layout(width="160px"))
        self.note = w.Text(layout=w.Layout(width="320px"))
        self.save = button("", primary=True)
        self.save.add_class("za-save-target")
        self.save.on_click(lambda _b: self._save())
        self.intro = w.HTML()
        self.list = w.HTML()
        bar = w.HBox([self.indicator, self.value, self.note, self.save], layout=w.Layout(flex_flow="row wrap"))
        bar.add_class("za-toolbar")
        bar.add_class("za-form")
        self.box = w.VBox([self.intro, bar, self.list])

    def show(self) -> None:
        m, lang = self.model, self.model.lang
        rows = m.target_rows()
        self.intro.value = f'<div class="za-card za-muted">{escape(tr("targets_intro", lang))}</div>'
        self.indicator.description = tr("indicator", lang)
        self.value.placeholder, self.note.placeholder = tr("target", lang), tr("target_note", lang)
        self.save.description = tr("save", lang)
        keep = self.indicator.value
        self.indicator.options = [(r["cell"].name_en if lang == "en" else r["cell"].name_zh, r["indicator_id"])
                                  for r in rows]
        if keep in [r["indicator_id"] for r in rows]:
            self.indicator.value = keep
        data = [{"item": item_name(r["item"], lang), "name": r["cell"].name_en if lang == "en" else r["cell"].name_zh,
                 "value": r["cell"].text, "target": r["cell"].fmt(r["target"]), "met": target_state(r["cell"], lang),
                 "source": self._source(r["source"], lang)} for r in rows]
        cols = [Col("item", tr("items", lang)), Col("name", tr("indicator", lang)), Col("value", tr("value", lang), num=True),
                Col("target", tr("target", lang), num=True), Col("met", tr("target_met", lang), raw=True),
                Col("source", tr("source", lang))]
        self.list.value = (f'<div class="za-card za-targets"><div class="za-wide">'
                           f'{table(data, cols, cls="za-table za-sticky", empty=tr("no_data", lang))}</div></div>')

    @staticmethod
    def _source(source: str, lang: str) -> str:
        if not source:
            return "—"
        return source if lang == "zh" else {"学校目标（一校一策）": "school target", "模型默认目标": "default"}.get(
            source, source)

    def _save(self) -> None:
        if self.indicator.value and self.model.save_target(self.indicator.value, self.value.value, self.note.value):
            self.value.value, self.note.value = "", ""
        self.show()


class NarrativesForm:
    """The school's own text of each section of its report, saved through the scoped door."""

    def __init__(self, model: SelfDiagnosisModel) -> None:
        self.model = model
        self.texts = {s.key: w.Textarea(layout=w.Layout(width="100%", height="110px")) for s in SECTIONS}
        self.heads = {s.key: w.HTML() for s in SECTIONS}
        self.saves = {s.key: button("") for s in SECTIONS}
        self.versions: dict[str, int | None] = {}
        for key, b in self.saves.items():
            b.add_class(f"za-save-narrative-{key}")
            self.texts[key].add_class(f"za-narrative-{key}")
            b.on_click(lambda _b, k=key: self._save(k))
        self.intro = w.HTML()
        parts = [w.VBox([self.heads[s.key], self.texts[s.key], self.saves[s.key]]) for s in SECTIONS]
        for p in parts:
            p.add_class("za-card")
        self.box = w.VBox([self.intro, *parts])

    def show(self) -> None:
        m, lang = self.model, self.model.lang
        saved = m.narratives()
        self.intro.value = f'<div class="za-card za-muted">{escape(tr("narratives_intro", lang))}</div>'
        for s in SECTIONS:
            row = saved[s.key]
            self.versions[s.key] = row["version"]
            self.texts[s.key].value = row["text"]
            who = (f' · {escape(tr("saved_by", lang))} {escape(str(row["updated_by"]))} '
                   f'{escape(str(row["updated_at"])[:16])}') if row["version"] else ""
            title = s.en if lang == "en" else s.zh
            self.heads[s.key].value = (f"<h4>{escape(title)}</h4><div class='za-help'>"
                                       f"{escape(s.hint_zh if lang == 'zh' else '')}{who}</div>")
            self.saves[s.key].description = tr("save", lang)

    def _save(self, key: str) -> None:
        if self.model.save_narrative(key, self.texts[key].value, self.versions.get(key)) is not None:
            self.show()
