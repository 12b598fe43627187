"""Public disclosure (信息发布): a static site anyone can open from a folder, with no server.

``publish_site(source, schools, year, out)`` writes::

    index.html                 the province page: schools by city, the province medians, the reports
    schools/<id>.html          one page per school: its quality-report tables and key indicators by year
    reports/*.pdf              the province report and each city's report, as built from the public data

Everything comes from :class:`~diagnostics.reports.disclosure.PublicSource`: school-level indicator values
only, none computed from fewer than five people (the cell shows the mark and each page explains it);
no record of a student or a teacher, no warning's text.  The pages carry their CSS inline, link only to
files in the folder by relative paths, and load nothing from the network; :mod:`.sitecheck` proves the
first (``check_links``) and that no private token (a student key, an ID hash…) is in any file (``scan``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .browser import Browser
from .build import safe_stem, write_city, write_province
from .city import gather_city
from .disclosure import MARK, NOTE, PublicSource
from .fmt import NO_DATA, format_value, unit_label
from .html import render
from .layout import Layout, load_layout
from .model import QualityTable
from .province import LEVELS, gather_province, median_table
from .quality import quality_tables

SITE_TITLE = "职业教育质量信息公开"
GENERATOR = '<meta name="generator" content="zhengai-site">'  # marks a folder as a site publish may replace


@dataclass(frozen=True)
class KeyRow:
    name: str
    unit: str
    cells: tuple[str, ...]  # one per year of the site


@dataclass(frozen=True)
class SchoolPage:
    school_id: str
    name: str
    level: str
    city: str
    href: str  # from the site's root
    card: str = ""
    quality_title: str = ""
    tables: tuple[QualityTable, ...] = ()
    key_rows: tuple[KeyRow, ...] = ()
    withheld: bool = False


@dataclass
class Site:
    year: int
    years: list[int]
    generated: str
    cities: list[tuple[str, list[SchoolPage]]]
    median_rows: list[tuple[str, str, list[str]]]
    median_years: list[int]
    reports: list[tuple[str, str]] = field(default_factory=list)  # title, href from the root
    note: str = NOTE

    @property
    def academic_year(self) -> str:
        return f"{self.year}–{self.year + 1} 学年"

    @property
    def title(self) -> str:
        return f"{self.academic_year}{SITE_TITLE}"


def _marked(tables: list[QualityTable], withheld: set[tuple[int, str]]) -> tuple[tuple[QualityTable, ...], bool]:
    """The tables with each withheld cell showing :data:`MARK` instead of 数据暂缺."""
    out, any_mark = [], False
    for table in tables:
        rows = []
        for row in table.rows:
            texts = tuple(MARK if (y, row.indicator_id) in withheld else t for y, t in zip(table.years, row.texts))
            any_mark |= texts != row.texts
            rows.append(replace(row, texts=texts))
        out.append(replace(table, rows=tuple(rows)))
    return tuple(out), any_mark


def _school_page(public: PublicSource, school: pd.Series, year: int, years: list[int], card: str,
                 layout: Layout, keys: list[str]) -> SchoolPage:
    sid = str(school["school_id"])
    values = public.school_values(sid)
    values = values[values["layer"] == "school"]
    withheld = {(int(y), str(i)) for y, i, w in zip(values["year"], values["indicator_id"], values["withheld"]) if w}
    title, specs = layout.quality_for(str(school["level"] or ""))
    tables, marked = _marked(quality_tables(specs, values, year, public.models), withheld)
    lookup = {(int(y), str(i)): v for y, i, v in zip(values["year"], values["indicator_id"], values["value"])}
    rows = []
    for ind_id in keys:
        ind = public.models.indicators[ind_id]
        cells = tuple(MARK if (y, ind_id) in withheld else format_value(lookup.get((y, ind_id)), ind.unit, NO_DATA)
                      for y in years)
        marked |= MARK in cells
        rows.append(KeyRow(ind.name_zh, unit_label(ind.unit), cells))
    return SchoolPage(sid, str(school["name"]), str(school["level"] or ""), str(school["city"] or ""),
                      f"schools/{safe_stem(sid)}.html", card, title, tables, tuple(rows), marked)


def publish_site(source: object, schools: pd.DataFrame, year: int, out: Path, layout: Layout | None = None,
                 browser: Browser | None = None, generated_at: datetime | None = None) -> Site:
    """Write the public site of ``year`` for ``schools`` (every school, as :meth:`Access.public_schools`
    gives them) into ``out`` (emptied of a previous site first) and return what it holds."""
    public = PublicSource(source)
    layout = layout or load_layout(public.models)
    generated_at = generated_at or datetime.now().astimezone()
    schools = schools.astype({"school_id": str}).sort_values(["city", "level", "school_id"])
    _clear(out)
    for part in ("index.html", "schools", "reports"):
        target = out / part
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (out / "schools").mkdir(parents=True, exist_ok=True)
    values = public.province_values("school")
    years = sorted(int(y) for y in values["year"].unique() if int(y) <= year)
    keys = list(dict.fromkeys(i for i in (*layout.school.key_figures, *layout.province.key_indicators)
                              if i in public.models.indicators))
    own = Browser() if browser is None else None
    b = browser or own
    try:
        province = gather_province(public, year, layout, generated_at)
        reports = [(f"{province.academic_year}{province.title}（PDF）",
                    _rel(out, write_province(province, ["pdf"], out / "reports", b).paths["pdf"]))]
        cards = {name: card for name, _, card, _ in province.carded}
        cities = []
        for city, group in schools.groupby("city", sort=True):
            report = gather_city(public, str(city), schools, year, layout, generated_at)
            path = write_city(report, ["pdf"], out / "reports", b).paths["pdf"]
            reports.append((f"{report.academic_year}{report.title}（PDF）", _rel(out, path)))
            pages = [_school_page(public, row, year, years, cards.get(str(row["name"]), ""), layout, keys)
                     for _, row in group.iterrows()]
            cities.append((str(city), pages))
    finally:
        if own is not None:
            own.close()
    levels = [lv for lv in LEVELS if (schools["level"] == lv).any()]
    _, median_rows, median_years = median_table(values, public.models, keys, levels, year)
    site = Site(year, years, generated_at.strftime("%Y-%m-%d %H:%M"), cities, median_rows, median_years, reports)
    (out / "index.html").write_text(render("site_index.html.j2", site=site), encoding="utf-8")
    for _, pages in cities:
        for page in pages:
            (out / page.href).write_text(render("site_school.html.j2", site=site, page=page), encoding="utf-8")
    return site


def _clear(out: Path) -> None:
    """Refuse a folder that holds anything but an earlier site (nothing of the user's is deleted)."""
    index = out / "index.html"
    if not out.exists() or not any(out.iterdir()):
        return
    if not index.is_file() or GENERATOR not in index.read_text(encoding="utf-8", errors="replace"):
        raise ValueError(f"输出文件夹 {out} 不是空的，也不是以前生成的信息公开网站；请指定一个新文件夹 / "
                         f"the folder {out} is not empty and holds no earlier public site: name a new folder")


def _rel(root: Path, path: Path) -> str:
    """A link from the root to ``path``, percent-encoded (file names may be Chinese)."""
    return "/".join(quote(part) for part in path.relative_to(root).parts)
