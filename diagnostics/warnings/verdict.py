"""One verdict: the light of every indicator, diagnosis item and school-year, and the card — decided here.

Every view reads this and never recounts: the self-diagnosis dashboard, the school and province reports,
the province monitor, the review page, the exports and ``zhengai status``.

* **What counts.** Every red and yellow warning (one per problem, :func:`.rollup.merge_warnings`) of the
  school-year, at every layer: the school's own values, each program's values and the data checks of its
  records (:data:`COUNTED_LAYERS`, stated to the reader as :data:`SCOPE_ZH`).  ``info`` notes are
  counted but change no light.
* **Items.** A warning about an indicator counts under each diagnosis item the indicator belongs to; a
  data check (no indicator) under 数据质量; a card under 基本办学条件.  The school's totals count each
  warning once.
* **Lights.** red when there is a red warning, yellow when there is a yellow one, green otherwise;
  ``none`` (无数据) for an item of a reported school-year with no indicator value and no warning (nothing
  to judge); ``unreported`` (未上报) when the school-year has no data at all — a state of its own, not a
  warning.
* **Cards.** 黄牌 / 红牌 of 教发〔2004〕2号, from the card warnings of the run (they need a verified
  限制招生 value); a card's warning also makes the school light red or yellow.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .inputs import IndicatorMeta
from .rollup import DATA_QUALITY_ITEM, OTHER_ITEM

GREEN, YELLOW, RED, NONE, UNREPORTED = "green", "yellow", "red", "none", "unreported"
LIGHTS = (GREEN, YELLOW, RED, NONE, UNREPORTED)
LIGHT_ZH = {GREEN: "正常", YELLOW: "黄灯", RED: "红灯", NONE: "无数据", UNREPORTED: "未上报"}
LIGHT_EN = {GREEN: "green", YELLOW: "yellow", RED: "red", NONE: "no data", UNREPORTED: "not reported"}
COUNTED_LAYERS = ("school", "program", "data")
SCOPE_ZH = "红黄灯计入全校、各专业和数据核查的全部预警；一条预警只计一次，所涉指标属于几个诊断项目就在几个项目下显示"
SCOPE_EN = ("the lights count every warning of the school, of each program and of the data checks; a warning "
            "counts once, and shows under each diagnosis item its indicator belongs to")
CARD_ITEM = "基本办学条件"
CARD_ZH = {"yellow": "黄牌", "red": "红牌"}
SEVERITIES = ("red", "yellow", "info")
STATUS_COLUMNS = ["school_id", "year", "scope", "item", "light", "red", "yellow", "card"]


def items_of(indicator_id: object, indicators: dict[str, IndicatorMeta], card: bool = False) -> list[str]:
    """The diagnosis items a warning counts under (数据质量 for a data check, 基本办学条件 for a card)."""
    if card:
        return [CARD_ITEM]
    if indicator_id is None or pd.isna(indicator_id) or indicator_id == "":
        return [DATA_QUALITY_ITEM]
    meta = indicators.get(str(indicator_id))
    return list(meta.items) if meta is not None and meta.items else [OTHER_ITEM]


def light_of(red: int, yellow: int) -> str:
    return RED if red else YELLOW if yellow else GREEN


def _card(flag: object) -> tuple[str, str] | None:
    """('yellow' | 'red', its reasons joined by '；') for the flag of a card, else None."""
    if not isinstance(flag, dict):
        return None
    evidence = flag.get("evidence") if isinstance(flag.get("evidence"), dict) else flag
    if evidence.get("card") not in CARD_ZH:
        return None
    reasons = evidence.get("reasons") or []
    return evidence["card"], "；".join(str(r) for r in reasons) if isinstance(reasons, list) else str(reasons)


def _counts(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *SEVERITIES])
    table = pd.crosstab([frame[k] for k in keys], frame["severity"])
    return table.reindex(columns=list(SEVERITIES), fill_value=0).reset_index()


@dataclass(frozen=True)
class Verdict:
    """The lights and cards of some school-years (see the module docstring for the rules)."""

    warnings: pd.DataFrame  # merged warnings of the counted layers, with ``items`` and ``card``
    indicators: pd.DataFrame  # school_id, year, layer, unit, indicator_id, light, red, yellow, info
    items: pd.DataFrame  # school_id, year, item, light, red, yellow, info (+ red_/yellow_ per layer)
    schools: pd.DataFrame  # school_id, year, light, red, yellow, info, red_items, yellow_items, card, card_reasons
    item_names: tuple[str, ...]

    # lookups by key (a dashboard asks for one school-year at a time: dictionaries, not frame filters)
    @functools.cached_property
    def _schools_at(self) -> dict[tuple[str, int], dict]:
        return {(str(r["school_id"]), int(r["year"])): r for r in self.schools.to_dict("records")}

    @functools.cached_property
    def _items_at(self) -> dict[tuple[str, int, str], dict]:
        return {(str(r["school_id"]), int(r["year"]), str(r["item"])): r for r in self.items.to_dict("records")}

    @functools.cached_property
    def _indicators_at(self) -> dict[tuple, str]:
        ind = self.indicators
        return dict(zip(zip(ind["school_id"].astype(str), ind["year"].astype(int), ind["layer"], ind["unit"],
                            ind["indicator_id"]), ind["light"]))

    @functools.cached_property
    def _warnings_at(self) -> dict[tuple[str, int], pd.DataFrame]:
        w = self.warnings
        return {(str(s), int(y)): g for (s, y), g in w.groupby(["school_id", "year"], sort=False)} if len(w) else {}

    def school(self, school_id: str, year: int) -> dict:
        """The school-year's light, counts and card (``unreported`` when it is not in the verdict)."""
        found = self._schools_at.get((str(school_id), int(year)))
        if found is None:
            return {"school_id": str(school_id), "year": int(year), "light": UNREPORTED, "red": 0, "yellow": 0,
                    "info": 0, "red_items": 0, "yellow_items": 0, "card": "", "card_reasons": ""}
        return dict(found)

    def item(self, school_id: str, year: int, item: str) -> dict:
        found = self._items_at.get((str(school_id), int(year), item))
        if found is None:
            light = self.school(school_id, year)["light"]
            return {"item": item, "light": UNREPORTED if light == UNREPORTED else GREEN, "red": 0, "yellow": 0,
                    "info": 0}
        return dict(found)

    def indicator(self, school_id: str, year: int, indicator_id: str, layer: str = "school", unit: str = "") -> str:
        return self._indicators_at.get((str(school_id), int(year), layer, unit, indicator_id), GREEN)

    def unit_items(self, school_id: str, year: int, layer: str, unit: str) -> dict[str, dict]:
        """Item lights of one unit's own warnings (a program's, at the program layer): the same warnings
        and item mapping as the school-year's verdict, restricted to that unit."""
        w = self.warnings_of(school_id, year)
        counts: dict[str, dict[str, int]] = {}
        for items, severity in zip(w["items"][(w["layer"] == layer) & (w["unit"] == unit)],
                                   w["severity"][(w["layer"] == layer) & (w["unit"] == unit)]):
            for item in items:
                counts.setdefault(item, dict.fromkeys(SEVERITIES, 0))[severity] += 1
        return {i: {"item": i, "light": light_of(c["red"], c["yellow"]), **c} for i, c in counts.items()}

    def warnings_of(self, school_id: str, year: int, item: str | None = None) -> pd.DataFrame:
        """The school-year's warnings (of one item), each once."""
        w = self._warnings_at.get((str(school_id), int(year)), self.warnings.iloc[0:0])
        return w if item is None else w[w["items"].map(lambda items: item in items)]

    def status(self) -> pd.DataFrame:
        """``zhengai status``: one row per school-year (scope school) and per item (scope item)."""
        school = self.schools.assign(scope="school", item="")
        items = self.items.merge(self.schools[["school_id", "year", "card"]], on=["school_id", "year"], how="left")
        items = items.assign(scope="item", card=items["card"].fillna(""))
        out = pd.concat([school[STATUS_COLUMNS], items[STATUS_COLUMNS]], ignore_index=True)
        order = {n: i for i, n in enumerate(self.item_names)}
        out["_o"] = out["item"].map(lambda i: -1 if i == "" else order.get(i, len(order)))
        return out.sort_values(["school_id", "year", "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def decide(warnings: pd.DataFrame, indicators: dict[str, IndicatorMeta], school_years: pd.DataFrame,
           items: Sequence[str], values: pd.DataFrame | None = None) -> Verdict:
    """The verdict of the school-years in ``school_years`` (columns ``school_id, year, reported``).

    ``warnings`` are merged warnings (one per problem); ``items`` the diagnosis items every school-year
    shows (in order; 数据质量 is added).  ``values`` (``school_id, year, indicator_id``: the indicators
    with a value) tells which items have anything to judge; without it every item of a reported
    school-year has.  Warnings of school-years not in ``school_years`` are ignored.
    """
    names = tuple(dict.fromkeys([*items, DATA_QUALITY_ITEM]))
    sy = school_years.assign(school_id=school_years["school_id"].astype(str),
                             year=pd.to_numeric(school_years["year"]).astype(int))
    sy = sy.assign(reported=sy["reported"].astype(bool)).drop_duplicates(["school_id", "year"])
    w = _warnings(warnings, indicators, sy[sy["reported"]])
    per_indicator = _counts(w[w["indicator_id"] != ""], ["school_id", "year", "layer", "unit", "indicator_id"])
    per_indicator["light"] = [light_of(r, y) for r, y in zip(per_indicator["red"], per_indicator["yellow"])]
    exploded = w.explode("items").rename(columns={"items": "item"})
    item_counts = _counts(exploded, ["school_id", "year", "item"])
    for layer in COUNTED_LAYERS:  # which layers the item's counts come from, for the reader
        part = _counts(exploded[exploded["layer"] == layer], ["school_id", "year", "item"])
        item_counts = item_counts.merge(part[["school_id", "year", "item", "red", "yellow"]].rename(
            columns={"red": f"red_{layer}", "yellow": f"yellow_{layer}"}), on=["school_id", "year", "item"], how="left")
    grid = sy.merge(pd.DataFrame({"item": list(dict.fromkeys([*names, *item_counts["item"]]))}), how="cross")
    item_frame = grid.merge(item_counts, on=["school_id", "year", "item"], how="left")
    count_cols = [c for c in item_frame.columns if c.startswith(("red", "yellow", "info"))]
    item_frame[count_cols] = item_frame[count_cols].fillna(0).astype(int)
    judged = _judged_items(values, indicators)
    item_frame["light"] = [
        UNREPORTED if not rep else NONE if (judged is not None and (s, yr, it) not in judged and r + y + i == 0
                                             and it != DATA_QUALITY_ITEM) else light_of(r, y)
        for rep, s, yr, it, r, y, i in zip(item_frame["reported"], item_frame["school_id"], item_frame["year"],
                                           item_frame["item"], item_frame["red"], item_frame["yellow"],
                                           item_frame["info"])]
    school_frame = _schools(sy, w, item_frame)
    return Verdict(w, per_indicator, item_frame.drop(columns="reported"), school_frame, names)


def _judged_items(values: pd.DataFrame | None, indicators: dict[str, IndicatorMeta]) -> set[tuple] | None:
    """(school, year, item) that have at least one indicator value."""
    if values is None:
        return None
    if "value" in values:
        values = values[values["value"].notna()]
    pairs = values[["school_id", "year", "indicator_id"]].drop_duplicates()
    return {(str(s), int(y), item) for s, y, i in pairs.itertuples(index=False)
            for item in items_of(i, indicators)}


def _warnings(warnings: pd.DataFrame, indicators: dict[str, IndicatorMeta], reported: pd.DataFrame) -> pd.DataFrame:
    """The counted warnings of reported school-years, with their items and card."""
    cols = [*warnings.columns, "items", "card", "card_reasons"]
    if warnings.empty or reported.empty:
        return pd.DataFrame(columns=cols)
    w = warnings[warnings["layer"].isin(COUNTED_LAYERS) & warnings["year"].notna()].copy()
    w["school_id"] = w["school_id"].astype(str)
    w["year"] = pd.to_numeric(w["year"]).astype(int)
    w["unit"] = w["unit"].fillna("").astype(str)
    w["indicator_id"] = w["indicator_id"].fillna("").astype(str)
    w = w.merge(reported[["school_id", "year"]], on=["school_id", "year"])
    evidence = w["evidence"] if "evidence" in w else pd.Series([[]] * len(w), index=w.index)
    found = [next((c for e in (ev if isinstance(ev, list) else [ev]) if (c := _card(e))), ("", ""))
             for ev in evidence]
    w["card"], w["card_reasons"] = [c for c, _ in found], [r for _, r in found]
    w["items"] = [items_of(i, indicators, card=bool(c)) for i, c in zip(w["indicator_id"], w["card"])]
    return w[cols].reset_index(drop=True)


def _schools(sy: pd.DataFrame, w: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    totals = _counts(w, ["school_id", "year"])
    out = sy.merge(totals, on=["school_id", "year"], how="left")
    out[list(SEVERITIES)] = out[list(SEVERITIES)].fillna(0).astype(int)
    per_item = items.groupby(["school_id", "year"])["light"]
    out = out.merge(per_item.agg(lambda s: int((s == RED).sum())).rename("red_items").reset_index(),
                    on=["school_id", "year"], how="left")
    out = out.merge(per_item.agg(lambda s: int((s == YELLOW).sum())).rename("yellow_items").reset_index(),
                    on=["school_id", "year"], how="left")
    cards = w[w["card"] != ""]
    worst = cards.assign(_r=cards["card"].map({"red": 2, "yellow": 1})).sort_values("_r", ascending=False)
    worst = worst.drop_duplicates(["school_id", "year"])
    reasons = worst.set_index(["school_id", "year"])["card_reasons"]
    keys = list(zip(out["school_id"], out["year"]))
    card = worst.set_index(["school_id", "year"])["card"]
    out["card"] = [CARD_ZH[card[k]] if k in card.index else "" for k in keys]
    out["card_reasons"] = [str(reasons[k]) if k in reasons.index else "" for k in keys]
    out["light"] = [UNREPORTED if not rep else light_of(r, y)
                    for rep, r, y in zip(out["reported"], out["red"], out["yellow"])]
    cols = ["school_id", "year", "light", "red", "yellow", "info", "red_items", "yellow_items", "card",
            "card_reasons", "reported"]
    return out[cols].fillna({"red_items": 0, "yellow_items": 0}).astype({"red_items": int, "yellow_items": int})


def school_years(reported: pd.DataFrame, schools: pd.DataFrame, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Every school-year a verdict is owed: each school in ``schools`` (``school_id``, optional ``founded``)
    for each of ``years`` (default: the years anyone reported) from its founding on, with ``reported``
    true where ``reported`` (``school_id, year``: the school-years with data) has it."""
    have = reported.assign(school_id=reported["school_id"].astype(str), year=pd.to_numeric(reported["year"]).astype(int))
    years = sorted({int(y) for y in (years if years is not None else have["year"])})
    if not years or schools.empty:
        return pd.DataFrame(columns=["school_id", "year", "reported"])
    grid = schools[["school_id", *(["founded"] if "founded" in schools else [])]].assign(
        school_id=lambda f: f["school_id"].astype(str)).merge(pd.DataFrame({"year": years}), how="cross")
    if "founded" in grid:
        grid = grid[pd.to_numeric(grid["founded"], errors="coerce").fillna(0) <= grid["year"]]
    keys = set(zip(have["school_id"], have["year"]))
    grid["reported"] = [k in keys for k in zip(grid["school_id"], grid["year"])]
    return grid[["school_id", "year", "reported"]].reset_index(drop=True)


def load_verdict(engine: object, models: object, school: str | None = None, year: int | None = None,
                 schools: pd.DataFrame | None = None) -> Verdict:
    """The verdict of the stored warnings: of every school (or ``school``; or the schools of the frame
    ``schools``, e.g. a user's scope) and year (or ``year``) the store holds data for."""
    import sqlalchemy as sa

    from ..engine import current_values
    from ..engine.persist import school_info
    from ..models.spec import VERDICT_ITEMS
    from ..store.schema import data_versions
    from .inputs import meta_from_models
    from .persist import load_flags
    from .rollup import merge_warnings

    with engine.connect() as conn:
        info = school_info(conn) if schools is None else schools
        reported = pd.DataFrame(conn.execute(sa.select(data_versions.c.school_id, data_versions.c.year).where(
            data_versions.c.is_current.is_(True))).fetchall(), columns=["school_id", "year"])
    if school is not None:
        info = info[info["school_id"].astype(str) == str(school)]
    grid = school_years(reported, info)
    if year is not None:
        grid = grid[grid["year"] == int(year)]
    flags = load_flags(engine, school=school, year=year)
    flags = flags[flags["school_id"].astype(str).isin(set(grid["school_id"]))]
    values = current_values(engine, school=school, year=year)
    return decide(merge_warnings(flags), meta_from_models(models), grid, VERDICT_ITEMS, values)
