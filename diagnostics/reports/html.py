"""Self-contained HTML reports: Jinja2 templates (``templates/``), charts embedded as inline SVG.

Autoescaping is on for every template: a school called ``<script>alert(1)</script>`` is printed,
never run.  The page uses the system's CJK fonts (Noto Sans CJK SC on the server, YaHei or
PingFang on a reader's computer) and needs nothing from the network.  Running heads, the
footer (data version, generation time) and page numbers are CSS ``@page`` margin boxes, so a
reader printing the HTML gets them too, and their text is set in the document's own font.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..palette import CSS_FONT_STACK, STATUS
from ..warnings.verdict import SCOPE_ZH
from .city import CityReport
from .figures import box_by_group, median_trends, rank_intervals, trend_chart
from .fonts import FAMILY
from .layout import templates_dir
from .model import SchoolReport
from .province import ProvinceReport


@cache
def environment(folder: Path | None = None) -> Environment:
    """The one Jinja2 environment of the reports (autoescape on, undefined names are errors)."""
    env = Environment(loader=FileSystemLoader(str(folder or templates_dir())), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(zip=zip, font_stack=Markup(f'"{FAMILY}", {CSS_FONT_STACK}'), scope=SCOPE_ZH,
                       status_label=lambda key: STATUS[key].label if key in STATUS else str(key))
    env.filters["css_string"] = css_string
    return env


def css_string(text: object) -> Markup:
    """``text`` as a quoted CSS string: everything but letters and digits as six-digit hex escapes,
    so no text from data can end the string, the rule or the ``<style>`` element.

    >>> str(css_string('a"<b'))
    '"a\\\\000022\\\\00003cb"'
    """
    body = "".join(c if c.isalnum() else f"\\{ord(c):06x}" for c in str(text))
    return Markup(f'"{body}"')


def render(template: str, **context: object) -> str:
    """Render one of the report templates."""
    return environment(templates_dir()).get_template(template).render(**context)


def school_figures(report: SchoolReport, trend_indicators: int = 4) -> dict[str, str]:
    """The charts of a school report, SVG by key (``trend-<section anchor>``)."""
    out = {}
    for section in report.sections:
        svg = trend_chart(section.indicators[:trend_indicators], f"同类院校（{report.school.level}）")
        if svg:
            out[f"trend-{section.anchor}"] = svg
    return out


def inline(figures: dict[str, str]) -> dict[str, Markup]:
    """SVG charts for a template: their texts were escaped when they were drawn (:mod:`.svg`)."""
    return {k: Markup(v) for k, v in figures.items()}


def school_html(report: SchoolReport, figures: dict[str, str] | None = None) -> str:
    """The self-diagnosis report as one self-contained HTML page."""
    figures = school_figures(report) if figures is None else figures
    return render("school.html.j2", r=report, charts=inline(figures))


def write_html(html: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path



def province_figures(report: ProvinceReport) -> dict[str, str]:
    """The charts of the province report, SVG by key."""
    out = {f"box-{d.indicator_id}": box_by_group(d.values, d.name, d.unit, d.standard) for d in report.distributions}
    out["medians"] = median_trends(report.medians, report.median_units)
    for level, rows in report.rankings.items():
        out[f"rank-{level}"] = rank_intervals([r.name for r in rows], [r.rank for r in rows], [r.low for r in rows],
                                              [r.high for r in rows], f"{level}院校位次")
    return {k: v for k, v in out.items() if v}


def province_html(report: ProvinceReport, figures: dict[str, str] | None = None) -> str:
    """The province report as one self-contained HTML page."""
    figures = province_figures(report) if figures is None else figures
    return render("province.html.j2", r=report, charts=inline(figures))


def city_figures(report: CityReport) -> dict[str, str]:
    """The charts of a city report, SVG by key."""
    svg = median_trends(report.medians, report.median_units)
    return {"medians": svg} if svg else {}


def city_html(report: CityReport, figures: dict[str, str] | None = None) -> str:
    """The city report as one self-contained HTML page."""
    figures = city_figures(report) if figures is None else figures
    return render("city.html.j2", r=report, charts=inline(figures))
