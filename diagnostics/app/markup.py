"""HTML pieces the views put together: tables, sparklines, strip plots, download links.

Everything that comes from data or from a user is escaped here or by the caller before it is
placed in a cell marked ``raw``; numbers are formatted with :func:`diagnostics.reports.fmt.format_value`
so the dashboards show the digits the reports print.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..palette import PALETTE
from ..reports.svg import Canvas, Scale, nice_ticks, tick_label, wrap


@dataclass(frozen=True)
class Col:
    """A table column: ``key`` of the row mapping, heading, numeric alignment, raw HTML cells."""

    key: str
    label: str
    num: bool = False
    raw: bool = False


@dataclass(frozen=True)
class Td:
    """A cell of ready HTML with its own class (``html`` must be escaped by the caller)."""

    html: str
    cls: str = ""


def cell(value: object, col: Col) -> str:
    if isinstance(value, Td):
        return f'<td class="{escape(value.cls)}{" num" if col.num else ""}">{value.html}</td>'
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    body = text if col.raw else escape(text)
    return f'<td class="num">{body}</td>' if col.num else f"<td>{body}</td>"


def table(rows: Iterable[Mapping[str, object]], cols: Sequence[Col], empty: str = "", cls: str = "za-table",
          head_attrs: Callable[[Col], str] | None = None, row_attrs: Callable[[Mapping], str] | None = None,
          widths: Sequence[str] = ()) -> str:
    """An HTML table of ``rows``; ``empty`` (escaped) is shown when there is no row.

    ``widths`` (CSS widths, one per column) fixes the layout, so tables one under another align.
    """
    rows = list(rows)
    if not rows:
        return f'<div class="za-muted">{escape(empty)}</div>' if empty else ""
    heads = "".join(f'<th{" class=num" if c.num else ""}{head_attrs(c) if head_attrs else ""}>{escape(c.label)}</th>'
                    for c in cols)
    body = "".join(f"<tr{row_attrs(r) if row_attrs else ''}>" + "".join(cell(r.get(c.key), c) for c in cols)
                   + "</tr>" for r in rows)
    group = ("<colgroup>" + "".join(f'<col style="width:{escape(x)}">' for x in widths) + "</colgroup>"
             if widths else "")
    fixed = ' style="table-layout:fixed"' if widths else ""
    return (f'<table class="{escape(cls)}"{fixed}>{group}<thead><tr>{heads}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def chart(svg: str | None, factor: float = 1.0) -> str:
    """An SVG chart on a dashboard: drawn ``factor`` times its size (report charts are drawn for print,
    with 8.5–11 px text; on a screen every text is at least 12 px) in a box that scrolls sideways on a
    narrow screen instead of shrinking the text."""
    if not svg:
        return ""
    if factor != 1.0:
        head, rest = svg.split(">", 1)
        head = re.sub(r'(width|height)="([\d.]+)"', lambda m: f'{m.group(1)}="{float(m.group(2)) * factor:.0f}"', head)
        svg = head + ">" + rest
    return f'<div class="za-chart">{svg}</div>'


def _finite(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def sparkline(points: Sequence[tuple[int, float | None]], highlight: int | None = None,
              reference: float | None = None, width: int = 96, height: int = 24) -> str:
    """A small trend line (years on x); the ``highlight`` year is a dot, ``reference`` a dashed line."""
    known = [(y, float(v)) for y, v in points if v is not None and math.isfinite(float(v))]
    if len(known) < 2:
        return ""
    ys = _finite([v for _, v in known] + ([reference] if reference is not None else []))
    lo, hi = min(ys), max(ys)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    sy = Scale((lo - pad, hi + pad), (height - 3, 3))
    years = [y for y, _ in points]
    sx = Scale((min(years), max(years)), (3, width - 3))
    c = Canvas(width, height, "trend")
    if reference is not None:
        c.line([(3, sy(reference)), (width - 3, sy(reference))], PALETTE["standard"], 1, "2 2")
    c.line([(sx(y), sy(v)) for y, v in known], PALETTE["school"], 1.6)
    for y, v in known:
        if y == highlight:
            c.marker(sx(y), sy(v), "circle", PALETTE["school"], 2.6)
    return c.svg().replace("<svg ", '<svg class="za-spark" ', 1)


def strip_plot(groups: Mapping[str, Sequence[float]], mark: float | None, mark_label: str,
               lines: Sequence[tuple[float, str, str]] = (), width: int = 600, title: str = "") -> str:
    """Dots of the values of each group on one axis; ``mark`` (this school) as a large diamond.

    ``lines``: vertical reference lines ``(value, colour, label)`` (合格, median …), labelled above
    the rows.  Values only: no names, so a school sees its place among its peers without seeing them.
    """
    every = _finite([v for vs in groups.values() for v in vs] + [mark] + [v for v, _, _ in lines])
    if not every:
        return ""
    ticks = nice_ticks(min(every), max(every))
    row_h = 46
    top = (26 if title else 8) + 14 * max(len(lines), 1)
    height = top + row_h * max(len(groups), 1) + 26
    c = Canvas(width, height, title or mark_label)
    if title:
        c.text(0, 13, title, size=12, weight="bold")
    left, right = 90, width - 16
    sx = Scale((ticks[0], ticks[-1]), (left, right))
    bottom = top + row_h * max(len(groups), 1)
    for t in ticks:
        c.line([(sx(t), top), (sx(t), bottom)], PALETTE["grid"], 0.8)
        c.text(sx(t), bottom + 13, tick_label(t), size=12, anchor="middle", colour="#555")
    for n, (value, colour, label) in enumerate(lines):
        c.line([(sx(value), top - 4), (sx(value), bottom)], colour, 1.4, "3 3")
        anchor = "end" if sx(value) > (left + right) / 2 else "start"
        c.text(sx(value) + (-3 if anchor == "end" else 3), top - 6 - 14 * n, label, size=12, anchor=anchor,
               colour=colour)
    for i, (name, values) in enumerate(groups.items()):
        y = top + row_h * i + row_h / 2
        label = wrap(name, 7)[:2]  # a long (English) group name on two lines
        for k, line in enumerate(label):
            c.text(left - 8, y + 4 + 14 * (k - (len(label) - 1) / 2), line, size=12, anchor="end")
        for k, v in enumerate(sorted(_finite(values))):
            c.marker(sx(v), y + ((k % 5) - 2) * 3.5, "circle", PALETTE["peer"], 3)
        if mark is not None and math.isfinite(mark) and i == 0:
            c.marker(sx(mark), y, "diamond", PALETTE["school"], 5.5)
            c.text(sx(mark), y + 22, mark_label, size=12, anchor="middle", colour=PALETTE["school"], weight="bold")
    return c.svg()


def scatter(points: Sequence[tuple[float, float, str]], x_label: str, y_label: str, width: int = 460,
            height: int = 300, axis: tuple[str, str] = ("", "")) -> str:
    """A scatter plot of ``(x, y, group)`` points; groups get their own marker shape."""
    pts = [(x, y, g) for x, y, g in points if math.isfinite(x) and math.isfinite(y)]
    if len(pts) < 2:
        return ""
    xt, yt = nice_ticks(min(p[0] for p in pts), max(p[0] for p in pts)), nice_ticks(
        min(p[1] for p in pts), max(p[1] for p in pts))
    c = Canvas(width, height, f"{x_label} × {y_label}")
    left, right, top, bottom = 56, width - 12, 44, height - 40  # the y title and the legend above the plot
    sx, sy = Scale((xt[0], xt[-1]), (left, right)), Scale((yt[0], yt[-1]), (bottom, top))
    for t in xt:
        c.line([(sx(t), top), (sx(t), bottom)], PALETTE["grid"], 0.8)
        c.text(sx(t), bottom + 13, tick_label(t), size=12, anchor="middle", colour="#555")
    for t in yt:
        c.line([(left, sy(t)), (right, sy(t))], PALETTE["grid"], 0.8)
        c.text(left - 4, sy(t) + 3, tick_label(t), size=12, anchor="end", colour="#555")
    shapes = {g: s for g, s in zip(dict.fromkeys(p[2] for p in pts), ("circle", "square", "triangle", "diamond"))}
    colours = dict(zip(shapes, (PALETTE["school"], PALETTE["accent"], PALETTE["target"], PALETTE["peer"])))
    for x, y, g in pts:
        c.marker(sx(x), sy(y), shapes.get(g, "circle"), colours.get(g, PALETTE["peer"]), 3.2)
    c.text((left + right) / 2, height - 8, axis[0] + x_label, size=12, anchor="middle")
    c.text(4, 14, axis[1] + y_label, size=12)
    lx = left
    for g, s in shapes.items():
        c.marker(lx, 30, s, colours[g], 3.2)
        c.text(lx + 7, 34, g, size=12)
        lx += 14 + 13 * len(g) + 12
    return c.svg()


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """A link that saves ``data`` as ``filename`` (a ``data:`` URI: no file is served)."""
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return (f'<a class="za-open za-download" download="{escape(filename)}" href="{uri}">'
            f"⬇ {escape(label)}（{escape(filename)}，{len(data) / 1024:,.0f} KB）</a>")
