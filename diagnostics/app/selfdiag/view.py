"""Widgets of the self-diagnosis dashboard, linked to :class:`SelfDiagnosisModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import pick, tr
from ..markup import download_link
from ..theme import message
from ..widgets import ClickBridge, JobView, Shell, button
from .detail import detail_html
from .forms import MeasuresForm, NarrativesForm, TargetsForm
from .model import REPORT_FORMATS, ReportFile, SelfDiagnosisModel
from .render import board_html, program_overview_html, summary_html

BOARD, DETAIL, MEASURES, TARGETS, WRITING, REPORT = range(6)
TAB_KEYS = ("board", "detail", "measures", "targets_tab", "writing", "report")


class SelfDiagnosisView:
    """The page: choices, the verdict strip, and tabs for the board, the detail, the measures, the targets,
    the report's text and the report."""

    def __init__(self, model: SelfDiagnosisModel) -> None:
        self.model = model
        self._sync = False
        self.shell = Shell(model, "app_self", "app_self_sub")
        self.bridge = ClickBridge(self._pick)
        wide = {"description_width": "initial"}
        self.school = w.Dropdown(layout=w.Layout(width="360px"), style=wide)
        self.year = w.Dropdown(layout=w.Layout(width="200px"), style=wide)
        self.layer = w.ToggleButtons(style={"button_width": "76px"})
        self.program = w.Dropdown(layout=w.Layout(width="320px"), style=wide)
        self.refresh = button("")
        for name, widget in (("school", self.school), ("year", self.year), ("layer", self.layer),
                             ("program", self.program)):
            widget.add_class(f"za-{name}")
            widget.observe(self._chosen, "value")
        self.refresh.on_click(lambda _b: self._reload())
        bar = w.HBox([self.school, self.year, self.layer, self.program, self.refresh],
                     layout=w.Layout(flex_flow="row wrap"))
        bar.add_class("za-toolbar")
        self.only = w.Checkbox(indent=False, layout=w.Layout(width="auto"))
        self.only.add_class("za-only-warned")
        self.query = w.Text(continuous_update=False, layout=w.Layout(width="240px"))
        self.query.add_class("za-query")
        self.all_items = button("")
        self.all_items.on_click(lambda _b: self._focus(""))
        self.only.observe(lambda c: setattr(model, "only_warned", bool(c["new"])), "value")
        self.query.observe(lambda c: setattr(model, "query", c["new"]), "value")
        filters = w.HBox([self.only, self.query, self.all_items], layout=w.Layout(flex_flow="row wrap"))
        filters.add_class("za-toolbar")
        self.summary = w.HTML()
        self.overview = w.HTML()
        self.board = w.HTML()
        self.board.add_class("za-board")
        self._build_detail()
        self.measures = MeasuresForm(model)
        self.targets = TargetsForm(model)
        self.writing = NarrativesForm(model)
        self._build_report()
        self.tabs = w.Tab(children=[w.VBox([filters, self.overview, self.board]), self.detail_box,
                                    self.measures.box, self.targets.box, self.writing.box, self.report_box])
        self.tabs.observe(self._tab, "selected_index")
        self.shell.body.children = [bar, self.summary, self.tabs, self.bridge.box]
        model.observe(self._options, ["schools", "years", "programs"])
        model.observe(self._render, ["board", "only_warned", "query", "focus"])
        model.observe(self._relabel, "lang")
        model.observe(self.measures.tasks, "tasks")
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
            suffix = " 学年" if m.lang == "zh" else ""
            self.year.options = [(f"{y}–{y + 1}{suffix}", y) for y in m.years]
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

    def _focus(self, item: str) -> None:
        self.model.focus = item

    # ---- board ----------------------------------------------------------------------------------
    def _render(self, _change: object = None) -> None:
        m = self.model
        self._options()
        if m.board is None:
            self.summary.value = message(tr("no_data", m.lang), "info")
            self.board.value = self.overview.value = ""
            return
        self.summary.value = summary_html(m.board, m.lang, self.bridge.attrs, m.focus)
        self.all_items.layout.display = "" if m.focus else "none"
        self.board.value = board_html(m.board, m.lang, self.bridge.link, m.visible_items(), m.query)
        if m.layer == "program":
            rows, inds = m.program_overview()
            self.overview.value = program_overview_html(rows, inds, m.lang, self.bridge.link)
        else:
            self.overview.value = ""
        self._sync = True
        self.indicator.options = list(dict.fromkeys((pick(c.name_zh, c.name_en, m.lang), c.indicator_id)
                                                    for i in m.board.items for c in i.cells))
        self.indicator.value = m.indicator if m.board.cell(m.indicator) is not None else None
        self._sync = False
        self.measures.warnings()
        self._dirty = True
        if self.tabs.selected_index == DETAIL:
            self._show_detail()
        elif self.tabs.selected_index == TARGETS:
            self.targets.show()
        elif self.tabs.selected_index == WRITING:
            self.writing.show()

    def _pick(self, key: str) -> None:
        if key.startswith("item:"):
            self._focus(key[5:])
            return
        if key.startswith("program:"):
            self.model.choose(layer="program", program=key[8:])
            return
        self.model.indicator = key
        self.tabs.selected_index = DETAIL
        self._show_detail()

    def _tab(self, change: dict) -> None:
        if change["new"] == DETAIL and self._dirty:
            self._show_detail()
        elif change["new"] == TARGETS:
            self.targets.show()
        elif change["new"] == WRITING:
            self.writing.show()

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
        self.follow_bar = w.HBox([self.mark, self.comment_to, self.comment, self.add_comment],
                                 layout=w.Layout(flex_flow="row wrap"))
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
        records = ("", None)
        with m.guarded():
            records = m.records()
        self.detail.value = detail_html(d, m.lang, m.data.models.indicators.get(m.indicator), records)
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

    # ---- report ---------------------------------------------------------------------------------
    def _build_report(self) -> None:
        self.fmt = w.Dropdown(layout=w.Layout(width="200px"))
        self.make = button("", primary=True)
        self.make.add_class("za-make-report")
        self.make.on_click(lambda _b: self.model.start_report(self.fmt.value))
        self.job = JobView(self.model.report_job, self._report_link)
        self.report_note = w.HTML()
        bar = w.HBox([self.fmt, self.make], layout=w.Layout(flex_flow="row wrap"))
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
        self.only.description = tr("only_warned", lang)
        self.query.placeholder = tr("search_indicator", lang)
        self.all_items.description = tr("all_items", lang)
        self.tabs.titles = tuple(tr(k, lang) for k in TAB_KEYS)
        self.indicator.description = tr("indicator", lang)
        self.mark.description, self.add_comment.description = tr("mark_follow", lang), tr("add_comment", lang)
        self.comment.placeholder = tr("comment", lang)
        self.measures.relabel()
        self.make.description = tr("make_report", lang)
        self.fmt.description = tr("report_format", lang)
        keep = self.fmt.value or next(iter(REPORT_FORMATS))
        self.fmt.options = [(tr(f"format_{key}", lang), key) for key in REPORT_FORMATS]
        self.fmt.value = keep
        self.report_note.value = f'<div class="za-card za-muted">{escape(tr("report_intro", lang))}</div>'
        self._options()
        self._render()
