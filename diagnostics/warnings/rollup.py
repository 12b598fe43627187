"""One warning per problem, and traffic lights per diagnosis item and per school.

Flags of several methods about the same unit-indicator-year (or the same record, for data checks)
are one problem: the user sees one warning at the highest severity, with the message of its most
severe flag first and every flag kept as evidence.  A diagnosis item (诊断项目) of a school-year is
red when one of its warnings is red, yellow when one is yellow, green otherwise; flags without an
indicator count under the item 数据质量 (data quality); the school's light is the worst of its items.
"""

from __future__ import annotations

import pandas as pd

from .flags import FLAG_COLUMNS, METHODS, SEVERITY_RANK
from .inputs import IndicatorMeta

WARNING_KEY = ["school_id", "year", "layer", "unit", "indicator_id"]
DATA_QUALITY_ITEM = "数据质量"
OTHER_ITEM = "其他"
LIGHTS = {2: "red", 1: "yellow", 0: "green"}
WARNING_COLUMNS = [*WARNING_KEY, "severity", "methods", "n_flags", "observed", "expected", "n", "rule", "source",
                   "message_zh", "message_en", "evidence"]


def _keyed(flags: pd.DataFrame) -> pd.DataFrame:
    return flags.assign(indicator_id=flags["indicator_id"].fillna(""), year=flags["year"].fillna(-1),
                        _rank=flags["severity"].map(SEVERITY_RANK),
                        _order=flags["method"].map({m: i for i, m in enumerate(METHODS)}))


def merge_warnings(flags: pd.DataFrame) -> pd.DataFrame:
    """One row per unit-indicator-year (:data:`WARNING_COLUMNS`); ``evidence`` lists every flag."""
    if flags.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    ordered = _keyed(flags).sort_values([*WARNING_KEY, "_rank", "_order"], ascending=[True] * 5 + [False, True],
                                        kind="stable")
    detail = [c for c in FLAG_COLUMNS if c not in WARNING_KEY]
    ordered["_flag"] = ordered[detail].to_dict("records")
    groups = ordered.groupby(WARNING_KEY, sort=False, dropna=False)
    head = groups.head(1).set_index(WARNING_KEY)
    evidence = groups["_flag"].agg(list).rename("evidence")
    methods = groups["method"].agg(lambda m: ",".join(dict.fromkeys(m))).rename("methods")
    out = head.drop(columns=["evidence", "method", "_rank", "_order", "_flag"]).join(methods).join(evidence)
    out = out.join(groups.size().rename("n_flags")).reset_index()
    out = out.assign(indicator_id=out["indicator_id"].replace("", None),
                     year=out["year"].where(out["year"] != -1, None))
    out = out.sort_values(["severity", "school_id", "year"], key=lambda s: s.map(SEVERITY_RANK).fillna(s)
                          if s.name == "severity" else s, ascending=[False, True, True], kind="stable")
    return out[WARNING_COLUMNS].reset_index(drop=True)


def _items(indicator_id: object, indicators: dict[str, IndicatorMeta]) -> list[str]:
    if indicator_id is None or pd.isna(indicator_id) or indicator_id == "":
        return [DATA_QUALITY_ITEM]
    meta = indicators.get(str(indicator_id))
    return list(meta.items) if meta is not None and meta.items else [OTHER_ITEM]


def _light(counts: pd.DataFrame) -> pd.Series:
    level = (counts["red"] > 0) * 2 + ((counts["red"] == 0) & (counts["yellow"] > 0)) * 1
    return level.map(LIGHTS)


def item_lights(warnings: pd.DataFrame, indicators: dict[str, IndicatorMeta],
                school_years: pd.DataFrame | None = None) -> pd.DataFrame:
    """Traffic light per school, year and diagnosis item: ``school_id, year, item, status, red, yellow, info``.

    ``school_years`` (columns school_id, year) adds green rows for every item of school-years without
    warnings; items are those of the indicators plus 数据质量.
    """
    exploded = warnings.assign(item=[_items(i, indicators) for i in warnings["indicator_id"]]).explode("item")
    counts = pd.crosstab([exploded["school_id"], exploded["year"], exploded["item"]], exploded["severity"])
    counts = counts.reindex(columns=["red", "yellow", "info"], fill_value=0).reset_index()
    if school_years is not None and len(school_years):
        items = sorted({i for m in indicators.values() for i in m.items} | {DATA_QUALITY_ITEM})
        grid = school_years[["school_id", "year"]].drop_duplicates().merge(pd.DataFrame({"item": items}), how="cross")
        counts = grid.merge(counts, on=["school_id", "year", "item"], how="outer")
        counts[["red", "yellow", "info"]] = counts[["red", "yellow", "info"]].fillna(0).astype(int)
    counts = counts.assign(status=_light(counts))
    return counts[["school_id", "year", "item", "status", "red", "yellow", "info"]].sort_values(
        ["school_id", "year", "item"]).reset_index(drop=True)


def school_lights(items: pd.DataFrame) -> pd.DataFrame:
    """Traffic light per school-year from its items (and the count of red / yellow items)."""
    if items.empty:
        return pd.DataFrame(columns=["school_id", "year", "status", "red_items", "yellow_items"])
    g = items.groupby(["school_id", "year"])
    out = pd.DataFrame({"red": g["red"].sum(), "yellow": g["yellow"].sum(),
                        "red_items": g["status"].agg(lambda s: int((s == "red").sum())),
                        "yellow_items": g["status"].agg(lambda s: int((s == "yellow").sum()))}).reset_index()
    return out.assign(status=_light(out))[["school_id", "year", "status", "red_items", "yellow_items"]]
