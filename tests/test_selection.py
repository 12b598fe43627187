"""The top-k selection (遴选): the index file is checked, rank intervals cover the true rank of a
planted province, a school with a red card (from the one verdict) is never selected, open integrity
warnings exclude until their follow-up is closed, and weight sensitivity is reported."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import yaml
from app_world import small_url  # noqa: F401  (fixture)

from diagnostics.access import Access, PermissionDenied, Role, User
from diagnostics.cli import main
from diagnostics.selection import Facts, SelectionSpecError, load_spec, parse_spec, select
from diagnostics.selection.score import Inputs, rank_intervals, ranks, scores, top_probability
from diagnostics.selection.spec import DEFAULT
from diagnostics.store import make_engine
from diagnostics.warnings.persist import load_flags, save_flags

PROV = User("prov", Role.PROVINCE)


def _raw() -> dict:
    return yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))


# ---- the index file ----------------------------------------------------------------------------------
def test_the_packaged_index_is_valid_and_names_known_indicators():
    from diagnostics.workflow.indicators import models

    spec = load_spec(known_indicators=set(models().indicators))
    assert spec.top == 30 and len(spec.components) >= 4 and "红牌" in spec.no_card
    assert all(c.weight_range[0] <= c.weight <= c.weight_range[1] for c in spec.components)


def test_the_schema_rejects_unknown_keys_and_reports_every_problem_at_once():
    raw = _raw()
    raw["topp"] = 30
    raw["indicators"][0]["wieght"] = 0.3
    raw["indicators"][1]["direction"] = "up"
    raw["indicators"][2]["weight_range"] = [0.5, 0.9]
    raw["eligibility"]["no_red_card"] = True
    raw["resampling"]["interval"] = 5
    raw["indicators"].append({"id": "employment_rat", "weight": 0.1, "direction": "higher_is_better"})
    with pytest.raises(SelectionSpecError) as err:
        parse_spec(raw, known_indicators={c["id"] for c in _raw()["indicators"]})
    where = {p for p, _, _ in err.value.problems}
    assert {"topp", "indicators[0].wieght", "indicators[1].direction", "indicators[2].weight_range",
            "eligibility.no_red_card", "resampling.interval", f"indicators[{len(raw['indicators']) - 1}].id"} <= where
    text = str(err.value)
    assert "未知的键" in text and "unknown key" in text and "did you mean top" in text
    assert "employment_rate" in text  # the nearest indicator is suggested


# ---- the statistics ------------------------------------------------------------------------------------
def test_rank_intervals_contain_the_true_rank_of_a_planted_province():
    rng = np.random.default_rng(20241207)
    schools, k = 40, 3
    truth = rng.uniform(0.6, 0.95, size=(schools, k))
    den = rng.integers(150, 900, size=(schools, k)).astype(float)
    signs, w = np.array([1.0, 1.0, -1.0]), np.array([0.4, 0.3, 0.3])
    true_rank = ranks(scores(truth * 100, signs, w))
    covered, widths, total = 0, [], 0
    for _ in range(25):  # 25 planted provinces observed afresh: the counts drawn from the truth
        num = rng.binomial(den.astype(int), truth).astype(float)
        inp = Inputs(num / den * 100, num, den, signs, w, w, w)
        low, high = rank_intervals(inp, 300, 0.9, rng)
        covered += int(((low <= true_rank) & (true_rank <= high)).sum())
        widths.append(np.mean(high - low))
        total += schools
    assert covered / total >= 0.9, covered / total
    assert np.mean(widths) < schools / 3, "intervals as wide as the list would cover anything"


def test_values_without_counts_are_not_resampled_and_shares_are():
    values = np.array([[50.0, 3.0], [60.0, 2.0], [70.0, 1.0]])
    num = np.array([[50.0, np.nan], [60.0, np.nan], [70.0, np.nan]])
    den = np.array([[100.0, np.nan], [100.0, np.nan], [100.0, np.nan]])
    inp = Inputs(values, num, den, np.array([1.0, 1.0]), np.array([1.0, 1.0]), np.array([1.0, 1.0]),
                 np.array([1.0, 1.0]))
    from diagnostics.selection.score import resample

    reps = resample(inp, np.random.default_rng(1), 200)
    assert (reps[:, :, 1] == values[:, 1]).all()
    assert reps[:, :, 0].std(axis=0).min() > 2 and abs(reps[:, 0, 0].mean() - 50) < 1.5


def test_the_probability_of_the_top_depends_on_the_weight_ranges():
    # A is best on the first indicator, B on the second; C in between on both; D and E behind
    values = np.array([[90.0, 10.0], [10.0, 90.0], [55.0, 55.0], [20.0, 20.0], [15.0, 15.0]])
    none = np.full(values.shape, np.nan)
    fixed = Inputs(values, none, none, np.ones(2), np.array([0.5, 0.5]), np.array([0.5, 0.5]), np.array([0.5, 0.5]))
    p = top_probability(fixed, 1, 200, np.random.default_rng(1))
    assert set(p) <= {0.0, 1.0}, "with fixed weights nothing depends on them"
    wide = Inputs(values, none, none, np.ones(2), np.array([0.5, 0.5]), np.array([0.1, 0.1]), np.array([0.9, 0.9]))
    p = top_probability(wide, 1, 2000, np.random.default_rng(1))
    assert 0.2 < p[0] < 0.8 and 0.2 < p[1] < 0.8 and p[3] == p[4] == 0


def _facts(cards: dict[str, str] | None = None, warnings: dict[str, list[str]] | None = None) -> Facts:
    spec = load_spec()
    rows, rng = [], np.random.default_rng(3)
    schools = pd.DataFrame({"school_id": [f"S{i:02d}" for i in range(40)], "name": [f"学校{i}" for i in range(40)],
                            "level": "中职", "city": "江州市"})
    for i, sid in enumerate(schools["school_id"]):
        for c in spec.components:
            good = (40 - i) / 40  # S00 best on every indicator
            v = 50 + 40 * good if c.sign > 0 else 50 - 40 * good
            rows.append({"school_id": sid, "indicator_id": c.id, "value": v + rng.normal(0, 0.5),
                         "numerator": np.nan, "denominator": np.nan})
    return Facts(schools, pd.DataFrame(rows), cards or {}, warnings or {})


def test_a_school_with_a_red_card_is_never_selected():
    spec = load_spec()
    clean = select(spec, _facts())
    assert clean.loc[clean["school_id"] == "S00", "rank"].iloc[0] == 1
    assert clean["selected"].sum() == 30
    out = select(spec, _facts(cards={"S00": "红牌", "S05": "黄牌"}, warnings={"S01": ["学生重复注册"]}))
    red = out.set_index("school_id").loc["S00"]
    assert not red["eligible"] and not red["selected"] and pd.isna(red["rank"]) and "红牌" in red["reason_zh"]
    assert out.set_index("school_id").loc["S05", "selected"], "a yellow card does not exclude under this index"
    assert "未关闭的预警" in out.set_index("school_id").loc["S01", "reason_zh"]
    chosen = out[out["selected"]]
    assert len(chosen) == 30 and "S00" not in set(chosen["school_id"])
    assert list(chosen["rank"]) == list(range(1, 31))
    assert (chosen["rank_low"] <= chosen["rank"]).all() and (chosen["rank"] <= chosen["rank_high"]).all()


def _index(tmp_path, methods: list[str]) -> str:
    raw = _raw()
    raw["eligibility"]["no_open_warnings"]["methods"] = methods
    path = tmp_path / f"index_{'_'.join(methods) or 'none'}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_through_the_store_a_red_card_of_the_verdict_excludes_and_a_closed_follow_up_readmits(small_url, tmp_path):  # noqa: F811
    engine = make_engine(small_url)
    access = Access(engine, PROV)
    year = int(access.reported_school_years()["year"].max())
    plain, strict = _index(tmp_path, ["spotcheck"]), _index(tmp_path, ["integrity", "spotcheck"])
    first = access.selection(year, index=plain, top=3)
    ranked = first[first["eligible"]]
    assert len(ranked) >= 4 and set(first.columns) >= {"score", "rank", "rank_low", "rank_high", "p_top"}
    best = ranked["school_id"].iloc[0]
    card = pd.DataFrame([{"school_id": best, "year": year, "layer": "school", "unit": "",
                          "indicator_id": "student_teacher_ratio", "method": "standard", "severity": "red",
                          "observed": 40.0, "expected": "≤ 23", "n": 100, "rule": "生师比（限制招生）",
                          "source": "教发〔2004〕2号", "message_zh": "生师比达到限制招生标准",
                          "message_en": "student-teacher ratio at the enrolment-restriction level",
                          "evidence": {"card": "red", "reasons": ["生师比"]}}])
    save_flags(engine, card, None, best, year, ["none"])  # adds the card's flag, removes nothing
    after = access.selection(year, index=plain, top=3).set_index("school_id")
    assert not after.loc[best, "eligible"] and not after.loc[best, "selected"] and "红牌" in after.loc[best, "reason_zh"]
    assert after["selected"].sum() == 3
    # an open integrity warning excludes; closing its follow-up with a reason readmits
    open_before = access.selection(year, index=strict, top=3).set_index("school_id")
    candidates = [s for s in ranked["school_id"] if s != best and open_before.loc[s, "eligible"]]
    assert candidates, "some school must be free of integrity warnings for this test to mean anything"
    second = candidates[0]
    flag = card.assign(school_id=second, layer="data", unit="students:X1", indicator_id=None, method="integrity",
                       evidence=[{}])
    save_flags(engine, flag, None, second, year, ["none"])
    shut = access.selection(year, index=strict, top=3).set_index("school_id")
    assert not shut.loc[second, "eligible"] and "未关闭的预警" in shut.loc[second, "reason_zh"]
    fu = access.mark_follow_up(second, year, None, layer="data", unit="students:X1", method="integrity")
    access.close_follow_up(fu["id"], fu["version"], "已核实，学籍已更正")
    readmitted = access.selection(year, index=strict, top=3).set_index("school_id").loc[second]
    assert readmitted["eligible"], readmitted["reason_zh"]
    assert len(load_flags(engine, school=second, year=year, method="integrity")) >= 1
    with pytest.raises(PermissionDenied):
        Access(engine, User("zhou", Role.CITY, city="江州市")).selection(year)
    engine.dispose()


def test_the_command_prints_every_school_with_rank_interval_and_reason(small_url, capsys, tmp_path):  # noqa: F811
    year = int(Access(make_engine(small_url), PROV).reported_school_years()["year"].max())
    assert main(["--db", small_url, "select", "--year", str(year), "--top", "3", "--format", "csv",
                 "--index", _index(tmp_path, ["spotcheck"])]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(out.columns[:5]) == ["school_id", "name", "level", "city", "eligible"]
    assert out["selected"].sum() == 3 and out.loc[out["selected"], "rank"].max() == 3
    eligible = out[out["eligible"]]
    assert eligible["rank_low"].le(eligible["rank"]).all() and eligible["p_top"].between(0, 1).all()
    assert out.loc[~out["eligible"], "reason_zh"].astype(str).str.len().gt(0).all()
    assert main(["--db", small_url, "select", "--year", str(year)]) == 0
    table = capsys.readouterr().out
    assert "名次区间" in table and "未关闭的预警" in table  # the packaged index: open integrity warnings exclude
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname_zh: 指数\nindicators: []\nweights: 1\n", encoding="utf-8")
    assert main(["--db", small_url, "select", "--year", str(year), "--index", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "weights: 未知的键" in err and "indicators: 应为非空列表" in err and "name_en: 缺少必填的键" in err

