"""Widgets of the province monitor, linked to :class:`ProvinceModel`; only the open tab is drawn."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from ...reports.figures import median_trends, rank_intervals
from ...reports.fmt import format_value
from ..i18n import level_name, tr, unit_text
from ..markup import Col, Td, chart, download_link, table
from ..theme import LEVEL_STATUS, badge
from ..widgets import ClickBridge, Shell, button
from .export import status_text
from .model import ProvinceModel

TABS = ("table", "heatmap", "cards", "ranking", "rollup", "medians")
CARD_STATUS = {"红牌": "red", "黄牌": "yellow"}


class ProvinceView:
    def __init__(self, model: ProvinceModel) -> None:
        self.model = model
        self._sync = False
        self.shell = Shell(model, "app_province", "app_province_sub")
        self.bridge = ClickBridge(self._clicked)
        wide = {"description_width": "initial"}
        self.year = w.Dropdown(layout=w.Layout(width="180px"), style=wide)
        self.level = w.Dropdown(layout=w.Layout(width="170px"), style=wide)
        self.city = w.Dropdown(layout=w.Layout(width="200px"), style=wide)
        self.search = w.Text(layout=w.Layout(width="220px"), continuous_update=False)
        self.indicators = w.SelectMultiple(layout=w.Layout(width="100%", height="170px"), style=wide)
        self.picker = w.Accordion(children=[self.indicators], selected_index=None, layout=w.Layout(width="100%"))
        self.year.add_class("za-year")
        self.export = button("")
        self.export.on_click(lambda _b: self._export())
        self.download = w.HTML()
        self.refresh = button("")
        self.refresh.on_click(lambda _b: self._reload())
        for widget in (self.year, self.level, self.city, self.search, self.indicators):
            widget.observe(self._chosen, "value")
        bar = w.VBox([w.HBox([self.year, self.level, self.city, self.search, self.export, self.refresh],
                             layout=w.Layout(flex_flow="row wrap")), self.picker, self.download])
        bar.add_class("za-toolbar")
        self.pages = [w.HTML() for _ in TABS]
        self.tabs = w.Tab(children=self.pages)
        self.tabs.observe(lambda _c: self._draw(), "selected_index")
        self.shell.body.children = [bar, self.tabs, self.bridge.box]
        model.observe(self._draw, "version")
        model.rank_job.observe(self._ranked, "state")
        model.observe(self._relabel, "lang")
        self._relabel()

    @property
    def root(self) -> w.Widget:
        return self.shell.root

    def _chosen(self, _change: object) -> None:
        if self._sync:
            return
        m = self.model
        with m.hold_trait_notifications():
            m.year, m.level, m.city = self.year.value, self.level.value or "", self.city.value or ""
            m.search, m.indicators = self.search.value, list(self.indicators.value) or m.indicators

    def _reload(self) -> None:
        m = self.model
        with m.guarded(tr("refresh", m.lang) + " ✓"):
            m.reload()
            m.version += 1

    def _clicked(self, key: str) -> None:
        self.model.sort(key)

    def _relabel(self, _change: object = None) -> None:
        m, lang = self.model, self.model.lang
        self._sync = True
        self.year.description, self.level.description = tr("year", lang), tr("school_level", lang)
        self.city.description, self.search.placeholder = tr("city", lang), tr("search", lang)
        self.indicators.tooltip = tr("multi_hint", lang)
        self.picker.titles = (f"{tr('choose_indicators', lang)}（{len(m.indicators)}）· {tr('multi_hint', lang)}",)
        self.export.description, self.refresh.description = tr("export", lang), tr("refresh", lang)
        self.year.options, self.year.value = [(f"{y}–{y + 1}", y) for y in m.years], m.year
        self.level.options = [(tr("all", lang), "")] + [(level_name(x, lang), x) for x in m.levels()]
        self.city.options = [(tr("all", lang), "")] + [(x, x) for x in m.cities()]
        self.level.value, self.city.value = m.level, m.city
        self.indicators.options = m.indicator_options()
        self.indicators.value = tuple(i for i in m.indicators if i in dict(map(reversed, self.indicators.options)))
        self.tabs.titles = tuple(tr(k, lang) for k in TABS)
        self._sync = False
        self._draw()

    # ---- drawing --------------------------------------------------------------------------------
    def _draw(self, _change: object = None) -> None:
        index = self.tabs.selected_index or 0
        page = getattr(self, f"_{TABS[index]}")
        self.pages[index].value = f'<div class="za-card za-page-{TABS[index]}">{page()}</div>'

    def _head(self, col: Col) -> str:
        m = self.model
        arrow = (" ▼" if m.descending else " ▲") if col.key == m.sort_by else ""
        return f' class="za-sortable{" num" if col.num else ""}"{self.bridge.attrs(col.key)} title="{arrow}"'

    def _named(self, indicator_id: str) -> str:
        m = self.model
        unit = unit_text(m.unit(indicator_id), m.lang)
        return f"{m.name(indicator_id)}（{unit}）" if m.lang == "zh" else f"{m.name(indicator_id)} ({unit})"

    def _table(self) -> str:
        m, lang = self.model, self.model.lang
        t = m.table()
        rows = []
        for r in t.to_dict("records"):
            row = {"name": Td(escape(r["name"]), "za-nowrap"), "level": level_name(r["level"], lang), "city": r["city"],
                   "status": badge(r["status"], lang, status_text(r["status"], lang)), "card": r["card"] or "—"}
            for i in m.indicators:
                row[i] = (f'<span class="za-v" data-school="{escape(r["school_id"])}" data-ind="{escape(i)}" '
                          f'data-raw="{r[i]!r}">{escape(format_value(r[i], m.unit(i)))}</span>')
            rows.append(row)
        cols = [Col("name", tr("school", lang), raw=True), Col("level", tr("school_level", lang)),
                Col("city", tr("city", lang)), Col("status", tr("status", lang), raw=True),
                Col("card", tr("card", lang)), *(Col(i, self._named(i), num=True, raw=True) for i in m.indicators)]
        count = tr("schools_shown", lang).format(n=len(rows))
        return (f'<div class="za-muted">{escape(count)}</div>'
                f'<div class="za-scroll za-province-box">'
                f'{table(rows, cols, head_attrs=self._head, cls="za-table za-province za-sticky")}</div>')

    def _heatmap(self) -> str:
        m, lang = self.model, self.model.lang
        t = m.table()
        symbols = {"合格": "●", "不合格": "▲", "限制招生": "■", "": "○"}
        rows = []
        for r in t.to_dict("records"):
            row = {"name": Td(escape(r["name"]), "za-nowrap")}
            for i in m.indicators:
                level = r.get(f"{i}__level")
                level = "" if level is None or (isinstance(level, float) and pd.isna(level)) else str(level)
                status = LEVEL_STATUS.get(level, "none")
                tip = escape(f"{r['name']} · {m.name(i)}：{format_value(r[i], m.unit(i))}")
                row[i] = Td(f'<span title="{tip}">{symbols.get(level, "○")}</span>', f"cell {status}")
            rows.append(row)
        cols = [Col("name", tr("school", lang), raw=True), *(Col(i, m.name(i), raw=True) for i in m.indicators)]
        return (f'<div class="za-muted">{escape(tr("legend_levels", lang))}</div>'
                f'<div class="za-scroll">{table(rows, cols, cls="za-table za-heat za-sticky")}</div>')

    def _cards(self) -> str:
        m, lang = self.model, self.model.lang
        c = m.cards()
        parts = []
        for card in ("红牌", "黄牌"):
            sub = c[c["card"] == card]
            rows = [{"name": r["name"], "city": r["city"], "reasons": r["reasons"]} for r in sub.to_dict("records")]
            cols = [Col("name", tr("school", lang)), Col("city", tr("city", lang)), Col("reasons", tr("message", lang))]
            label = {"红牌": "■ 红牌（暂停招生）", "黄牌": "▲ 黄牌（限制招生）"}[card] if lang == "zh" else \
                {"红牌": "■ Red card", "黄牌": "▲ Yellow card"}[card]
            parts.append(f"<h4>{badge(CARD_STATUS[card], lang, label)} {len(rows)}</h4>"
                         + table(rows, cols, empty=tr("no_cards", lang)))
        return "".join(parts)

    def _ranked(self, change: dict) -> None:
        if change["new"] == "done" and TABS[self.tabs.selected_index or 0] == "ranking":
            self._draw()

    def _ranking(self) -> str:
        m, lang = self.model, self.model.lang
        if not m.ranking_ready():
            m.start_ranking()
            return (f'<div class="za-msg info za-ranking-wait">{escape(tr("ranking", lang))}：'
                    f'{escape(tr("computing", lang))}</div>')
        parts = []
        for level, rows in m.ranking().items():
            names = [m.data.school_name(r.school_id) for r in rows]
            svg = rank_intervals(names, [r.rank for r in rows], [r.low for r in rows], [r.high for r in rows],
                                 f"{level_name(level, lang)} · {tr('ranking', lang)}")
            cols = [Col("rank", tr("rank", lang), num=True), Col("interval", tr("rank_interval", lang), num=True),
                    Col("name", tr("school", lang), raw=True), Col("light", tr("status", lang), raw=True),
                    Col("score", tr("composite", lang), num=True), Col("k", tr("n_indicators", lang), num=True)]
            tied = tr("tied", lang)
            data = [{"rank": f"{tied} {r.rank}" if r.tied > 1 else r.rank, "interval": f"{r.low}–{r.high}",
                     "name": Td(escape(n), "za-nowrap"), "light": badge(r.light or "none", lang),
                     "score": f"{r.score:.1f}", "k": r.indicators} for r, n in zip(rows, names)]
            basis = tr("ranking_basis", lang).format(n=len(m.ranking_indicators(level)))
            parts.append(f"<h4>{escape(level_name(level, lang))}</h4><div class='za-muted'>{escape(basis)}</div>"
                         f"{chart(svg, 1.4)}<div class='za-wide'>{table(data, cols, cls='za-table za-sticky')}</div>")
        return "".join(parts) if parts else escape(tr("no_data", lang))

    def _rollup(self) -> str:
        m, lang = self.model, self.model.lang
        roll = m.rollup()
        units = {i: m.data.models.indicators[i].unit for i in m.indicators if i in m.data.models.indicators}
        rows = [{**r, **{i: format_value(r[i], units.get(i, "")) for i in m.indicators}}
                for r in roll.to_dict("records")]
        rows = [{**r, **{k: int(r[k]) for k in ("schools", "red", "yellow", "cards")}} for r in rows]
        cols = [Col("city", tr("city", lang)), Col("schools", tr("schools_n", lang), num=True),
                Col("red", tr("red_schools", lang), num=True), Col("yellow", tr("yellow_schools", lang), num=True),
                Col("cards", tr("card", lang), num=True), *(Col(i, self._named(i), num=True) for i in m.indicators)]
        return f"<div class='za-wide'>{table(rows, cols, cls='za-table za-sticky')}</div>"

    def _medians(self) -> str:
        m, lang = self.model, self.model.lang
        med = m.medians()
        series: dict[str, dict[str, list[tuple[int, float]]]] = {}
        for r in med.itertuples(index=False):
            series.setdefault(m.name(r.indicator_id), {}).setdefault(r.school_level, []).append(
                (int(r.year), float(r.value)))
        units = {m.name(i): m.data.models.indicators[i].unit for i in m.indicators if i in m.data.models.indicators}
        wide = med.pivot_table(index=["indicator_id", "school_level"], columns="year", values="value").reset_index()
        years = [c for c in wide.columns if isinstance(c, int | float) and not isinstance(c, bool)]
        rows = [{"ind": self._named(r["indicator_id"]), "lv": level_name(r["school_level"], lang),
                 **{str(y): format_value(r[y], m.data.models.indicators[r["indicator_id"]].unit) for y in years}}
                for r in wide.to_dict("records")]
        cols = [Col("ind", tr("indicator", lang)), Col("lv", tr("school_level", lang)),
                *(Col(str(y), f"{int(y)}–{int(y) + 1}", num=True) for y in years)]
        return f"{chart(median_trends(series, units), 1.4)}<div class='za-wide'>{table(rows, cols, cls='za-table za-sticky')}</div>"

    def _export(self) -> None:
        m = self.model
        with m.guarded():
            data = m.export()
            self.download.value = download_link(data, f"全省监测_{m.year}.xlsx",
                                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                tr("download", m.lang))
