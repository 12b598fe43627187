"""The one verdict: lights of indicators, items and school-years, and cards, decided once.

Hand-built warnings (one per problem) for two schools and two years; every count below is by hand.
"""

from __future__ import annotations

import pandas as pd

from diagnostics.warnings import IndicatorMeta
from diagnostics.warnings.verdict import SCOPE_ZH, STATUS_COLUMNS, decide, school_years

ITEMS = ("教师队伍建设", "质量监控与成效", "基本办学条件")
METAS = {
    "ratio": IndicatorMeta("ratio", "生师比", "ratio", "1", "lower", ("教师队伍建设", "基本办学条件")),
    "emp": IndicatorMeta("emp", "毕业去向落实率", "placement", "%", "higher", ("质量监控与成效",)),
}


def warning(school, year, layer, unit, indicator, severity, card=None):
    evidence = [{"method": "standard", "severity": severity, "evidence": {"card": card} if card else {}}]
    return {"school_id": school, "year": year, "layer": layer, "unit": unit, "indicator_id": indicator,
            "severity": severity, "message_zh": f"{indicator} {severity}", "evidence": evidence}


WARNINGS = pd.DataFrame([
    warning("A", 2024, "school", "", "ratio", "red"),  # counts under 教师队伍建设 and 基本办学条件
    warning("A", 2024, "program", "P1", "emp", "yellow"),  # a program's warning counts too
    warning("A", 2024, "data", "students:s1", None, "yellow"),  # a data check: 数据质量
    warning("A", 2024, "school", "", None, "red", card="red"),  # a red card: 基本办学条件
    warning("A", 2024, "school", "", "emp", "info"),  # a note changes no light
    warning("B", 2024, "program", "P9", "emp", "info"),
])
YEARS = pd.DataFrame({"school_id": ["A", "B", "B"], "year": [2024, 2024, 2025], "reported": [True, True, False]})


def test_lights_count_every_layer_and_each_warning_once():
    v = decide(WARNINGS, METAS, YEARS, ITEMS)
    a = v.school("A", 2024)
    # A: red ratio, red card (2 red); program yellow, data yellow (2 yellow); 1 info — each once
    assert (a["light"], a["red"], a["yellow"], a["info"], a["card"]) == ("red", 2, 2, 1, "红牌")
    items = {i: v.item("A", 2024, i) for i in (*ITEMS, "数据质量")}
    assert (items["教师队伍建设"]["light"], items["教师队伍建设"]["red"]) == ("red", 1)
    assert (items["基本办学条件"]["light"], items["基本办学条件"]["red"]) == ("red", 2)  # the ratio and the card
    assert (items["质量监控与成效"]["light"], items["质量监控与成效"]["yellow"]) == ("yellow", 1)
    assert items["质量监控与成效"]["yellow_program"] == 1 and items["质量监控与成效"]["yellow_school"] == 0
    assert (items["数据质量"]["light"], items["数据质量"]["yellow"]) == ("yellow", 1)
    assert a["red_items"] == 2 and a["yellow_items"] == 2
    assert v.indicator("A", 2024, "emp", "program", "P1") == "yellow"
    assert v.indicator("A", 2024, "emp") == "green"  # the school-layer note changes nothing


def test_a_school_year_without_data_is_unreported_not_a_warning():
    v = decide(WARNINGS, METAS, YEARS, ITEMS)
    assert v.school("B", 2024)["light"] == "green"  # a note only
    b25 = v.school("B", 2025)
    assert (b25["light"], b25["red"], b25["yellow"]) == ("unreported", 0, 0)
    assert {v.item("B", 2025, i)["light"] for i in ITEMS} == {"unreported"}


def test_status_rows_for_the_cli():
    status = decide(WARNINGS, METAS, YEARS, ITEMS).status()
    assert list(status.columns) == STATUS_COLUMNS
    a = status[(status["school_id"] == "A") & (status["year"] == 2024)]
    assert a.iloc[0][["scope", "item", "light", "red", "yellow", "card"]].tolist() == ["school", "", "red", 2, 2, "红牌"]
    assert a["item"].tolist()[1:] == [*ITEMS, "数据质量"]  # the items in order, data quality last
    assert "数据核查" in SCOPE_ZH  # the rule the views print


def test_school_years_owed_a_verdict():
    reported = pd.DataFrame({"school_id": ["A", "A", "B"], "year": [2023, 2024, 2024]})
    schools = pd.DataFrame({"school_id": ["A", "B", "C"], "founded": [1990, 1990, 2024]})
    grid = school_years(reported, schools).set_index(["school_id", "year"])["reported"]
    assert grid.to_dict() == {("A", 2023): True, ("A", 2024): True, ("B", 2023): False, ("B", 2024): True,
                              ("C", 2024): False}  # C, founded in 2024, owes nothing for 2023
