"""The diagnosis board of one school-year at one layer: items, their lights, indicators and warnings.

A plain structure (no widgets, no HTML) built from :class:`~diagnostics.app.data.ProvinceData` by
lookups and small frame operations, fast enough for every change of a dropdown.  The self-diagnosis
and the expert-review dashboards both show it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..engine import ratio_score
from ..engine.standards import higher_is_better
from ..reports.fmt import format_value
from ..warnings.rollup import DATA_QUALITY_ITEM
from .data import ProvinceData


def num(value: object) -> float | None:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


@dataclass(frozen=True)
class Cell:
    """One indicator of the board: value, standard level, target, peers, trend, worst warning."""

    indicator_id: str
    name_zh: str
    name_en: str
    unit: str
    direction: str
    value: float | None
    level: str = ""
    qualified: float | None = None
    restriction: float | None = None
    standard_source: str = ""
    target: float | None = None
    target_source: str = ""
    peer_median: float | None = None
    peer_q1: float | None = None
    peer_q3: float | None = None
    percentile: float | None = None
    n: float | None = None
    trend: tuple[tuple[int, float | None], ...] = ()
    severity: str = ""
    numerator: float | None = None
    denominator: float | None = None

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def target_state(self) -> str:
        """达成 / 未达成 against the target, 无数值 without a value, '' without a target."""
        if self.target is None:
            return ""
        if self.value is None:
            return "无数值"
        met = self.value <= self.target if self.direction == "lower_is_better" else self.value >= self.target
        return "达成" if met else "未达成"

    def fmt(self, value: float | None) -> str:
        return format_value(value, self.unit)


@dataclass(frozen=True)
class Item:
    """A diagnosis item: its light, its indicators, its warnings (rows of the merged warnings)."""

    item: str
    status: str
    red: int = 0
    yellow: int = 0
    info: int = 0
    cells: tuple[Cell, ...] = ()
    warnings: tuple[dict, ...] = ()

    def suggested_score(self, models: object) -> float | None:
        """The ratio-method score (比率法, domain.md §4.4) of the item's indicators with a 合格 standard, 0–100."""
        rows = [c for c in self.cells if c.qualified is not None and c.value is not None]
        if not rows:
            return None
        frame = pd.DataFrame({"indicator_id": [c.indicator_id for c in rows], "value": [c.value for c in rows]})
        weight = pd.Series([models.indicators[c.indicator_id].weight if c.indicator_id in models.indicators
                            else 1.0 for c in rows], dtype=float)
        share = ratio_score(frame["value"], pd.Series([c.qualified for c in rows], dtype=float),
                            pd.Series([c.restriction for c in rows], dtype=float), pd.Series(1.0, index=frame.index),
                            higher_is_better(frame, models))
        return float((share * weight).sum() / weight.sum() * 100)


@dataclass(frozen=True)
class Board:
    school_id: str
    school_name: str
    school_level: str
    year: int
    layer: str
    unit: str
    unit_label: str
    overall: str
    card: str
    card_reasons: str
    items: tuple[Item, ...] = ()
    warnings: tuple[dict, ...] = field(default_factory=tuple)

    def cell(self, indicator_id: str) -> Cell | None:
        return next((c for i in self.items for c in i.cells if c.indicator_id == indicator_id), None)

    def item(self, name: str) -> Item | None:
        return next((i for i in self.items if i.item == name), None)


def _cells(data: ProvinceData, series: pd.DataFrame, year: int, worst: dict[str, str]) -> dict[str, Cell]:
    trends: dict[str, list[tuple[int, float | None]]] = {}
    for ind, y, v in zip(series["indicator_id"], series["year"], series["value"]):
        trends.setdefault(ind, []).append((int(y), num(v)))
    out = {}
    for r in series[series["year"] == int(year)].to_dict("records"):
        ind = data.models.indicators.get(r["indicator_id"])
        if ind is None:
            continue
        source = str(r.get("qualified_source") or "")  # only a verified standard sets a level
        out[ind.id] = Cell(ind.id, ind.name_zh, ind.name_en, ind.unit, ind.direction, num(r["value"]),
                           str(r.get("level") or ""), num(r.get("qualified")), num(r.get("restriction")), source,
                           num(r.get("target")), str(r.get("target_source") or ""), num(r.get("peer_median")),
                           num(r.get("peer_q1")), num(r.get("peer_q3")), num(r.get("percentile")), num(r.get("n")),
                           tuple(trends.get(ind.id, ())), worst.get(ind.id, ""), num(r.get("numerator")),
                           num(r.get("denominator")))
    return out


def _records(frame: pd.DataFrame) -> tuple[dict, ...]:
    return tuple({k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                 for r in frame.to_dict("records"))


def build_board(data: ProvinceData, school_id: str, year: int, layer: str = "school", unit: str = "") -> Board:
    """The board of ``school_id`` in ``year`` at ``layer`` (``unit``: the program code at program layer).

    Lights, counts, cards and the warnings listed are the verdict's (:mod:`diagnostics.warnings.verdict`):
    the school board counts every layer (its own values, each program's, the data checks); a program
    board shows that program's own warnings."""
    unit = "" if layer == "school" else str(unit)
    info = data.school(school_id)
    verdict = data.verdict
    if layer == "school":
        records = _records(verdict.warnings_of(school_id, year))
    else:
        own = verdict.warnings_of(school_id, year)
        records = _records(own[(own["layer"] == layer) & (own["unit"] == unit)])
    rank = {"red": 2, "yellow": 1, "info": 0}
    worst: dict[str, str] = {}
    for w in records:  # the worst warning of each indicator, at this board's own unit
        ind, sev = w["indicator_id"], w["severity"]
        if ind and w["layer"] in (layer, "data") and w["unit"] == unit and rank.get(sev, 0) >= rank.get(
                worst.get(ind, ""), -1):
            worst[str(ind)] = sev
    cells = _cells(data, data.series(school_id, layer, unit), year, worst)
    lights = data.lights_at(school_id, year, layer, unit)
    items = []
    for name in data.items:
        mine = tuple(c for i, c in cells.items() if name in data.models.indicators[i].items)
        found = tuple(w for w in records if name in w["items"])
        row = lights.get(name)
        if row is not None:
            items.append(Item(name, str(row["status"]), int(row["red"]), int(row["yellow"]), int(row["info"]),
                              mine, found))
        else:
            items.append(Item(name, "green" if mine else "none", cells=mine, warnings=found))
    if layer == "school":
        overall = str(verdict.school(school_id, year)["light"])
    else:
        statuses = {i.status for i in items}
        overall = next((s for s in ("red", "yellow", "green") if s in statuses), "none")
    card, reasons = data.card(school_id, year)
    label = data.program_label(school_id, year, unit) if unit else ""
    return Board(str(school_id), str(info.get("name", school_id)), str(info.get("level") or ""), int(year), layer,
                 unit, label, overall, card, reasons, tuple(i for i in items if i.cells or i.warnings
                                                           or i.item != DATA_QUALITY_ITEM or layer == "school"),
                 records)
