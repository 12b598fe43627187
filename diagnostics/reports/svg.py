"""A small SVG drawing kit for report charts: canvas, linear scales with round ticks, plot panels.

Report charts are written as SVG by hand: a report has a dozen charts and matplotlib needs
0.1–0.2 s of CPU for each, while these take a few milliseconds, print as vectors in the PDF and
use the document's CJK font (the SVG inherits the page's font).  Every text is escaped here, so a chart may carry names from data.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from html import escape

from ..palette import PALETTE

Point = tuple[float, float]


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering ``low``…``high`` (steps of 1, 2, 2.5 or 5 × 10ⁿ).

    >>> nice_ticks(12.3, 17.9)
    [12.0, 14.0, 16.0, 18.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high - low < 1e-12:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    if not math.isfinite(raw) or raw <= 0:  # near the largest float: no round steps
        return [float(low), float(high)]
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if not math.isfinite(high + 2 * step):
        return [float(low), float(high)]
    start = math.floor(low / step) * step
    ticks, value = [], float(start)
    while value < high + step * 0.999 and len(ticks) <= count + 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def tick_label(value: float) -> str:
    if abs(value) >= 10000:
        return f"{value / 10000:g}万"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


class Scale:
    """A linear map from data to pixels."""

    def __init__(self, domain: tuple[float, float], pixels: tuple[float, float]) -> None:
        self.d0, self.d1 = domain
        self.p0, self.p1 = pixels

    def __call__(self, value: float) -> float:
        span = (self.d1 - self.d0) or 1.0
        return self.p0 + (value - self.d0) / span * (self.p1 - self.p0)


class Canvas:
    """SVG elements in CSS pixels; :meth:`svg` wraps them in an ``<svg>`` element."""

    def __init__(self, width: float, height: float, label: str = "") -> None:
        self.width, self.height, self.label = width, height, label
        self.parts: list[str] = []

    def line(self, points: Sequence[Point], colour: str, width: float = 1.5, dash: str = "") -> None:
        if len(points) < 2:
            return
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="{width}"'
                          f' stroke-linejoin="round"{extra}/>')

    def polygon(self, points: Sequence[Point], fill: str) -> None:
        if len(points) >= 3:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            self.parts.append(f'<polygon points="{d}" fill="{fill}" stroke="none"/>')

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str = "none") -> None:
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
                          f'fill="{fill}" stroke="{stroke}"/>')

    def marker(self, x: float, y: float, shape: str, colour: str, size: float = 3.2) -> None:
        if shape == "square":
            self.rect(x - size, y - size, 2 * size, 2 * size, colour)
        elif shape == "diamond":
            self.polygon([(x, y - size * 1.3), (x + size * 1.3, y), (x, y + size * 1.3), (x - size * 1.3, y)], colour)
        elif shape == "triangle":
            self.polygon([(x, y - size * 1.3), (x + size * 1.2, y + size), (x - size * 1.2, y + size)], colour)
        else:
            self.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{colour}" stroke="white" '
                              f'stroke-width="0.8"/>')

    def text(self, x: float, y: float, text: str, size: float = 10, anchor: str = "start",
             colour: str = PALETTE["ink"], weight: str = "normal") -> None:
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                          f'fill="{colour}" font-weight="{weight}">{escape(text)}</text>')

    def svg(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
                f'width="{self.width:.0f}" height="{self.height:.0f}" role="img" aria-label="{escape(self.label)}">'
                + "".join(self.parts) + "</svg>")


LATIN_PER_CJK = 1.8  # Latin letters fit in the width of one CJK character, roughly


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` CJK characters' width: CJK text anywhere (it has no
    spaces), Latin text at its spaces."""
    if text.isascii():
        return textwrap.wrap(text, int(width * LATIN_PER_CJK), break_long_words=True) or [""]
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


class Panel:
    """A plot area on a canvas: title, y axis with grid, x categories (years) or a value axis."""

    def __init__(self, canvas: Canvas, x: float, y: float, w: float, h: float, title: str,
                 y_domain: tuple[float, float], x_domain: tuple[float, float], title_width: int = 22) -> None:
        self.c = canvas
        lines = wrap(title, title_width)[:2]
        for n, line in enumerate(lines):
            canvas.text(x, y + 11 + 13 * n, line, size=10.5, weight="bold")
        top = y + 13 * len(lines) + 8
        self.left, self.right, self.top, self.bottom = x + 42, x + w - 8, top, y + h - 20
        self.ticks = nice_ticks(*y_domain)
        self.y = Scale((self.ticks[0], self.ticks[-1]), (self.bottom, self.top))
        self.x = Scale(x_domain, (self.left + 10, self.right - 10))
        for t in self.ticks:
            py = self.y(t)
            canvas.line([(self.left, py), (self.right, py)], PALETTE["grid"], 0.8)
            canvas.text(self.left - 4, py + 3.5, tick_label(t), size=9, anchor="end", colour="#555")
        canvas.line([(self.left, self.bottom), (self.right, self.bottom)], "#888", 0.8)

    def x_labels(self, values: Sequence[float], labels: Sequence[str] | None = None) -> None:
        for n, v in enumerate(values):
            self.c.text(self.x(v), self.bottom + 13, labels[n] if labels else f"{v:g}", size=9, anchor="middle",
                        colour="#555")

    def series(self, xs: Sequence[float], ys: Sequence[float | None], colour: str, dash: str = "",
               shape: str = "circle", width: float = 1.8) -> None:
        """A line through the known points (a gap where a value is missing), with markers."""
        run: list[Point] = []
        for x, y in zip(xs, ys):
            if y is None or not math.isfinite(y):
                self.c.line(run, colour, width, dash)
                run = []
                continue
            run.append((self.x(x), self.y(y)))
        self.c.line(run, colour, width, dash)
        for x, y in zip(xs, ys):
            if y is not None and math.isfinite(y):
                self.c.marker(self.x(x), self.y(y), shape, colour)

    def band(self, xs: Sequence[float], low: Sequence[float | None], high: Sequence[float | None], fill: str) -> None:
        pts = [(x, lo, hi) for x, lo, hi in zip(xs, low, high) if lo is not None and hi is not None]
        if len(pts) >= 2:
            self.c.polygon([(self.x(x), self.y(hi)) for x, _, hi in pts]
                           + [(self.x(x), self.y(lo)) for x, lo, _ in reversed(pts)], fill)

    def hline(self, value: float, colour: str, dash: str, label: str) -> None:
        py = self.y(value)
        self.c.line([(self.left, py), (self.right, py)], colour, 1.3, dash)
        self.c.text(self.right, py - 3, label, size=8.5, anchor="end", colour=colour)


def legend(canvas: Canvas, x: float, y: float, entries: Sequence[tuple[str, str, str, str]]) -> None:
    """A one-line legend: (label, colour, kind, dash) with kind line | band | marker shape."""
    for label, colour, kind, dash in entries:
        if kind == "band":
            canvas.rect(x, y - 8, 18, 9, colour)
        else:
            canvas.line([(x, y - 3.5), (x + 18, y - 3.5)], colour, 1.8, dash)
            if kind not in ("line",):
                canvas.marker(x + 9, y - 3.5, kind, colour)
        canvas.text(x + 22, y, label, size=9.5)
        x += 22 + 10.5 * len(label) + 16


def domain(values: Sequence[float | None], extra: Sequence[float | None] = ()) -> tuple[float, float]:
    """The range covering the known values (0…1 when there are none)."""
    known = [v for v in [*values, *extra] if v is not None and math.isfinite(v)]
    return (min(known), max(known)) if known else (0.0, 1.0)
