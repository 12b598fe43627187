"""The province report's data on the hand-made world: counts, distributions, frequent warnings, ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from report_world import EVIL_NAME, GENERATED, source

from diagnostics.models import load_models
from diagnostics.reports.html import province_html
from diagnostics.reports.province import gather_province
from diagnostics.reports.ranking import rank_schools


@pytest.fixture(scope="module")
def report():
    return gather_province(source(name=EVIL_NAME), 2024, generated_at=GENERATED)


def test_counts_cards_and_lights(report):
    assert dict(report.schools_by_level) == {"高职": 3, "中职": 1}
    assert dict(report.card_counts) == {"■ 红牌": 0, "▲ 黄牌": 1, "● 无黄牌、红牌": 2}
    assert [(name, card) for name, _, card, _ in report.carded] == [(EVIL_NAME, "黄牌")]
    red = next(counts for key, _, counts in report.light_counts if key == "red")
    assert red == {"高职": 1, "中职": 0}


def test_distributions_by_level_and_city(report):
    ratio = next(d for d in report.distributions if d.indicator_id == "student_teacher_ratio")
    higher = next(g for g in ratio.by_level if g.group == "高职")
    # issue 12: three schools are too few for quartiles, a share or a box of their own (each would give
    # one school's value away); the statistics of groups of ≥ 5 are tested in test_privacy.py
    assert (higher.n, higher.p25, higher.median, higher.p75) == (3, "—", "—", "—")
    assert higher.qualified_share == "—"
    assert ratio.values["高职"] == {}


def test_most_frequent_warnings(report):
    assert all(f.schools == 1 for f in report.frequent)  # one school has warnings
    assert [f.problem for f in report.frequent[:2]] == ["学籍与资金核查", "生师比"]  # red first; no rule: the method
    programs = next(f for f in report.frequent if f.problem == "专业高级职称专任教师数")
    assert (programs.yellow, programs.methods) == (2, "国家标准对照")


def test_medians_over_the_years(report):
    assert report.median_years == [2023, 2024]
    assert dict(report.medians["生师比"]["高职"]) == {}  # issue 12: no median of 3 schools


def test_html_escapes_names(report):
    html = province_html(report)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ranking_orders_by_score_and_intervals_hold_the_rank():
    models, _ = load_models()
    rng = np.random.default_rng(0)
    rows = []
    for school, level in (("A", 1.2), ("B", 1.0), ("C", 0.7)):  # A meets every standard, C misses most
        for ind, qualified in (("dual_qualified_share", 30.0), ("senior_title_teacher_share", 20.0),
                               ("graduate_degree_teacher_share", 15.0)):
            rows.append({"school_id": school, "indicator_id": ind, "value": qualified * level * rng.uniform(0.95, 1),
                         "n": 200, "qualified": qualified, "restriction": np.nan, "year": 2024, "layer": "school"})
    ranked = rank_schools(pd.DataFrame(rows), models, replicates=200, seed=1)
    assert [r.school_id for r in ranked] == ["A", "B", "C"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert all(r.low <= r.rank <= r.high for r in ranked)
    assert ranked[0].score == pytest.approx(100.0) and ranked[2].score < 80
