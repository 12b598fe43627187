"""Widgets of the indicator explorer, linked to :class:`ExplorerModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from ...palette import PALETTE
from ...reports.fmt import DIRECTION_LABELS, format_value
from ..i18n import item_name, level_name, pick, tr, unit_text
from ..markup import Col, chart, scatter, strip_plot, table
from ..theme import level_html
from ..widgets import JobView, Shell, button
from .model import ExplorerModel
from .words import KINDS, LAYERS, MISSING, YEARS, word

TABS = ("definition", "dist", "correlation", "new_yaml")
PAGES = ("definition", "distribution", "correlation")


class ExplorerView:
    def __init__(self, model: ExplorerModel) -> None:
        self.model = model
        self._sync = False
        self.shell = Shell(model, "app_explorer", "app_explorer_sub")
        wide = {"description_width": "initial"}
        self.item = w.Dropdown(layout=w.Layout(width="260px"), style=wide)
        self.search = w.Text(layout=w.Layout(width="200px"))
        self.year = w.Dropdown(layout=w.Layout(width="180px"), style=wide)
        self.list = w.Select(layout=w.Layout(width="300px", height="520px"))
        self.compare = w.Dropdown(layout=w.Layout(width="360px"), style=wide)
        self.year.add_class("za-year")
        self.list.add_class("za-indicators")
        for widget in (self.item, self.search, self.year, self.list, self.compare):
            widget.observe(self._chosen, "value")
        self.pages = [w.HTML() for _ in TABS[:3]]
        self.yaml = w.Textarea(value=model.yaml_text, layout=w.Layout(width="100%", height="300px"))
        self.yaml.add_class("za-yaml")
        self.check = button("")
        self.check.on_click(lambda _b: self._check())
        self.run = button("", primary=True)
        self.run.add_class("za-trial")
        self.run.on_click(lambda _b: model.start_trial(self.yaml.value))
        self.issues = w.HTML()
        self.job = JobView(model.trial_job, self._trial_result)
        trial = w.VBox([self.yaml, w.HBox([self.check, self.run]), self.issues, self.job.box])
        self.tabs = w.Tab(children=[self.pages[0], self.pages[1], w.VBox([self.compare, self.pages[2]]), trial])
        self.tabs.observe(lambda _c: self._draw(), "selected_index")
        bar = w.HBox([self.item, self.search, self.year])
        bar.add_class("za-toolbar")
        main = w.HBox([self.list, self.tabs])
        self.tabs.layout.width = "calc(100% - 310px)"
        self.shell.body.children = [bar, main]
        model.observe(self._relabel, "lang")
        model.observe(lambda _c: self._issues(), "yaml_issues")
        self._relabel()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _chosen(self, _change: object) -> None:
        if self._sync:
            return
        m = self.model
        m.item, m.search, m.year = self.item.value or "", self.search.value, self.year.value
        if self.compare.value:
            m.compare = self.compare.value
        self._fill_list()
        if self.list.value:
            m.indicator = self.list.value
        self._draw()

    def _fill_list(self) -> None:
        m = self.model
        self._sync = True
        ids = m.indicator_ids()
        self.list.options = [(m.name(i), i) for i in ids]
        self.list.value = m.indicator if m.indicator in ids else (ids[0] if ids else None)
        self._sync = False

    def _relabel(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self._sync = True
        self.item.description, self.year.description = tr("filter_item", lang), tr("year", lang)
        self.compare.description, self.search.placeholder = tr("vs", lang), tr("search", lang).replace("学校", "指标")
        self.item.options = [(tr("all", lang), "")] + [(item_name(i, lang), i) for i in m.items()]
        self.item.value = m.item
        self.year.options, self.year.value = [(f"{y}–{y + 1}", y) for y in m.years], m.year or None
        self.compare.options = [(m.name(i), i) for i in m.models.indicators]
        self.compare.value = m.compare or None
        self.tabs.titles = tuple(tr(k, lang) for k in TABS)
        self.check.description, self.run.description = tr("check_yaml", lang), tr("compute_yaml", lang)
        self._sync = False
        self._fill_list()
        self._draw()

    def _draw(self) -> None:
        index = self.tabs.selected_index or 0
        if index < 3 and self.model.indicator:
            self.pages[index].value = f'<div class="za-card">{getattr(self, "_" + PAGES[index])()}</div>'

    # ---- pages ----------------------------------------------------------------------------------
    def _definition(self) -> str:
        m, lang = self.model, self.model.lang
        d = m.definition()
        direction = DIRECTION_LABELS.get(d["direction"], d["direction"]) if lang == "zh" else d["direction"]
        year, kind = d["period"].split("/")
        facts = [(tr("definition", lang), pick(d["definition_zh"], d["definition_en"], lang)),
                 (tr("formula", lang), d["formula"]), (tr("unit", lang), unit_text(d["unit"], lang)),
                 (tr("direction", lang), direction),
                 (tr("layers", lang), "、".join(word(LAYERS, x, lang) for x in d["layers"])),
                 (tr("items", lang), "、".join(item_name(i, lang) for i in d["items"])),
                 (tr("period", lang), f"{word(YEARS, year, lang)} · {word(KINDS, kind, lang)}"),
                 (tr("missing_rule", lang), word(MISSING, d["missing"], lang))]
        dl = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in facts)
        measures = table(d["measures"], [Col("name", tr("measure_col", lang)), Col("table", tr("table_col", lang)),
                                         Col("agg", tr("agg_col", lang)), Col("filter", tr("filter_col", lang)),
                                         Col("expr", tr("expr_col", lang))])
        stds = [{**s, "value": format_value(s["value"], d["unit"]),
                 "layers": "、".join(word(LAYERS, x, lang) for x in s["layers"].split("、") if x),
                 "source": s["source"] + (f" {s.get('article') or ''}" if s["verified"] else "")}
                for s in d["standards"]]
        standards = table(stds, [Col("level", tr("level", lang)), Col("value", tr("standard", lang), num=True),
                                 Col("school_levels", tr("school_level", lang)), Col("categories", tr("category", lang)),
                                 Col("layers", tr("layers", lang)), Col("source", tr("source", lang))],
                          empty="—")
        note = f"<div class='za-muted'>{escape(tr('reference_note', lang))}</div>" if any(
            not s["verified"] for s in d["standards"]) else ""
        return (f"<h3>{escape(pick(d['name_zh'], d['name_en'], lang))}</h3>"
                f"<table class='za-table za-facts'>{dl}</table><h4>{escape(tr('measures_used', lang))}</h4>"
                f"<div class='za-wide'>{measures}</div>"
                f"<h4>{escape(tr('standards', lang))}</h4><div class='za-wide'>{standards}</div>{note}")

    def _distribution(self) -> str:
        m, lang = self.model, self.model.lang
        v = m.values()
        if v.empty:
            return escape(tr("no_data", lang))
        groups = {str(k): g["value"].tolist() for k, g in v.groupby("school_level")}
        lines = [(float(x), PALETTE["standard"], f"{lv} 合格") for lv, x in
                 v.dropna(subset=["qualified"]).groupby("school_level")["qualified"].first().items()]
        svg = strip_plot(groups, None, "", lines, title=m.name(m.indicator))
        unit = m.models.indicators[m.indicator].unit
        rows = [{"name": r["name"], "city": r["city"],
                 "v": f'<span class="za-v" data-school="{escape(str(r["school_id"]))}" data-raw="{r["value"]!r}">'
                      f'{escape(format_value(r["value"], unit))}</span>',
                 "level": level_html(str(r["level"] or ""), lang)} for r in v.sort_values("value").to_dict("records")]
        cols = [Col("name", tr("school", lang)), Col("city", tr("city", lang)), Col("v", tr("value", lang), num=True, raw=True),
                Col("level", tr("level", lang), raw=True)]
        return f"{svg}<div class='za-scroll' style='max-height:320px'>{table(rows, cols)}</div>"

    def _correlation(self) -> str:
        m, lang = self.model, self.model.lang
        corr = m.correlations()
        rows = [{"name": m.name(r["indicator_id"]), "rho": f"{r['rho']:+.2f}",
                 "bar": f'<span style="display:inline-block;height:9px;width:{abs(r["rho"]) * 120:.0f}px;'
                        f'background:{PALETTE["school"] if r["rho"] > 0 else PALETTE["accent"]}"></span>',
                 "n": r["n"]} for r in corr.to_dict("records")]
        cols = [Col("name", tr("indicator", lang)), Col("rho", tr("rank_corr", lang), num=True),
                Col("bar", "", raw=True), Col("n", tr("schools_n", lang), num=True)]
        pairs = m.pairs()
        svg = scatter([(float(x), float(y), level_name(str(g), lang)) for x, y, g in
                       zip(pairs["value_x"], pairs["value_y"], pairs["school_level"])],
                      m.name(m.indicator), m.name(m.compare), axis=(tr("x_axis", lang), tr("y_axis", lang))) \
            if len(pairs) else ""
        return f"<div class='za-grid2'><div class='za-wide'>{table(rows, cols)}</div>{chart(svg)}</div>"

    def _check(self) -> None:
        self.model.check_yaml(self.yaml.value)

    def _issues(self) -> None:
        m, lang = self.model, self.model.lang
        rows = [{**i, "message": pick(i["message_zh"], i["message_en"], lang)} for i in m.yaml_issues]
        rows = [{**r, "level": tr("issue_" + str(r["level"]), lang)} for r in rows]
        self.issues.value = table(rows, [Col("level", tr("issue_level", lang)), Col("key", tr("where", lang)),
                                         Col("message", tr("message", lang))], cls="za-table za-yaml-issues")
        if m.yaml_errors:
            self.job.result.value = ""  # a failed check leaves no earlier results on screen

    def _trial_result(self, values: object) -> str:
        m, lang = self.model, self.model.lang
        if not isinstance(values, pd.DataFrame):
            return ""
        school = values[values["layer"] == "school"]
        unit = m.trial.models.indicators[m.trial.new_ids[0]].unit if m.trial and m.trial.new_ids else ""
        new = m.trial.models.indicators[m.trial.new_ids[0]] if m.trial and m.trial.new_ids else None
        target = next((s.value for s in (new.standards if new else ()) if s.level == "目标"), None)
        higher = new is None or new.higher_is_better
        names = {i: (x.name_en if lang == "en" else x.name_zh) for i, x in m.trial.models.indicators.items()} \
            if m.trial else {}
        met = ("达成", "未达成") if lang == "zh" else ("met", "not met")
        rows = [{"name": r["name"], "ind": names.get(r["indicator_id"], r["indicator_id"]),
                 "v": format_value(r["value"], unit), "level": level_html(str(r["level"] or ""), lang),
                 "target": "—" if target is None or r["value"] != r["value"] else
                 met[0 if (r["value"] >= target if higher else r["value"] <= target) else 1]}
                for r in school.to_dict("records")]
        cols = [Col("name", tr("school", lang)), Col("ind", tr("indicator", lang)),
                Col("v", tr("value", lang), num=True), Col("level", tr("level", lang), raw=True),
                Col("target", tr("target_met", lang))]
        levels = school["school_id"].map(dict(zip(m.data.schools["school_id"], m.data.schools["level"])))
        groups = {str(k): g.dropna().tolist() for k, g in school["value"].groupby(levels.fillna("—"))}
        lines = [(s.value, PALETTE["standard"], f"{'、'.join(s.school_levels) or ''} {s.level}".strip())
                 for s in (new.standards if new else ()) if s.level == "合格"]
        if target is not None:
            lines.append((target, PALETTE["target"], "目标" if lang == "zh" else "target"))
        svg = strip_plot(groups, None, "", lines)
        return (f"<h4>{escape(tr('trial_values', lang))} · {len(school)}</h4>{svg}"
                f"<div class='za-scroll za-trial-values' style='max-height:320px'>{table(rows, cols)}</div>")
