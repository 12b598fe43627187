"""One warning per problem, traffic lights, the result object and the thresholds file."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from diagnostics.warnings import Flag, IndicatorMeta, WarningResult, flags_frame, item_lights, merge_warnings
from diagnostics.warnings.config import DEFAULT_PATH, ConfigError, parse_thresholds
from diagnostics.warnings.rollup import school_lights

META = {"student_teacher_ratio": IndicatorMeta("student_teacher_ratio", "生师比", "student–teacher ratio", "1",
                                               "lower", ("教师队伍建设", "基本办学条件")),
        "employment_rate": IndicatorMeta("employment_rate", "毕业去向落实率", "placement rate", "%", "higher",
                                         ("质量监控与成效",))}


def flag(school, method, severity, indicator="student_teacher_ratio", unit="", layer="school", n=None,
         observed=23.4, message=None):
    return Flag(school, 2024, layer, unit, indicator, method, severity, observed, "≤ 18", n, "rule", "source",
                message or f"{method} {severity}", f"{method} {severity} (en)", {"k": method})


def test_one_warning_per_problem_at_the_highest_severity():
    flags = flags_frame([flag("S1", "peer", "yellow"), flag("S1", "standard", "red"), flag("S1", "trend", "info"),
                         flag("S1", "integrity", "red", indicator=None, unit="students:A1", layer="data"),
                         flag("S2", "trend", "yellow")])
    warnings = merge_warnings(flags)
    assert len(warnings) == 3
    s1 = warnings[(warnings["school_id"] == "S1") & (warnings["unit"] == "")].iloc[0]
    # red first; the message of the most severe flag leads; every flag stays as evidence
    assert s1["severity"] == "red" and s1["methods"] == "standard,peer,trend" and s1["n_flags"] == 3
    assert s1["message_zh"] == "standard red"
    assert [e["method"] for e in s1["evidence"]] == ["standard", "peer", "trend"]
    assert warnings["severity"].tolist() == ["red", "red", "yellow"]


def test_traffic_lights_per_item_and_school():
    warnings = merge_warnings(flags_frame([
        flag("S1", "standard", "red"),  # 教师队伍建设 and 基本办学条件 red
        flag("S2", "uncertainty", "yellow", indicator="employment_rate"),  # 质量监控与成效 yellow
        flag("S2", "integrity", "red", indicator=None, unit="students:B1", layer="data"),  # 数据质量 red
        flag("S3", "multivariate", "info", indicator="employment_rate")]))
    years = pd.DataFrame({"school_id": ["S1", "S2", "S3", "S4"], "year": 2024})
    items = item_lights(warnings, META, years).set_index(["school_id", "item"])
    assert items.loc[("S1", "教师队伍建设"), "status"] == "red" and items.loc[("S1", "基本办学条件"), "status"] == "red"
    assert items.loc[("S1", "质量监控与成效"), "status"] == "green"
    assert items.loc[("S2", "质量监控与成效"), "status"] == "yellow" and items.loc[("S2", "数据质量"), "status"] == "red"
    assert items.loc[("S3", "质量监控与成效"), "status"] == "green"  # a note is not a warning
    assert items.loc[("S3", "质量监控与成效"), "info"] == 1
    assert (items.xs("S4", level="school_id")["status"] == "green").all() and len(items.xs("S4", level="school_id")) == 4
    schools = school_lights(items.reset_index()).set_index("school_id")
    assert schools["status"].to_dict() == {"S1": "red", "S2": "red", "S3": "green", "S4": "green"}
    assert schools.loc["S2", "red_items"] == 1 and schools.loc["S2", "yellow_items"] == 1


def test_result_renders_and_suppresses_small_rates():
    flags = flags_frame([flag("S1", "standard", "yellow", indicator="employment_rate", n=10, observed=70.0),
                         flag("S2", "standard", "yellow", indicator="employment_rate", n=40, observed=70.0),
                         flag("S3", "standard", "red")])
    result = WarningResult(flags, META, notes=["检测器插件 x 未加载"])
    shown = result.to_frame()
    assert list(shown.columns) == ["school_id", "year", "layer", "unit", "indicator_id", "method", "severity",
                                   "observed", "expected", "n", "rule", "source", "message_zh", "message_en"]
    by_school = shown.set_index("school_id")["observed"]
    assert pd.isna(by_school["S1"]) and by_school["S2"] == 70.0 and by_school["S3"] == 23.4  # 10 < 23 people
    html = result._repr_html_()
    assert "红色预警" in html and "未加载" in html and "<table>" in html
    assert "3 flags → 3 warnings; red 1, yellow 2" in repr(result)
    assert result.filter(school="S3").to_frame("warnings")["severity"].tolist() == ["red"]
    assert result.counts().set_index("method").loc["standard", "yellow"] == 2
    with pytest.raises(ValueError):
        result.to_frame("nonsense")


def test_thresholds_file_rejects_typos_missing_keys_and_sources():
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["peer"]["yelow"] = {"value": 3.5, "source": "typo"}
    del data["trend"]["tolerance"]
    data["peer"]["red"] = {"value": "five", "source": "x"}
    data["benford"]["alpha"] = {"value": 0.01, "source": ""}
    data["colours"] = {}
    with pytest.raises(ConfigError) as err:
        parse_thresholds(data)
    text = "\n".join(err.value.problems)
    for expected in ("peer.yelow", "trend.tolerance: 缺失", "peer.red", "benford.alpha: 缺少来源", "colours"):
        assert expected in text


def test_every_threshold_cites_its_source():
    thresholds = parse_thresholds(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    assert thresholds.value("peer.yellow") == 3.5 and thresholds.value("peer.red") == 5.0  # domain.md §7
    assert thresholds.value("trend.tolerance") == 0.33 and thresholds.value("uncertainty.n_floor") == 23
    assert thresholds.value("completeness.min_share") == 0.9
    assert all(src.strip() for src in thresholds.sources.values())
    assert "domain.md §7" in thresholds.source("peer.yellow")
