"""Value-based methods on hand-built frames: standard, target, uncertainty, trend, peer, multivariate.

Every expectation is computed by hand in the comment beside it (methods: shared/domain.md §4, §7).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from diagnostics.warnings import IndicatorMeta, WarningInputs, load_thresholds
from diagnostics.warnings.methods import (
    benchmark_flags,
    card_flags,
    multivariate_flags,
    peer_flags,
    standard_flags,
    target_flags,
    trend_flags,
)
from diagnostics.warnings.methods.uncertainty import benchmark_frame, wilson

CFG = load_thresholds()
RAW = CFG.with_values(peer__log_scale=False)  # hand computations on the values themselves
CLASSIC = RAW.with_values(peer__pool_below=4)  # every group of 4 or more judged on its own median and MAD
STR = IndicatorMeta("student_teacher_ratio", "生师比", "student–teacher ratio", "1", "lower", ("教师队伍建设",))
EMP = IndicatorMeta("employment_rate", "毕业去向落实率", "placement rate", "%", "higher", ("质量监控与成效",))
X = IndicatorMeta("x", "指标X", "indicator X", "1", "higher", ("学校管理",))
LOW = IndicatorMeta("y", "指标Y", "indicator Y", "1", "lower")
COUNT = IndicatorMeta("c", "留学生数", "international students", "人", "higher", counts=True)
METAS = {m.id: m for m in (STR, EMP, X, LOW, COUNT)}


def schools(n: int, level: str = "高职", category: str = "工科") -> pd.DataFrame:
    return pd.DataFrame({"school_id": [f"S{i}" for i in range(1, n + 1)], "level": level, "category": category})


def make(rows: list[dict], n_schools: int = 3, **kw) -> WarningInputs:
    defaults = {"layer": "school", "unit": "", "numerator": np.nan, "denominator": np.nan, "n": np.nan}
    frame = pd.DataFrame([{**defaults, **r} for r in rows])
    return WarningInputs(values=frame, indicators=METAS, schools=kw.pop("schools", schools(n_schools)), **kw)


# --------------------------------------------------------------------------- standard
def std_row(school, value, qualified=18.0, restriction=22.0, **kw):
    return {"school_id": school, "year": 2024, "indicator_id": "student_teacher_ratio", "value": value,
            "qualified": qualified, "qualified_source": "教发〔2004〕2号 附表1", "qualified_verified": True,
            "restriction": restriction, "restriction_source": "教发〔2004〕2号 附表2", "restriction_verified": False,
            **kw}


def test_standard_red_below_restriction_yellow_below_qualified():
    # 生师比 ≤: 23.4 misses 22 (限制招生) → red; 19 misses 18 (合格) → yellow; 17 meets both
    flags = standard_flags(make([std_row("S1", 23.4), std_row("S2", 19.0), std_row("S3", 17.0)]), CFG)
    got = flags.set_index("school_id")
    assert sorted(got.index) == ["S1", "S2"]
    assert got.loc["S1", "severity"] == "red" and got.loc["S1", "expected"] == "≤ 22"
    assert got.loc["S1", "evidence"]["levels_missed"] == ["限制招生", "合格"]
    assert got.loc["S2", "severity"] == "yellow" and got.loc["S2", "source"] == "教发〔2004〕2号 附表1"
    # the message style of issue 4; the context is the median of the three schools (17, 19, 23.4) = 19,
    # shown when the group has at least peer.min_group (5) values — here only 3, so it is left out
    assert got.loc["S2", "message_zh"] == "生师比 19，高于合格标准 18（教发〔2004〕2号 附表1）"
    assert got.loc["S1", "message_zh"].endswith("（教发〔2004〕2号 附表2）")


def test_standard_message_quotes_the_peer_median():
    rows = [std_row(f"S{i}", v) for i, v in enumerate([23.4, 16.0, 16.2, 16.4, 15.0], start=1)]
    flag = standard_flags(make(rows, 5), CFG).iloc[0]
    # median of 23.4, 16.0, 16.2, 16.4, 15.0 = 16.2
    assert flag["message_zh"] == "生师比 23.4，高于限制招生标准 22（教发〔2004〕2号 附表2），全省同类院校中位数 16.2"
    assert "median of similar schools in the province 16.2" in flag["message_en"]


def test_standard_on_a_small_rate_is_uncertain_unless_the_whole_interval_misses():
    # 8 of 10 = 80%: Wilson 95% [49.0%, 94.3%] contains 90 → uncertainty / info
    # 50 of 100 = 50%: Wilson [40.4%, 59.6%] is wholly below 90 → standard / yellow
    rows = [{"school_id": s, "year": 2024, "indicator_id": "employment_rate", "value": v, "numerator": k,
             "denominator": n, "n": n, "qualified": 90.0, "qualified_source": "src", "qualified_verified": True}
            for s, v, k, n in (("S1", 80.0, 8, 10), ("S2", 50.0, 50, 100))]
    flags = standard_flags(make(rows), CFG).set_index("school_id")
    assert flags.loc["S1", "method"] == "uncertainty" and flags.loc["S1", "severity"] == "info"
    assert flags.loc["S1", "evidence"]["low"] == pytest.approx(49.02, abs=0.01)
    assert "49.0%–94.3%" in flags.loc["S1", "message_zh"] and "不确定" in flags.loc["S1", "message_zh"]
    assert "（人数少，比率不显示）" in flags.loc["S1", "message_zh"]  # 10 < 23 people: not shown
    assert flags.loc["S2", "method"] == "standard" and flags.loc["S2", "severity"] == "yellow"
    assert flags.loc["S2", "evidence"]["high"] == pytest.approx(59.62, abs=0.01)


def test_a_rate_of_nobody_is_not_judged():
    # n = 0: no graduates, so no rate (the engine leaves it empty) and no interval: nothing to flag
    rows = [{"school_id": "S1", "year": 2024, "indicator_id": "employment_rate", "value": np.nan, "numerator": 0,
             "denominator": 0, "n": 0, "qualified": 90.0, "qualified_source": "src", "qualified_verified": True,
             "target": 95.0}]
    inputs = make(rows)
    assert standard_flags(inputs, CFG).empty and target_flags(inputs, CFG).empty
    assert trend_flags(inputs, CFG).empty and peer_flags(inputs, CFG).empty


def test_cards_become_school_flags():
    cards = pd.DataFrame({"school_id": ["S1", "S2"], "year": [2024, 2024], "card": ["黄牌", "红牌"],
                          "reasons": ["生师比 = 23 低于限制招生线", "a；b"]})
    flags = card_flags(cards, CFG).set_index("school_id")
    assert flags.loc["S1", "severity"] == "yellow" and flags.loc["S2", "severity"] == "red"
    assert flags.loc["S2", "observed"] == 2 and "暂停招生" in flags.loc["S2", "message_zh"]


# --------------------------------------------------------------------------- target
def test_target_missed_in_either_direction():
    rows = [{"school_id": "S1", "year": 2024, "indicator_id": "x", "value": 50.0, "target": 60.0,
             "target_source": "学校目标"},
            {"school_id": "S2", "year": 2024, "indicator_id": "y", "value": 20.0, "target": 18.0},
            {"school_id": "S3", "year": 2024, "indicator_id": "x", "value": 61.0, "target": 60.0},
            {"school_id": "S3", "year": 2024, "indicator_id": "y", "value": 10.0, "school_standard": 12.0}]
    flags = target_flags(make(rows), CFG).set_index(["school_id", "indicator_id"])
    assert sorted(flags.index) == [("S1", "x"), ("S2", "y")]
    assert flags.loc[("S1", "x"), "expected"] == "≥ 60" and flags.loc[("S1", "x"), "evidence"]["gap"] == -10
    assert flags.loc[("S2", "y"), "message_zh"].startswith("指标Y 20，高于年度目标 18")


def test_school_standard_is_judged_as_a_target():
    rows = [{"school_id": "S1", "year": 2024, "indicator_id": "x", "value": 5.0, "school_standard": 8.0}]
    flag = target_flags(make(rows), CFG).iloc[0]
    assert flag["method"] == "target" and "校标" in flag["source"]


# --------------------------------------------------------------------------- uncertainty
def test_wilson_interval_hand_computed_and_n_zero():
    lo, hi = wilson(np.array([8, 50, 0]), np.array([10, 100, 0]))
    np.testing.assert_allclose(lo[:2], [0.49016, 0.40383], atol=1e-5)
    np.testing.assert_allclose(hi[:2], [0.94332, 0.59617], atol=1e-5)
    assert np.isnan(lo[2]) and np.isnan(hi[2])


def _benchmark_inputs() -> WarningInputs:
    # program groups G1 / G2; employed of graduates per program
    progs = [("S1", "P1", "G1", 90, 100), ("S1", "P2", "G2", 30, 50), ("S2", "P3", "G1", 45, 50),
             ("S2", "P4", "G2", 60, 100), ("S3", "P5", "G1", 60, 100)]
    rows = [{"school_id": s, "year": 2024, "layer": "program", "unit": p, "indicator_id": "employment_rate",
             "value": 100 * k / n, "numerator": k, "denominator": n, "n": n} for s, p, _, k, n in progs]
    programs = pd.DataFrame([{"school_id": s, "year": 2024, "program_code": p, "program_group": g}
                             for s, p, g, _, _ in progs])
    return make(rows, programs=programs)


def test_mix_adjusted_benchmark_hand_computed():
    # G1 = (90 + 45 + 60) / (100 + 50 + 100) = 0.78; G2 = (30 + 60) / (50 + 100) = 0.6
    # S1: (100·0.78 + 50·0.6) / 150 = 0.72; S2: (50·0.78 + 100·0.6) / 150 = 0.66; S3: 0.78
    bench = benchmark_frame(_benchmark_inputs(), CFG)
    school = bench[bench["layer"] == "school"].set_index("school_id")
    np.testing.assert_allclose(school.loc[["S1", "S2", "S3"], "benchmark"], [0.72, 0.66, 0.78])
    np.testing.assert_allclose(school.loc[["S1", "S2", "S3"], "value"], [80.0, 70.0, 60.0])


def test_benchmark_flags_only_a_material_shortfall_of_the_whole_interval():
    # S3: 60 of 100 → Wilson [50.2%, 69.1%] wholly below its benchmark 78% and 18 points short.
    # S2 (70% vs 66%) is above its own mix's benchmark.  Benchmarks are judged at school layer by default.
    # Three schools are too few to tell whether S3's gap is unusual: a note (info), not a warning.
    flags = benchmark_flags(_benchmark_inputs(), CFG)
    assert list(zip(flags["school_id"], flags["layer"], flags["unit"])) == [("S3", "school", "")]
    flag = flags.iloc[0]
    assert flag["method"] == "uncertainty" and flag["severity"] == "info" and flag["expected"] == "78.0%"
    assert flag["evidence"]["low"] == pytest.approx(50.20, abs=0.01)
    assert flag["evidence"]["program_groups"] == ["G1"]


def test_an_unusual_gap_to_the_benchmark_is_a_warning():
    # six schools, one G1 program of 100 graduates each: 80 81 79 80 82 40 employed; G1 = 442/600 = 73.67%.
    # Shortfalls (benchmark − rate): −6.33 −7.33 −5.33 −6.33 −8.33 33.67; median −6.33, MAD 1 →
    # z(S6) = 0.6745 · 40 / 1 = 26.98 > 3.5; S6's interval [30.9%, 49.8%] lies below 73.67% → yellow.
    progs = [(f"S{i}", f"P{i}", "G1", k, 100) for i, k in enumerate([80, 81, 79, 80, 82, 40], start=1)]
    rows = [{"school_id": s, "year": 2024, "layer": "program", "unit": p, "indicator_id": "employment_rate",
             "value": float(k), "numerator": k, "denominator": n, "n": n} for s, p, _, k, n in progs]
    programs = pd.DataFrame([{"school_id": s, "year": 2024, "program_code": p, "program_group": g}
                             for s, p, g, _, _ in progs])
    flags = benchmark_flags(make(rows, 6, programs=programs), CFG)
    assert flags[["school_id", "severity"]].values.tolist() == [["S6", "yellow"]]
    assert flags.iloc[0]["evidence"]["gap_z"] == pytest.approx(26.98, abs=0.01)
    assert flags.iloc[0]["evidence"]["benchmark"] == pytest.approx(73.667, abs=1e-3)


def test_benchmark_at_program_layer_compares_with_the_group_rate():
    cfg = CFG.with_values(uncertainty__benchmark_layers=["school", "program"])
    flags = benchmark_flags(_benchmark_inputs(), cfg)
    # P5 (S3's only program): 60% against G1's 78%; P1…P4 equal or exceed their group's rate
    assert sorted(zip(flags["school_id"], flags["layer"], flags["unit"])) == [("S3", "program", "P5"),
                                                                           ("S3", "school", "")]


def test_teacher_shares_are_not_outcome_rates():
    # a share of the whole staff is a census: 30.6% of 85 teachers misses a 38% target outright
    meta = IndicatorMeta("senior_share", "高级职称教师占比", "senior share", "%", "higher", ("教师队伍建设",))
    rows = [{"school_id": "S1", "year": 2024, "indicator_id": "senior_share", "value": 100 * 26 / 85,
             "numerator": 26, "denominator": 85, "n": 85, "target": 38.0}]
    inputs = WarningInputs(values=pd.DataFrame(rows).assign(layer="school", unit=""),
                           indicators={**METAS, meta.id: meta}, schools=schools(1))
    flag = target_flags(inputs, CFG).iloc[0]
    assert (flag["method"], flag["severity"]) == ("target", "yellow")


# --------------------------------------------------------------------------- trend
def series(values: dict[str, list[float]], first: int = 2020, indicator: str = "x", n: float = 100) -> list[dict]:
    """Rows of one indicator; a percentage is a share of ``n`` people (its denominator)."""
    meta = METAS[indicator]
    return [{"school_id": s, "year": first + i, "indicator_id": indicator, "value": v, "n": n,
             **({"numerator": v * n / 100, "denominator": n} if meta.is_rate else {})}
            for s, vs in values.items() for i, v in enumerate(vs)]


def test_trend_against_the_province_ratio():
    # 2023: S3's median of 2020–22 (100, 110, 90) = 100, ratio 0.5; province = median of 1, 1, 0.5 = 1;
    # 0.5 is outside 1 ± 0.33 but not beyond 1 ± 0.5 → yellow.  2021 (1.1) and 2022 (90 / 105) stay in.
    inputs = make(series({"S1": [100, 100, 100, 100], "S2": [200, 200, 200, 200], "S3": [100, 110, 90, 50]}))
    flags = trend_flags(inputs, CFG)
    assert flags[["school_id", "year", "severity"]].values.tolist() == [["S3", 2023, "yellow"]]
    flag = flags.iloc[0]
    assert flag["evidence"]["baseline"] == 100 and flag["evidence"]["expected"] == pytest.approx(100)
    assert flag["expected"] == "≥ 67"  # the usual range it left: 100 × (1 − 0.33)
    assert flag["message_zh"] == ("指标X 50，比以往年份中位数 100下降 50%（全省同期 +0%），"
                                  "超出正常波动范围（正常应≥ 67）")


def test_trend_province_ratio_resists_one_wrong_report():
    # 2021: S4 reports 100 × its usual value (good direction for X: a note); the median ratio stays 1,
    # so only S4 is flagged
    inputs = make(series({"S1": [100, 100], "S2": [200, 200], "S3": [50, 50], "S4": [10, 1000]}), 4)
    flags = trend_flags(inputs, CFG)
    assert flags[["school_id", "severity"]].values.tolist() == [["S4", "info"]]


def test_a_move_in_the_good_direction_is_never_red_or_yellow():
    # X doubles (higher is better): a note to check the figure; Y (lower is better) halves: a note too
    up = trend_flags(make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [100, 100, 100, 200]})), CFG)
    assert up[["school_id", "severity"]].values.tolist() == [["S3", "info"]]
    assert up.iloc[0]["expected"] == "≤ 133" and "方向有利" in up.iloc[0]["message_zh"]
    down = trend_flags(make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [100, 100, 100, 40]},
                                   indicator="y")), CFG)
    assert down["severity"].tolist() == ["info"]
    worse = trend_flags(make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [100, 100, 100, 200]},
                                    indicator="y")), CFG)
    assert worse["severity"].tolist() == ["red"]  # Y doubling is bad: ratio 2 is beyond 1 ± 0.5


def test_one_spike_does_not_echo_in_the_following_years():
    # S3's equipment jumps fivefold in 2023 and is back to 100 in 2024 and 2025.  The spike is flagged
    # (a note) and left out of every later baseline: 2024 and 2025 are compared with 100, not with a
    # mean of 100, 100, 500 = 233 (which would read "down 57 %", red, two years running)
    inputs = make(series({"S1": [100] * 6, "S2": [200] * 6, "S3": [100, 100, 100, 500, 100, 100]}))
    flags = trend_flags(inputs, CFG)
    assert flags[["school_id", "year"]].values.tolist() == [["S3", 2023]]


def test_one_bad_year_does_not_echo_either():
    # a one-year fall to 40 is red in 2023; back at 100 in 2024, that is not a rise from a spoilt baseline
    inputs = make(series({"S1": [100] * 6, "S2": [200] * 6, "S3": [100, 100, 100, 40, 100, 100]}))
    flags = trend_flags(inputs, CFG)
    assert flags[["school_id", "year", "severity"]].values.tolist() == [["S3", 2023, "red"]]


def test_rates_move_in_points_with_a_binomial_interval():
    # 1000 graduates: S1 95 % → 79 % is 16 points down; the province moved by the median of −16, −4, 0
    # = −4 points, so S1 was expected at 91 %: 12 points short, far outside the 99 % Wilson interval of
    # 790 / 1000 (75.6 %–82.1 %) and ≥ 10 points → red.  S2's 90 % → 86 % is exactly the province's move.
    rows = series({"S1": [95, 95, 95, 79], "S2": [90, 90, 90, 86], "S3": [85, 85, 85, 85]},
                  indicator="employment_rate", n=1000)
    flags = trend_flags(make(rows), CFG)
    assert flags[["school_id", "year", "severity"]].values.tolist() == [["S1", 2023, "red"]]
    flag = flags.iloc[0]
    assert "下降 16.0 个百分点（全省同期 -4.0 个百分点）" in flag["message_zh"]
    assert flag["expected"] == "≥ 86.0%"  # 91 − 5 points: the usual range it left
    # 30 graduates: 90 % → 80 % (24 of 30) is 10 points, but 90 % lies inside the 99 % interval
    # 56.7 %–92.4 % of 24 / 30: no warning
    few = series({"S1": [90, 90, 90, 80], "S2": [90, 90, 90, 90], "S3": [85, 85, 85, 85]},
                 indicator="employment_rate", n=30)
    assert trend_flags(make(few), CFG).empty


def test_counts_are_judged_by_an_exact_poisson_test():
    # S1 has 2, 1, 2, 1 international students: 1 against a baseline of 2 is "−50 %", but
    # P(X ≤ 1 | λ = 2) = 0.41 (two-sided 0.81): no warning.  S3's 100 → 40 is p < 1e-9 and 60 % down → red.
    rows = series({"S1": [2, 1, 2, 1], "S2": [10] * 4, "S3": [100, 100, 100, 40], "S4": [20] * 4, "S5": [30] * 4},
                  indicator="c")  # province ratio in 2023: median of 0.5, 1, 0.4, 1, 1 = 1
    flags = trend_flags(make(rows, 5), CFG)
    assert flags[["school_id", "year", "severity"]].values.tolist() == [["S3", 2023, "red"]]


def test_three_consecutive_moves_in_the_bad_direction():
    # X 100 → 95 → 85 → 80: three declines, 20 % in all (≥ 15 %) → yellow in 2023 only
    flags = trend_flags(make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [100, 95, 85, 80]})), CFG)
    assert flags[["school_id", "year", "severity"]].values.tolist() == [["S3", 2023, "yellow"]]
    assert flags.iloc[0]["evidence"]["relative_change"] == pytest.approx(0.2)
    falling_y = make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [100, 95, 85, 80]}, indicator="y"))
    assert trend_flags(falling_y, CFG).empty  # falling is good for a lower-is-better indicator
    rising_y = make(series({"S1": [100] * 4, "S2": [200] * 4, "S3": [80, 85, 95, 100]}, indicator="y"))
    assert trend_flags(rising_y, CFG)["severity"].tolist() == ["yellow"]


def test_trend_skips_rates_of_small_groups():
    rates = series({"S1": [90, 90], "S2": [80, 80], "S3": [90, 30]}, indicator="employment_rate", n=10)
    assert trend_flags(make(rates), CFG).empty  # n 10 people < trend.min_n 23
    big = series({"S1": [90, 90], "S2": [80, 80], "S3": [90, 30]}, indicator="employment_rate", n=300)
    assert trend_flags(make(big), CFG)["school_id"].tolist() == ["S3"]


def test_every_expected_value_shown_is_possible():
    # random rates of 40 schools over 6 years, some of them wild: whatever is flagged, the usual range
    # shown stays within 0–100 % (and amounts never below 0)
    rng = np.random.default_rng(11)
    rates = {f"S{i}": list(np.clip(rng.normal(80, 25, 6), 0, 100).round(1)) for i in range(1, 41)}
    amounts = {f"S{i}": list(np.abs(rng.normal(100, 80, 6)).round(1)) for i in range(1, 41)}
    rows = series(rates, indicator="employment_rate", n=500) + series(amounts, indicator="x")
    info = schools(40)
    flags = pd.concat([trend_flags(make(rows, schools=info), CFG), peer_flags(make(rows, schools=info), CFG)])
    assert len(flags) > 10
    for text, ind in zip(flags["expected"], flags["indicator_id"]):
        number = float(str(text).split()[-1].rstrip("%").replace(",", ""))
        assert 0 <= number <= (100 if ind == "employment_rate" else np.inf), (text, ind)


# --------------------------------------------------------------------------- peer
def peer_rows(values: list[float], indicator: str = "y") -> list[dict]:
    """One value per school; Y is lower-is-better, so a high outlier is a warning."""
    return [{"school_id": f"S{i}", "year": 2024, "indicator_id": indicator, "value": v}
            for i, v in enumerate(values, start=1)]


def test_peer_modified_z_and_percentile_hand_computed():
    # median 12.5; |x − 12.5| = 2.5 1.5 .5 .5 1.5 17.5 → MAD 1.5; z(30) = 0.6745·17.5/1.5 = 7.869 → red
    flags = peer_flags(make(peer_rows([10, 11, 12, 13, 14, 30]), 6), CLASSIC)
    assert len(flags) == 1
    flag = flags.iloc[0]
    assert flag["school_id"] == "S6" and flag["severity"] == "red"
    assert flag["evidence"]["modified_z"] == pytest.approx(7.869, abs=1e-3)
    assert flag["evidence"]["percentile"] == pytest.approx(100 * 5.5 / 6)
    assert flag["expected"] == "≤ 20.3"  # the side it left of 12.5 ∓ 3.5 · 1.5 / 0.6745 = 4.72 … 20.28
    assert "全省同类院校（高职·工科）中位数 12.5（共 6 个）" in flag["message_zh"]


def test_standing_out_in_the_good_direction_is_a_note():
    # X is higher-is-better: 30 among 10…14 is far above its peers — a note to check the figure, never a
    # warning; the same school low on X (−6: far below) is red
    high = peer_flags(make(peer_rows([10, 11, 12, 13, 14, 30], indicator="x"), 6), CLASSIC).iloc[0]
    assert (high["severity"], high["expected"]) == ("info", "≤ 20.3") and "方向有利" in high["message_zh"]
    low = peer_flags(make(peer_rows([10, 11, 12, 13, 14, -6], indicator="x"), 6), CLASSIC).iloc[0]
    assert low["severity"] == "red" and low["expected"].startswith("≥ ")


def test_peer_mad_zero_falls_back_to_mean_absolute_deviation():
    # 5 5 5 5 5 9: MAD 0; mean |x − 5| = 4/6; z(9) = 0.7979 · 4 / (4/6) = 4.787 → yellow (3.5 < z ≤ 5)
    flag = peer_flags(make(peer_rows([5, 5, 5, 5, 5, 9]), 6), CLASSIC).iloc[0]
    assert flag["severity"] == "yellow" and flag["evidence"]["used_mean_abs_dev"]
    assert flag["evidence"]["modified_z"] == pytest.approx(4.787, abs=1e-3)


def test_a_rate_counts_its_people_not_its_records():
    # a survey rate: 6 questions (the engine's n) answered 1200 times (the denominator) → judged;
    # median 90, |x − 90| = 0 1 1 0 2 40 → MAD 1, z(50) = 0.6745 · 40 = 26.98 → red, n shown = 1200
    rows = [{**r, "n": 6, "numerator": r["value"] * 12, "denominator": 1200}
            for r in peer_rows([90, 91, 89, 90, 92, 50], indicator="employment_rate")]
    flag = peer_flags(make(rows, 6), CLASSIC).iloc[0]
    assert (flag["school_id"], flag["severity"], flag["n"]) == ("S6", "red", 1200)
    assert flag["evidence"]["modified_z"] == pytest.approx(26.98, abs=0.01)
    few = [{**r, "numerator": r["value"] / 10, "denominator": 10} for r in rows]  # 10 people: not judged
    assert peer_flags(make(few, 6), CLASSIC).empty


def test_peer_all_equal_and_small_groups_give_nothing():
    assert peer_flags(make(peer_rows([7] * 6), 6), CFG).empty
    assert peer_flags(make(peer_rows([10, 11, 30]), 3), CFG).empty  # 3 < peer.min_group 5


def test_small_groups_take_their_spread_from_the_whole_level():
    # 工科 10 10.5 11 11.5 30 and 财经 13 14 15 16 17, both 高职 (groups of 5 < peer.pool_below 10).
    # Distance of each school from the median of the rest of its group:
    #   工科 −1.25 −0.75 0 0.75 19.25 (e.g. 30 − median(10, 10.5, 11, 11.5) = 30 − 10.75)
    #   财经 −2.5 −1.5 0 1.5 2.5
    # pooled: median 0, MAD = (1.25 + 1.5) / 2 = 1.375; z(30) = 0.6745 · 19.25 / 1.375 = 9.443 → red
    info = pd.concat([schools(5, category="工科"), schools(10, category="财经").iloc[5:]], ignore_index=True)
    rows = make(peer_rows([10, 10.5, 11, 11.5, 30, 13, 14, 15, 16, 17]), schools=info)
    flags = peer_flags(rows, RAW)
    assert flags[["school_id", "severity"]].values.tolist() == [["S5", "red"]]
    assert flags.iloc[0]["evidence"]["modified_z"] == pytest.approx(9.443, abs=1e-3)
    assert flags.iloc[0]["evidence"]["pooled_spread"]
    # a group judged on its own (pool_below 5): median 11, MAD 0.5 → z = 0.6745 · 19 / 0.5 = 25.63
    own = peer_flags(rows, RAW.with_values(peer__pool_below=5)).iloc[0]
    assert own["evidence"]["modified_z"] == pytest.approx(25.63, abs=0.01) and not own["evidence"]["pooled_spread"]


def test_peer_compares_amounts_on_a_log_scale():
    # ln of 100 200 400 800 1600 3200: evenly spaced, median ln(565.7); no school is an outlier on the
    # log scale, while on the raw scale 3200 is (median 600, MAD 450 → z = 0.6745 · 2600 / 450 = 3.9)
    values = [100, 200, 400, 800, 1600, 3200]
    assert peer_flags(make(peer_rows(values), 6), CLASSIC.with_values(peer__log_scale=True)).empty
    assert peer_flags(make(peer_rows(values), 6), CLASSIC)["school_id"].tolist() == ["S6"]


def test_peer_groups_by_level_and_category():
    # two categories of three schools: neither is a comparison group of its own (fewer than
    # peer.group_min_size 5), so the six are compared as 高职 schools, and S6 (30) stands out there
    info = pd.concat([schools(3, category="工科"), schools(6, category="财经").iloc[3:]], ignore_index=True)
    flag = peer_flags(make(peer_rows([10, 11, 12, 13, 14, 30]), schools=info), CLASSIC).iloc[0]
    assert flag["school_id"] == "S6" and "全省高职院校中位数" in flag["message_zh"]
    # five 工科 and one 财经: the 工科 five are a group; the 财经 school is compared with every 高职 school
    info = pd.concat([schools(5, category="工科"), schools(6, category="财经").iloc[5:]], ignore_index=True)
    groups = make(peer_rows([10, 11, 12, 13, 14, 30]), schools=info).schools.set_index("school_id")["peer_group"]
    assert groups.to_dict() == {**{f"S{i}": "高职·工科" for i in range(1, 6)}, "S6": "高职"}


def test_a_school_may_choose_its_own_peers():
    # S6 = 30 is extreme among all six, but its chosen peers S7…S11 are 28…32: median 30, no flag.
    values = [10, 11, 12, 13, 14, 30, 28, 29, 30, 31, 32]
    info = pd.concat([schools(6), schools(11, category="财经").iloc[6:]], ignore_index=True)
    chosen = {"S6": ["S7", "S8", "S9", "S10", "S11"]}
    flags = peer_flags(make(peer_rows(values), schools=info, peer_groups=chosen), CLASSIC)
    assert "S6" not in set(flags["school_id"])
    # S1's default group (工科, S1…S6) still contains S6 as a peer: median 12.5 → S6 would be judged there
    no_choice = peer_flags(make(peer_rows(values), schools=info), CLASSIC)
    assert "S6" in set(no_choice["school_id"])


# --------------------------------------------------------------------------- multivariate
def test_multivariate_flags_an_unusual_profile_with_its_driver():
    rng = np.random.default_rng(3)
    rows = []
    for i in range(1, 31):
        vals = rng.normal([10, 20, 30], [1, 2, 3])
        if i == 30:
            vals[2] = 90.0  # far off in indicator c only
        rows += [{"school_id": f"S{i}", "year": 2024, "indicator_id": ind, "value": v}
                 for ind, v in zip(("a", "b", "c"), vals)]
    flags = multivariate_flags(make(rows, 30), CFG)
    hit = flags[flags["school_id"] == "S30"]
    assert len(hit) == 1 and hit.iloc[0]["indicator_id"] == "c" and hit.iloc[0]["severity"] == "info"
    assert hit.iloc[0]["evidence"]["drivers"][0]["z"] > 10


# --------------------------------------------------------------------------- calibration
def test_a_move_must_be_unusual_among_the_provinces_moves():
    # 12 schools whose rates move by up to ±6 points a year (employer surveys of 1000 people): a 6-point
    # fall is one of the province's ordinary moves — no warning; a 28-point fall is far outside them
    # (modified z of the deviations from expectation: MAD about 3 points, so 28 points is z ≈ 5)
    rng = np.random.default_rng(5)
    noisy = {f"S{i}": list(np.round(90 + rng.uniform(-6, 6, 4), 1)) for i in range(1, 12)}
    rows = series({**noisy, "S12": [90, 90, 90, 84]}, indicator="employment_rate", n=1000)
    assert "S12" not in set(trend_flags(make(rows, schools=schools(12)), CFG)["school_id"])
    rows = series({**noisy, "S12": [90, 90, 90, 62]}, indicator="employment_rate", n=1000)
    flags = trend_flags(make(rows, schools=schools(12)), CFG)
    assert flags[flags["school_id"] == "S12"]["severity"].tolist() == ["red"]


def test_a_series_starting_at_zero_is_judged_without_failing():
    # a count that is 0 in its first year gives an infinite relative change: it is judged, not a crash
    rows = series({f"S{i}": [10, 9, 8, 7] for i in range(1, 12)} | {"S12": [0, 5, 4, 3]}, indicator="x")
    trend_flags(make(rows, schools=schools(12)), CFG)


def test_a_peer_gap_must_be_material():
    # 79 against peers of 80, 80, 80, 80, 81: a modified z of ∞ (MAD 0), but one enterprise fewer is no
    # warning; 40 (half the median) is
    near = peer_flags(make(peer_rows([80, 80, 80, 80, 81, 79], indicator="x"), 6), CLASSIC)
    assert near[near["severity"].isin(["red", "yellow"])].empty
    far = peer_flags(make(peer_rows([80, 80, 80, 80, 81, 40], indicator="x"), 6), CLASSIC)
    assert far[["school_id"]].values.tolist() == [["S6"]] and far.iloc[0]["severity"] in ("red", "yellow")
