"""Widgets of the self-diagnosis dashboard, linked to :class:`SelfDiagnosisModel`."""

from __future__ import annotations

import datetime as dt
from html import escape

import ipywidgets as w

from ...workflow.tasks import STATUSES
from ..i18n import pick, tr
from ..markup import Col, download_link, table
from ..theme import message
from ..widgets import ClickBridge, JobView, Shell, button
from .model import REPORT_FORMATS, ReportFile, SelfDiagnosisModel
from .render import board_html, detail_html, summary_html

BOARD, DETAIL, MEASURES, REPORT = range(4)


class SelfDiagnosisView:
    """The page: choices, the lights, and tabs for the board, the detail, the measures and the report."""

    def __init__(self, model: SelfDiagnosisModel) -> None:
        self.model = model
        self._sync = False
        self.shell = Shell(model, "app_self", "app_self_sub")
        self.bridge = ClickBridge(self._pick)
        wide = {"description_width": "initial"}
        self.school = w.Dropdown(layout=w.Layout(width="360px"), style=wide)
        self.year = w.Dropdown(layout=w.Layout(width="190px"), style=wide)
        self.layer = w.ToggleButtons(style={"button_width": "76px"})
        self.program = w.Dropdown(layout=w.Layout(width="320px"), style=wide)
        self.refresh = button("")
        for name, widget in (("school", self.school), ("year", self.year), ("layer", self.layer),
                             ("program", self.program)):
            widget.add_class(f"za-{name}")
            widget.observe(self._chosen, "value")
        self.refresh.on_click(lambda _b: self._reload())
        bar = w.HBox([self.school, self.year, self.layer, self.program, self.refresh])
        bar.add_class("za-toolbar")
        self.summary = w.HTML()
        self.board = w.HTML()
        self.board.add_class("za-board")
        self._build_detail()
        self._build_measures()
        self._build_report()
        self.tabs = w.Tab(children=[w.VBox([self.board, self.bridge.box]), self.detail_box, self.measures_box,
                                    self.report_box])
        self.tabs.observe(self._tab, "selected_index")
        self.shell.body.children = [bar, self.summary, self.tabs]
        model.observe(self._options, ["schools", "years", "programs"])
        model.observe(self._render, "board")
        model.observe(self._relabel, "lang")
        model.observe(self._tasks, "tasks")
        self._relabel()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    # ---- choices --------------------------------------------------------------------------------
    def _options(self, _change: object = None) -> None:
        m, self._sync = self.model, True
        try:
            self.school.options = m.schools
            self.school.value = m.school if m.school in [v for _, v in m.schools] else None
            self.year.options = [(f"{y}–{y + 1}", y) for y in m.years]
            self.year.value = m.year if m.year in m.years else None
            self.layer.options = [(tr("layer_school", m.lang), "school"), (tr("layer_program", m.lang), "program")]
            self.layer.value = m.layer
            self.program.options = m.programs
            self.program.value = m.program if m.program in [c for _, c in m.programs] else None
            self.program.layout.display = "" if m.layer == "program" else "none"
        finally:
            self._sync = False

    def _chosen(self, _change: object) -> None:
        if self._sync:
            return
        self.model.choose(school=self.school.value, year=self.year.value, layer=self.layer.value,
                          program=self.program.value or "")

    def _reload(self) -> None:
        with self.model.guarded(tr("refresh", self.model.lang) + " ✓"):
            self.model.reload()
            self.model.choose()

    # ---- board ----------------------------------------------------------------------------------
    def _render(self, _change: object = None) -> None:
        m = self.model
        self._options()
        if m.board is None:
            self.summary.value = message(tr("no_data", m.lang), "info")
            self.board.value = ""
            return
        self.summary.value = summary_html(m.board, m.lang)
        self.board.value = board_html(m.board, m.lang, self.bridge.link)
        self._sync = True
        self.indicator.options = list(dict.fromkeys((pick(c.name_zh, c.name_en, m.lang), c.indicator_id)
                                                    for i in m.board.items for c in i.cells))
        self.indicator.value = m.indicator if m.board.cell(m.indicator) is not None else None
        self._sync = False
        self._warnings()
        self._dirty = True
        if self.tabs.selected_index == DETAIL:
            self._show_detail()

    def _pick(self, indicator: str) -> None:
        self.model.indicator = indicator
        self.tabs.selected_index = DETAIL
        self._show_detail()

    def _tab(self, change: dict) -> None:
        if change["new"] == DETAIL and self._dirty:
            self._show_detail()

    # ---- detail ---------------------------------------------------------------------------------
    def _build_detail(self) -> None:
        self.indicator = w.Dropdown(layout=w.Layout(width="420px"))
        self.indicator.observe(lambda c: self._pick(c["new"]) if c["new"] and not self._sync else None, "value")
        self.mark = button("")
        self.mark.on_click(lambda _b: self._follow(mark=True))
        self.comment = w.Text(layout=w.Layout(width="420px"))
        self.comment_to = w.Dropdown(layout=w.Layout(width="120px"))
        self.add_comment = button("")
        self.add_comment.on_click(lambda _b: self._follow(mark=False))
        self.detail = w.HTML()
        self.detail.add_class("za-detail")
        self.follow_bar = w.HBox([self.mark, self.comment_to, self.comment, self.add_comment])
        self.follow_bar.add_class("za-toolbar")
        self.detail_box = w.VBox([self.indicator, self.detail, self.follow_bar])
        self._dirty = True

    def _show_detail(self) -> None:
        m = self.model
        self._dirty = False
        d = m.detail()
        self._sync = True
        self.indicator.value = m.indicator if d is not None else None
        self._sync = False
        if d is None:
            self.detail.value = message(tr("detail_hint", m.lang), "info")
            self.follow_bar.layout.display = "none"
            return
        self.detail.value = detail_html(d, m.lang)
        self.comment_to.options = [(f"#{int(f['id'])}", int(f["id"])) for f in d.follow_ups]
        self.follow_bar.layout.display = ""
        shown = "" if d.follow_ups else "none"
        for widget in (self.comment_to, self.comment, self.add_comment):
            widget.layout.display = shown

    def _follow(self, mark: bool) -> None:
        m = self.model
        if mark:
            m.mark_follow_up()
        elif self.comment_to.value is not None and self.comment.value.strip():
            if m.comment_follow_up(self.comment_to.value, self.comment.value):
                self.comment.value = ""
        self._show_detail()

    # ---- measures -------------------------------------------------------------------------------
    def _build_measures(self) -> None:
        self.warning = w.Dropdown(layout=w.Layout(width="100%"))
        self.editing = w.Dropdown(layout=w.Layout(width="100%"))
        self.fields = {"problem": w.Textarea(layout=w.Layout(width="100%", height="56px")),
                       "cause": w.Textarea(layout=w.Layout(width="100%", height="56px")),
                       "measure": w.Textarea(layout=w.Layout(width="100%", height="72px")),
                       "owner": w.Text(layout=w.Layout(width="320px")),
                       "deadline": w.DatePicker(layout=w.Layout(width="200px")),
                       "status": w.Dropdown(options=[(v, k) for k, v in STATUSES.items()],
                                            layout=w.Layout(width="200px"))}
        for key, widget in self.fields.items():
            widget.add_class(f"za-field-{key}")
        self.save = button("", primary=True)
        self.save.add_class("za-save-measure")
        self.save.on_click(lambda _b: self._save())
        self.warning.observe(lambda _c: self._fill(), "value")
        self.editing.observe(lambda _c: self._fill(), "value")
        self.labels = {k: w.HTML() for k in [*self.fields, "warning", "editing"]}
        rows = [w.VBox([self.labels[k], widget]) for k, widget in
                [("warning", self.warning), ("editing", self.editing)] + list(self.fields.items())]
        form = w.VBox([*rows, self.save])
        form.add_class("za-card")
        self.task_list = w.HTML()
        self.measures_box = w.VBox([form, self.task_list])

    def _warnings(self) -> None:
        m = self.model
        self._sync = True
        self.warning.options = [(tr("new_measure", m.lang), -1), *m.warning_options()]
        self.warning.value = -1
        self._sync = False
        self._tasks()

    def _tasks(self, _change: object = None) -> None:
        m = self.model
        self._sync = True
        keep = self.editing.value
        self.editing.options = [(tr("new_measure", m.lang), -1)] + [
            (f"#{int(t['id'])} {str(t['problem'])[:50]}", int(t["id"])) for t in m.tasks]
        self.editing.value = keep if keep in [int(t["id"]) for t in m.tasks] else -1
        self._sync = False
        cols = [Col("id", "#", num=True), Col("problem", tr("problem", m.lang)), Col("cause", tr("cause", m.lang)),
                Col("measure", tr("measure", m.lang)), Col("owner", tr("owner", m.lang)),
                Col("deadline", tr("deadline", m.lang)), Col("status", tr("task_status", m.lang))]
        rows = [{**t, "status": STATUSES.get(t["status"], t["status"])} for t in m.tasks]
        self.task_list.value = (f'<div class="za-card za-tasks"><h4>{escape(tr("measures", m.lang))}</h4>'
                                f'{table(rows, cols, empty=tr("no_measures", m.lang))}</div>')

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
                widget.value = value if isinstance(value, dt.date) else None
            elif key == "status":
                widget.value = value or "planned"
            else:
                widget.value = "" if value is None else str(value)

    def _save(self) -> None:
        values = {k: widget.value for k, widget in self.fields.items()}
        task = None if self.editing.value in (None, -1) else self.editing.value
        warning = None if self.warning.value in (None, -1) else self.warning.value
        if self.model.save_measure(values, warning=warning, task_id=task) is not None and task is None:
            self._sync = True
            self.editing.value = -1
            self._sync = False
            self._fill()

    # ---- report ---------------------------------------------------------------------------------
    def _build_report(self) -> None:
        self.fmt = w.Dropdown(options=[(label, key) for key, (label, _m) in REPORT_FORMATS.items()],
                              layout=w.Layout(width="200px"))
        self.make = button("", primary=True)
        self.make.add_class("za-make-report")
        self.make.on_click(lambda _b: self.model.start_report(self.fmt.value))
        self.job = JobView(self.model.report_job, self._report_link)
        self.report_note = w.HTML()
        bar = w.HBox([self.fmt, self.make])
        bar.add_class("za-toolbar")
        self.report_box = w.VBox([self.report_note, bar, self.job.box])

    def _report_link(self, result: object) -> str:
        if not isinstance(result, ReportFile):
            return ""
        return (message(tr("report_ready", self.model.lang), "ok")
                + download_link(result.data, result.name, result.mime, tr("download", self.model.lang)))

    # ---- language -------------------------------------------------------------------------------
    def _relabel(self, _change: object = None) -> None:
        lang = self.model.lang
        self.school.description, self.year.description = tr("school", lang), tr("year", lang)
        self.program.description = tr("program", lang)
        self.refresh.description = tr("refresh", lang)
        self.tabs.titles = tuple(tr(k, lang) for k in ("board", "detail", "measures", "report"))
        self.indicator.description = tr("indicator", lang)
        self.mark.description, self.add_comment.description = tr("mark_follow", lang), tr("add_comment", lang)
        self.comment.placeholder = tr("comment", lang)
        for key, label in self.labels.items():
            text = {"warning": "measure_for", "editing": "edit_measure", "status": "task_status"}.get(key, key)
            label.value = f"<b>{escape(tr(text, lang))}</b>"
        self.save.description, self.make.description = tr("save", lang), tr("make_report", lang)
        self.fmt.description = tr("report_format", lang)
        self.report_note.value = f'<div class="za-muted">{escape(tr("report", lang))}</div>'
        self._options()
        self._render()
