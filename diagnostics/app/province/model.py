"""State and actions of the province monitor (全省监测); no widgets.

All schools in scope × the chosen indicators of a year: a table to sort and filter, the standard
levels of each cell, the yellow- and red-card lists, a ranking by the ratio-method score with rank
intervals (:func:`diagnostics.reports.ranking.rank_schools`), a roll-up by city and the province
medians over the years; everything exports to one Excel workbook.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
from traitlets import Bool, Instance, Int, List, Unicode, observe

from ...reports.ranking import RankRow, rank_schools
from ..base import AppModel
from ..jobs import Job
from ..pinyin import pinyin_key

ATTRS = ["school_id", "name", "level", "category", "city"]


class ProvinceModel(AppModel):
    """Year, indicators, filters and sort order; the frames of every view are computed from them."""

    year = Int(0)
    years = List()
    indicators = List()
    city = Unicode("")
    level = Unicode("")
    search = Unicode("")
    sort_by = Unicode("name")
    descending = Bool(False)
    version = Int(0)  # bumped when anything shown changes
    rank_job = Instance(Job)

    def __init__(self, ctx: Any = None, data: Any = None, year: int | None = None,  # noqa: ANN401
                 indicators: list[str] | None = None) -> None:
        super().__init__(ctx, data)
        self.years = sorted({int(y) for y in self.data.values["year"]})
        self.year = int(year or (self.years[-1] if self.years else 0))
        keys = [i for i in self.data.layout.province.key_indicators if i in self.data.models.indicators]
        self.indicators = list(indicators or keys[:6])
        self._rank = functools.lru_cache(maxsize=32)(self._rank_uncached)
        self.rank_job = Job()
        self._done: set[tuple] = set()

    @observe("year", "indicators", "city", "level", "search", "sort_by", "descending")
    def _changed(self, _change: dict) -> None:
        self.check_fresh()
        self.version += 1

    def reload(self) -> None:
        super().reload()
        self._rank.cache_clear()
        self._done.clear()

    def indicator_options(self) -> list[tuple[str, str]]:
        models = self.data.models
        ids = sorted({i for i in self.data.values.loc[self.data.values["layer"] == "school", "indicator_id"]
                      if i in models.indicators}, key=list(models.indicators).index)
        return [(models.indicators[i].name_en if self.lang == "en" else models.indicators[i].name_zh, i) for i in ids]

    def name(self, indicator_id: str) -> str:
        ind = self.data.models.indicators.get(indicator_id)
        return indicator_id if ind is None else (ind.name_en if self.lang == "en" else ind.name_zh)

    def sort(self, column: str) -> None:
        """Sort by ``column``; sorting by the same column again flips the order."""
        if column == self.sort_by:
            self.descending = not self.descending
        else:
            self.sort_by, self.descending = column, column not in ("name", "school_id", "city", "level")

    # ---- frames ---------------------------------------------------------------------------------
    def _schools(self) -> pd.DataFrame:
        s = self.data.schools.reindex(columns=ATTRS)
        if self.city:
            s = s[s["city"] == self.city]
        if self.level:
            s = s[s["level"] == self.level]
        if self.search.strip():
            text = self.search.strip()
            s = s[s["name"].astype(str).str.contains(text, regex=False) | s["school_id"].str.contains(text, regex=False)]
        return s

    def year_values(self) -> pd.DataFrame:
        v = self.data.values
        return v[(v["year"] == self.year) & (v["layer"] == "school") & v["indicator_id"].isin(self.indicators)]

    def table(self) -> pd.DataFrame:
        """One row per school: attributes, light, card, then per indicator its value and ``<id>__level``."""
        schools = self._schools()
        v = self.year_values()
        wide = v.pivot_table(index="school_id", columns="indicator_id", values="value", aggfunc="first")
        lv = v.pivot_table(index="school_id", columns="indicator_id", values="level", aggfunc="first")
        out = schools.merge(wide.reindex(columns=self.indicators), left_on="school_id", right_index=True, how="left")
        out = out.merge(lv.reindex(columns=self.indicators).add_suffix("__level"), left_on="school_id",
                        right_index=True, how="left")
        lights = {s: self._light(s) for s in out["school_id"]}
        out["status"] = out["school_id"].map(lights)
        cards = self.data.cards[self.data.cards["year"] == self.year].set_index("school_id")["card"]
        out["card"] = out["school_id"].map(cards).astype(object).fillna("")
        key = self.sort_by if self.sort_by in out.columns else "name"
        text = key in ("name", "city", "level", "status", "card")
        return out.sort_values(key, ascending=not self.descending, na_position="last", kind="stable",
                               key=(lambda col: col.map(pinyin_key)) if text else None).reset_index(drop=True)

    def _light(self, school_id: str) -> str:
        """The verdict's light of the school-year (every layer counted; 未上报 without data)."""
        return str(self.data.verdict.school(school_id, self.year)["light"])

    def cards(self) -> pd.DataFrame:
        c = self.data.cards[self.data.cards["year"] == self.year]
        c = c[c["school_id"].isin(self._schools()["school_id"])]
        return c.merge(self.data.schools.reindex(columns=ATTRS), on="school_id", how="left")

    def _rank_uncached(self, year: int, level: str) -> tuple[RankRow, ...]:
        """The ranking of a level: every indicator with a 合格 standard (the province report's set, declared
        once: never the boxes ticked for the table), within the verdict's light classes."""
        v = self.data.values
        rows = v[(v["year"] == year) & (v["layer"] == "school") & (v["school_level"] == level)]
        p = self.data.layout.province
        lights = {str(s): str(self.data.verdict.school(s, year)["light"]) for s in rows["school_id"].unique()}
        return tuple(rank_schools(rows, self.data.models, p.replicates, p.interval, p.seed, lights))

    def ranking_indicators(self, level: str) -> list[str]:
        """The indicators the ranking of ``level`` rests on (those with a 合格 standard for its schools)."""
        v = self.data.values
        rows = v[(v["year"] == self.year) & (v["layer"] == "school") & (v["school_level"] == level)
                 & v["qualified"].notna() & v["value"].notna()]
        order = list(self.data.models.indicators)
        return sorted(set(rows["indicator_id"]), key=lambda i: order.index(i) if i in order else len(order))

    def _levels_key(self) -> list[tuple[int, str]]:
        return [(self.year, level) for level in sorted(set(self.data.schools["level"].dropna()))]

    def ranking_ready(self) -> bool:
        """Whether the ranking of the current choice is computed (it takes seconds: bootstrap)."""
        return all(key in self._done for key in self._levels_key())

    def start_ranking(self) -> bool:
        """Compute the ranking of the current choice in a thread (``rank_job``)."""
        keys = self._levels_key()

        def work(report: object) -> None:
            for n, key in enumerate(keys):
                report(n / len(keys), f"{key[1]} 排名 / ranking")  # type: ignore[operator]
                self._rank(*key)
                self._done.add(key)

        return self.rank_job.start(work)

    def ranking(self) -> dict[str, tuple[RankRow, ...]]:
        """Per school level: the ranking of the schools shown, on the chosen indicators."""
        shown = set(self._schools()["school_id"])
        levels = sorted(set(self.data.schools["level"].dropna()))
        out = {}
        for level in levels:
            self._done.add((self.year, level))
            rows = tuple(r for r in self._rank(self.year, level) if r.school_id in shown)
            if rows:
                out[level] = rows
        return out

    def rollup(self) -> pd.DataFrame:
        """Per city: schools, red and yellow lights, cards, and the median of each chosen indicator."""
        t = self.table()
        if t.empty:
            return pd.DataFrame(columns=["city", "schools", "red", "yellow", "cards", *self.indicators])
        g = t.groupby("city", dropna=False)
        out = pd.DataFrame({"schools": g.size(), "red": g["status"].agg(lambda s: int((s == "red").sum())),
                            "yellow": g["status"].agg(lambda s: int((s == "yellow").sum())),
                            "cards": g["card"].agg(lambda s: int((s != "").sum()))})
        for ind in self.indicators:
            out[ind] = g[ind].median()
        return out.reset_index()

    def medians(self) -> pd.DataFrame:
        """Province medians of the chosen indicators: indicator, level (and 全省), year, value."""
        m = self.data.province_medians("school")
        return m[m["indicator_id"].isin(self.indicators)].sort_values(["indicator_id", "school_level", "year"])

    def cities(self) -> list[str]:
        return sorted(set(self.data.schools["city"].dropna().astype(str)), key=pinyin_key)

    def levels(self) -> list[str]:
        return sorted(set(self.data.schools["level"].dropna().astype(str)), key=pinyin_key)

    def unit(self, indicator_id: str) -> str:
        ind = self.data.models.indicators.get(indicator_id)
        return "" if ind is None else ind.unit

    def filters(self) -> list[tuple[str, str]]:
        """The choices behind what is shown (the first sheet of the export), in the interface's language."""
        t = self.t
        names = "、".join(self.name(i) for i in self.indicators)
        order = ("降序" if self.descending else "升序") if self.lang == "zh" else (
            "descending" if self.descending else "ascending")
        sort = self.name(self.sort_by) if self.sort_by in self.indicators else t(self.sort_by if self.sort_by in (
            "city", "level") else "school")
        return [(t("year"), f"{self.year}–{self.year + 1}"), (t("school_level"), self.level or t("all")),
                (t("city"), self.city or t("all")), (t("search"), self.search.strip() or "—"),
                (t("choose_indicators"), names), (t("sort_by"), f"{sort}（{order}）" if self.lang == "zh" else
                                                  f"{sort} ({order})"),
                (t("user"), self.ctx.user.name)]

    def export(self) -> bytes:
        """The table, cards, ranking, roll-up and medians as one Excel workbook."""
        from .export import workbook

        return workbook(self)
