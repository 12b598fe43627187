"""The charts of the reports, as SVG (:mod:`.svg`), drawn once per report and shared by every format.

HTML and PDF embed the SVG; Word gets PNG images rasterised from the same SVG
(:meth:`diagnostics.reports.browser.Browser.snapshots`).  Lines carry markers and every series
is named in a legend, so a chart printed in black and white still reads.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..palette import PALETTE, SERIES
from .model import IndicatorRow
from .svg import Canvas, Panel, Scale, domain, legend, nice_ticks, tick_label, wrap

WIDTH = 640  # CSS px: the text width of an A4 page with 18 mm margins is about 660 px
PANEL_H = 185
SHAPES = ("circle", "square", "triangle", "diamond")


def year_label(year: int) -> str:
    """An academic year on an axis: 2020–21 (the axis is titled 学年)."""
    return f"{year}–{(year + 1) % 100:02d}"


def _unit(unit: str, lang: str = "zh") -> str:
    if unit in ("", "1"):
        return ""
    return f" ({unit})" if lang == "en" else f"（{unit}）"


TREND_EN = {"历年趋势与同类院校比较": "Over the years, beside peer schools", "本校": "This school",
            "中位数": " median", "四分位区间": " interquartile range", "合格标准": "Qualifying standard",
            "学校目标": "School target", "合格": "qualifying", "目标": "target", "横轴：学年": "x axis: academic year"}


def trend_chart(rows: Sequence[IndicatorRow], peer_label: str = "同类院校", lang: str = "zh") -> str | None:
    """Small multiples: the school's value over the years beside the peers' median and quartiles,
    with the 合格 line and the school's target where they apply; every word in ``lang`` (zh, en)."""

    def say(zh: str) -> str:
        return TREND_EN[zh] if lang == "en" else zh

    rows = [r for r in rows if any(p.value is not None for p in r.trend)]
    if not rows:
        return None
    cols = 2 if len(rows) > 1 else 1
    n_rows = (len(rows) + cols - 1) // cols
    canvas = Canvas(WIDTH, 28 + PANEL_H * n_rows, say("历年趋势与同类院校比较"))
    entries = [(say("本校"), PALETTE["school"], "circle", ""), (peer_label + say("中位数"), PALETTE["peer"], "square", "5 3"),
               (peer_label + say("四分位区间"), PALETTE["band"], "band", "")]
    if any(r.qualified is not None for r in rows):
        entries.append((say("合格标准"), PALETTE["standard"], "line", "2 3"))
    if any(r.target is not None for r in rows):
        entries.append((say("学校目标"), PALETTE["target"], "line", "7 3 2 3"))
    legend(canvas, 4, 14, entries)
    width = WIDTH / cols
    for n, row in enumerate(rows):
        years = [p.year for p in row.trend]
        own = [p.value for p in row.trend]
        med, q1, q3 = ([getattr(p, k) for p in row.trend] for k in ("peer_median", "peer_q1", "peer_q3"))
        lines = [v for v in (row.qualified, row.target) if v is not None]
        panel = Panel(canvas, (n % cols) * width, 28 + (n // cols) * PANEL_H, width - 12, PANEL_H - 6,
                      row.name + _unit(row.unit, lang), domain(own, [*med, *q1, *q3, *lines]),
                      (min(years), max(years)) if len(years) > 1 else (years[0] - 1, years[0] + 1))
        panel.band(years, q1, q3, PALETTE["band"])
        panel.series(years, med, PALETTE["peer"], dash="5 3", shape="square", width=1.4)
        panel.series(years, own, PALETTE["school"], width=2.2)
        if row.qualified is not None:
            panel.hline(row.qualified, PALETTE["standard"], "2 3", say("合格"))
        if row.target is not None:
            panel.hline(row.target, PALETTE["target"], "7 3 2 3", say("目标"))
        panel.x_labels(years, [year_label(y) for y in years])
    canvas.text(WIDTH - 2, 14, say("横轴：学年"), size=9, anchor="end", colour="#555")
    return canvas.svg()


def box_by_group(groups: dict[str, dict[str, list[float]]], title: str, unit: str,
                 standard: float | None = None) -> str | None:
    """Horizontal box plots (quartiles, whiskers to the extremes): one panel per level, one box per city."""
    panels = {k: {c: sorted(v) for c, v in g.items() if v} for k, g in groups.items()}
    panels = {k: g for k, g in panels.items() if g}
    if not panels:
        return None
    n_max = max(len(g) for g in panels.values())
    height = 66 + 22 * n_max  # title, level, boxes, tick labels
    canvas = Canvas(WIDTH, height, title)
    canvas.text(0, 14, title + _unit(unit), size=11, weight="bold")
    width = WIDTH / len(panels)
    for k, (level, cities) in enumerate(panels.items()):
        x0 = k * width
        everything = [v for vs in cities.values() for v in vs] + ([standard] if standard is not None else [])
        ticks = nice_ticks(min(everything), max(everything))
        left, right = x0 + 62, x0 + width - 14
        xs = Scale((ticks[0], ticks[-1]), (left, right))
        canvas.text(x0, 34, level, size=10, weight="bold")
        bottom = 44 + 22 * len(cities)
        for t in ticks:
            canvas.line([(xs(t), 40), (xs(t), bottom)], PALETTE["grid"], 0.8)
            canvas.text(xs(t), bottom + 12, tick_label(t), size=8.5, anchor="middle", colour="#555")
        for i, (city, vals) in enumerate(cities.items()):
            y = 50 + 22 * i
            q1, med, q3 = (_quantile(vals, q) for q in (0.25, 0.5, 0.75))
            canvas.text(left - 6, y + 4, wrap(city, 5)[0], size=9, anchor="end")
            canvas.line([(xs(vals[0]), y), (xs(vals[-1]), y)], PALETTE["peer"], 1.2)
            canvas.rect(xs(q1), y - 7, xs(q3) - xs(q1), 14, PALETTE["band"], PALETTE["school"])
            canvas.line([(xs(med), y - 7), (xs(med), y + 7)], PALETTE["school"], 2.4)
            canvas.text(right + 2, y + 4, f"n={len(vals)}", size=8, colour="#555")
        if standard is not None:
            canvas.line([(xs(standard), 40), (xs(standard), bottom)], PALETTE["standard"], 1.3, "2 3")
            canvas.text(xs(standard) + 2, 44, "合格", size=8.5, colour=PALETTE["standard"])
    return canvas.svg()


def _quantile(sorted_values: list[float], q: float) -> float:
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def median_trends(series: dict[str, dict[str, list[tuple[int, float]]]], units: dict[str, str]) -> str | None:
    """Small multiples of province medians over the years: one panel per indicator, one line per level."""
    if not series:
        return None
    levels = list(dict.fromkeys(level for s in series.values() for level in s))
    n_rows = (len(series) + 1) // 2
    canvas = Canvas(WIDTH, 28 + PANEL_H * n_rows, "全省中位数趋势")
    legend(canvas, 4, 14, [(f"{lv}中位数", SERIES[k % len(SERIES)], SHAPES[k % 4], "")
                           for k, lv in enumerate(levels)])
    for n, (name, by_level) in enumerate(series.items()):
        points = [p for pts in by_level.values() for p in pts]
        if not points:
            continue
        years = sorted({int(y) for y, _ in points})
        panel = Panel(canvas, (n % 2) * WIDTH / 2, 28 + (n // 2) * PANEL_H, WIDTH / 2 - 12, PANEL_H - 6,
                      name + _unit(units.get(name, "")), domain([v for _, v in points]),
                      (years[0], years[-1]) if len(years) > 1 else (years[0] - 1, years[0] + 1))
        for k, level in enumerate(levels):
            pts = dict(by_level.get(level, []))
            panel.series(years, [pts.get(y) for y in years], SERIES[k % len(SERIES)], shape=SHAPES[k % 4])
        panel.x_labels(years, [year_label(y) for y in years])
    canvas.text(WIDTH - 2, 14, "横轴：学年", size=9, anchor="end", colour="#555")
    return canvas.svg()


def rank_intervals(names: list[str], ranks: list[int], low: list[int], high: list[int], title: str) -> str | None:
    """Each school's rank (dot) with its interval (bar), best at the top."""
    if not names:
        return None
    row_h = 17
    canvas = Canvas(WIDTH, 58 + row_h * len(names), title)
    canvas.text(0, 14, title, size=11, weight="bold")
    left, right = 190, WIDTH - 16
    top, bottom = 28, 32 + row_h * len(names)
    last = max(max(high), 2)
    xs = Scale((0.6, last + 0.4), (left, right))
    for t in nice_ticks(1, last):
        if 1 <= t <= last and float(t).is_integer():
            canvas.line([(xs(t), top), (xs(t), bottom)], PALETTE["grid"], 0.8)
            canvas.text(xs(t), bottom + 12, f"{t:g}", size=8.5, anchor="middle", colour="#555")
    for i, (name, r, lo, hi) in enumerate(zip(names, ranks, low, high)):
        y = top + 10 + row_h * i
        canvas.text(left - 8, y + 4, wrap(name, 14)[0], size=9, anchor="end")
        canvas.line([(xs(lo), y), (xs(hi), y)], PALETTE["peer"], 3)
        canvas.marker(xs(r), y, "circle", PALETTE["school"], 3.6)
    canvas.text(left, bottom + 26, "位次（第 1 位最好；圆点为位次，横条为位次区间）", size=9, colour="#555")
    return canvas.svg()
