"""Making report files: gather once, render to each requested format, write them to a folder.

>>> paths = build_school(StoreSource(engine), "S1", 2024, ["html", "pdf"], Path("out"))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .browser import Browser
from .city import CityReport, gather_city
from .excel import quality_workbook
from .html import city_figures, city_html, province_figures, province_html, school_figures, school_html
from .layout import Layout, load_layout
from .model import SchoolReport
from .province import ProvinceReport, gather_province
from .school import gather_school
from .source import ReportSource
from .word import school_docx

FORMATS = ("html", "pdf", "docx", "xlsx")
#: What ``report --all`` makes unless told otherwise: what a province files and archives (Word on request).
BATCH_DEFAULT = ("pdf", "xlsx")
SCHOOL_STEM = "自我诊断与改进工作报告"
PROVINCE_STEM = "全省职业教育质量报告"
CITY_STEM = "职业教育年度质量报告"
_UNSAFE = re.compile(r"[^\w\-]+")


@dataclass
class Built:
    """The files written for one report, and the seconds each step took."""

    paths: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def formats(text: str | Iterable[str]) -> list[str]:
    """``"html,pdf"`` → ``["html", "pdf"]``; unknown formats are an error."""
    items = [f.strip().lower() for f in (text.split(",") if isinstance(text, str) else text) if f.strip()]
    unknown = sorted(set(items) - set(FORMATS))
    if unknown or not items:
        raise ValueError(f"未知的格式 / unknown format(s): {', '.join(unknown) or '(none)'}; "
                         f"可选 / choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(items))


def safe_part(part: object) -> str:
    """One part of a file name from data: itself when it is letters, digits, ``_`` and ``-`` only,
    else its slug plus ``~`` and a short hash of the original, so that two ids never share a name
    (``A.B`` → ``A_B~…``, ``A_B`` → ``A_B``); no path separators, no dots."""
    text = str(part)
    slug = _UNSAFE.sub("_", text).strip("_") or "_"
    if slug == text:
        return slug
    return f"{slug[:80]}~{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def safe_stem(*parts: object) -> str:
    """A file name from parts that may come from data, one to one (see :func:`safe_part`)."""
    return "_".join(safe_part(p) for p in parts)


class _Clock:
    def __init__(self, built: Built) -> None:
        self.built, self.start = built, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.built.seconds[name] = self.built.seconds.get(name, 0.0) + now - self.start
        self.start = now


def _browser(browser: Browser | None, wanted: list[str]) -> object:
    needs = "pdf" in wanted or "docx" in wanted
    return Browser() if needs and browser is None else nullcontext(browser)


def write_school(report: SchoolReport, wanted: list[str], out_dir: Path, browser: Browser | None = None,
                 layout: Layout | None = None, built: Built | None = None) -> Built:
    """Render a gathered school report to the ``wanted`` formats in ``out_dir``."""
    built = built or Built()
    clock = _Clock(built)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / safe_stem(report.school.school_id, report.year, SCHOOL_STEM)
    figures = school_figures(report, (layout or load_layout()).school.trend_indicators)
    html = school_html(report, figures)
    clock.lap("html")
    if "html" in wanted:
        built.paths["html"] = _write(stem.with_suffix(".html"), html.encode("utf-8"))
    with _browser(browser, wanted) as b:
        if "pdf" in wanted or "docx" in wanted:
            b.load(html)
        if "pdf" in wanted:
            built.paths["pdf"] = _write(stem.with_suffix(".pdf"), b.print_pdf(report.outline()))
            clock.lap("pdf")
        if "docx" in wanted:  # the charts as PNG and the pages of the contents, from the page already open
            docx = school_docx(report, b.snapshots(list(figures)), b.pages(report.outline()))
            built.paths["docx"] = _write(stem.with_suffix(".docx"), docx)
            clock.lap("docx")
    if "xlsx" in wanted:
        path = out_dir / safe_stem(report.school.school_id, report.year, "质量年度报告数据表")
        built.paths["xlsx"] = _write(path.with_suffix(".xlsx"), quality_workbook(report))
        clock.lap("xlsx")
    return built


def build_school(source: ReportSource, school: str, year: int, wanted: list[str], out_dir: Path,
                 browser: Browser | None = None, layout: Layout | None = None,
                 generated_at: datetime | None = None) -> Built:
    """Gather the report of ``school`` for ``year`` and write it in the ``wanted`` formats."""
    built = Built()
    clock = _Clock(built)
    layout = layout or load_layout(source.models)
    report = gather_school(source, school, year, layout, generated_at)
    clock.lap("gather")
    return write_school(report, wanted, out_dir, browser, layout, built)


def _write_overview(render: Callable[[], str], outline: list, stem: Path, wanted: list[str], browser: Browser | None,
                    what: str) -> Built:
    """Write a report above a school (province, city) as HTML and PDF."""
    built = Built()
    clock = _Clock(built)
    unsupported = sorted(set(wanted) - {"html", "pdf"})
    if unsupported:
        raise ValueError(f"{what}只生成 html 和 pdf / the {what} report is made as html and pdf only, "
                         f"not {', '.join(unsupported)}")
    stem.parent.mkdir(parents=True, exist_ok=True)
    html = render()
    clock.lap("html")
    if "html" in wanted:
        built.paths["html"] = _write(stem.with_suffix(".html"), html.encode("utf-8"))
    if "pdf" in wanted:
        with _browser(browser, wanted) as b:
            built.paths["pdf"] = _write(stem.with_suffix(".pdf"), b.pdf(html, outline))
        clock.lap("pdf")
    return built


def write_province(report: ProvinceReport, wanted: list[str], out_dir: Path,
                   browser: Browser | None = None) -> Built:
    """Render the province report (HTML and PDF; other formats are not made for it)."""
    return _write_overview(lambda: province_html(report, province_figures(report)), report.outline(),
                           out_dir / safe_stem(report.year, PROVINCE_STEM), wanted, browser, "全省报告")


def write_city(report: CityReport, wanted: list[str], out_dir: Path, browser: Browser | None = None) -> Built:
    """Render a city report (HTML and PDF)."""
    return _write_overview(lambda: city_html(report, city_figures(report)), report.outline(),
                           out_dir / safe_stem(report.city, report.year, CITY_STEM), wanted, browser, "设区市报告")


def build_city(source: ReportSource, city: str, schools: object, year: int, wanted: list[str], out_dir: Path,
               browser: Browser | None = None, layout: Layout | None = None,
               generated_at: datetime | None = None) -> Built:
    """Gather the report of ``city`` (its ``schools``, as :meth:`Access.city_schools` gives them) and write it."""
    report = gather_city(source, city, schools, year, layout, generated_at)  # type: ignore[arg-type]
    return write_city(report, wanted, out_dir, browser)


def build_province(source: ReportSource, year: int, wanted: list[str], out_dir: Path,
                   browser: Browser | None = None, layout: Layout | None = None,
                   generated_at: datetime | None = None) -> Built:
    report = gather_province(source, year, layout, generated_at)
    return write_province(report, wanted, out_dir, browser)


def _write(path: Path, data: bytes) -> Path:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
