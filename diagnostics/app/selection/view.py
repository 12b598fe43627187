"""Widgets of the selection page, linked to :class:`SelectionModel`."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..markup import Col, Td, table
from ..widgets import Shell
from .model import SelectionModel

TEXT: dict[str, tuple[str, str]] = {
    "year": ("学年", "Year"),
    "summary": ("{name}：前 {top} 名；名次区间 {level}（对所依据的记录重抽样 {b} 次）；权重在声明范围内变动 {d} 次。",
                "{name}: top {top}; {level} rank intervals ({b} bootstrap replicates of the records); weights "
                "drawn {d} times within their declared ranges."),
    "selected": ("入选名单", "Selected"),
    "eligible": ("全部符合条件的学校（得分、名次与名次区间）", "Every eligible school (score, rank, rank interval)"),
    "dependent": ("名次受权重影响的学校", "Schools whose place depends on the weights"),
    "dependent_note": ("权重在声明范围内变动时，这些学校有时入选、有时落选。", "Within the declared weight ranges these "
                       "schools are sometimes in the top, sometimes not."),
    "none_dependent": ("没有学校的入选与否取决于权重", "No school's place depends on the weights"),
    "ineligible": ("不符合遴选条件的学校", "Schools not eligible"),
    "none": ("无", "None"),
    "school": ("学校", "School"), "city": ("设区市", "City"), "level": ("层次", "Level"),
    "score": ("综合得分", "Score"), "rank": ("名次", "Rank"), "interval": ("90% 名次区间", "90% rank interval"),
    "p_top": ("入选概率（权重变动）", "P(top), weights varied"), "reason": ("原因", "Reason"),
    "band": ("名次区间图", "Interval"),
}


def tt(key: str, lang: str) -> str:
    pair = TEXT[key]
    return pair[1] if lang == "en" else pair[0]


def _band(low: int, rank: int, high: int, n: int) -> Td:
    """A small bar: the rank interval on 1…n, the rank as a dot (pure CSS, fits any width)."""
    n = max(n, 1)
    left, width, dot = (low - 1) / n * 100, max((high - low + 1) / n * 100, 1.5), (rank - 0.5) / n * 100
    return Td(f'<div class="za-band" title="{low}–{high}" style="position:relative;height:10px;min-width:60px;'
              f'background:#eef2f6;border-radius:5px"><div style="position:absolute;left:{left:.1f}%;'
              f'width:{width:.1f}%;top:0;bottom:0;background:#9bb7d4;border-radius:5px"></div>'
              f'<div style="position:absolute;left:{dot:.1f}%;top:1px;width:8px;height:8px;margin-left:-4px;'
              'background:#1f4e79;border-radius:50%"></div></div>')


class SelectionView:
    """Year; the summary of the index; the selected, the weight-dependent, every eligible, the ineligible."""

    def __init__(self, model: SelectionModel) -> None:
        self.model = model
        self.shell = Shell(model, "app_select", "app_select_sub")
        self.year = w.Dropdown(options=[(f"{y}–{y + 1}", y) for y in model.years], value=model.year or None,
                               layout=w.Layout(width="170px"), style={"description_width": "initial"})
        self.year.add_class("za-year")
        self.year.observe(lambda c: setattr(self.model, "year", int(c["new"])) if c["new"] else None, "value")
        self.out = w.HTML()
        body = w.VBox([self.year, self.out])
        body.add_class("za-selection")
        self.shell.body.children = [body]
        self.root = self.shell.root
        model.observe(lambda _c: self.show(), ["lang", "version"])
        self.show()

    def _rows(self, frame: object, lang: str, n: int) -> list[dict]:
        rows = []
        for r in frame.to_dict("records"):  # type: ignore[attr-defined]
            ranked = r["rank"] is not None and r["rank"] == r["rank"]
            rows.append({"school": f"{r['name']}（{r['school_id']}）", "city": r["city"], "level": r["level"],
                         "score": f"{r['score']:.3f}" if ranked else "", "rank": int(r["rank"]) if ranked else "",
                         "interval": f"{int(r['rank_low'])}–{int(r['rank_high'])}" if ranked else "",
                         "band": _band(int(r["rank_low"]), int(r["rank"]), int(r["rank_high"]), n) if ranked else "",
                         "p_top": f"{100 * r['p_top']:.0f}%" if ranked else "",
                         "reason": r["reason_en"] if lang == "en" else r["reason_zh"]})
        return rows

    def show(self) -> None:
        m, lang = self.model, self.model.lang
        self.year.description = tt("year", lang)
        if m.spec is None or m.frame.empty:
            self.out.value = ""
            return
        spec, n = m.spec, len(m.eligible())
        name = spec.name_en if lang == "en" else spec.name_zh
        summary = tt("summary", lang).format(name=name, top=m.top, level=f"{spec.interval:.0%}", b=spec.bootstrap,
                                             d=spec.weight_draws)
        ranked = [Col("rank", tt("rank", lang), num=True), Col("school", tt("school", lang)),
                  Col("city", tt("city", lang)), Col("score", tt("score", lang), num=True),
                  Col("interval", tt("interval", lang), num=True), Col("band", tt("band", lang)),
                  Col("p_top", tt("p_top", lang), num=True)]
        parts = [f'<div class="za-muted za-select-summary">{escape(summary)}</div>']
        for key, frame, cls, empty in (("selected", m.selected(), "za-select-top", "none"),
                                       ("dependent", m.weight_dependent(), "za-select-weights", "none_dependent"),
                                       ("eligible", m.eligible(), "za-select-all", "none")):
            note = f'<div class="za-muted">{escape(tt("dependent_note", lang))}</div>' if key == "dependent" else ""
            parts.append(f"<h4>{escape(tt(key, lang))}</h4>{note}<div class=\"za-wide\">"
                         + table(self._rows(frame, lang, n), ranked, empty=tt(empty, lang), cls=f"za-table {cls}")
                         + "</div>")
        reasons = [Col("school", tt("school", lang)), Col("city", tt("city", lang)), Col("reason", tt("reason", lang))]
        parts.append(f"<h4>{escape(tt('ineligible', lang))}</h4><div class=\"za-wide\">"
                     + table(self._rows(m.ineligible(), lang, n), reasons, empty=tt("none", lang),
                             cls="za-table za-select-out") + "</div>")
        self.out.value = "".join(parts)
