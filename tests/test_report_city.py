"""The city report's data on the hand-made world, and the rules of what may be published."""

from __future__ import annotations

import pandas as pd
import pytest
from report_world import EVIL_NAME, GENERATED, source

from diagnostics.models import load_models
from diagnostics.reports.city import gather_city
from diagnostics.reports.disclosure import MARK, PublicSource, withheld, withhold
from diagnostics.reports.html import city_html
from diagnostics.reports.problems import verdict_of

CITY = "江州市"  # S1 (the yellow card, red light) and S3; S2 and S4 are in 海川市


@pytest.fixture(scope="module")
def src():
    return source(name=EVIL_NAME)


@pytest.fixture(scope="module")
def report(src):
    return gather_city(src, CITY, src.schools(), 2024, generated_at=GENERATED)


def test_only_the_citys_schools_with_the_verdicts_lights_and_cards(src, report):
    assert [s.school_id for s in report.schools] == ["S1", "S3"]
    verdict = verdict_of(src, src.warnings(None, 2024), src.province_values("school"), None, [2024])
    for s in report.schools:
        v = verdict.school(s.school_id, 2024)
        assert (s.light, s.red, s.yellow, s.card) == (v["light"], v["red"], v["yellow"], v["card"])
        assert {i: (light, r, y) for i, light, r, y in s.items} == {
            i: (verdict.item(s.school_id, 2024, i)["light"], verdict.item(s.school_id, 2024, i)["red"],
                verdict.item(s.school_id, 2024, i)["yellow"]) for i in verdict.item_names}
    assert report.schools[0].light == "red" and report.schools[0].card == "黄牌"
    assert [(name, card) for name, _, card, _ in report.standing.carded] == [(EVIL_NAME, "黄牌")]
    html = city_html(report)
    assert "海川" not in html and "&lt;script&gt;" in html and "<script>alert" not in html


def test_each_school_beside_the_city_and_province_medians(report):
    ratio = next(c for c in report.compared if c.indicator_id == "student_teacher_ratio")
    # 高职 values: S1 23, S3 17 in 江州市; S2 15 in 海川市 -> city median 20, province median 17
    assert ratio.rows == ((EVIL_NAME, "高职", "23.0", "20.0", "17.0"), ("云岭职业技术学院", "高职", "17.0", "20.0", "17.0"))
    assert [(school, t.problem) for school, t in report.tasks] == [(EVIL_NAME, "生师比高于限制招生线")]
    assert report.schools[0].tasks == 1 and report.schools[0].open_tasks == 1


def test_the_public_version_withholds_and_keeps_the_lights(src, report):
    public = gather_city(PublicSource(src), CITY, src.schools(), 2024, generated_at=GENERATED)
    assert [(s.light, s.items) for s in public.schools] == [(s.light, s.items) for s in report.schools]
    reasons = [r for _, _, _, r in public.standing.carded]
    assert reasons == ["生师比"]  # the card's indicator, not its value
    employment = next(c for c in public.compared if c.indicator_id == "employment_rate")
    assert [r[2] for r in employment.rows] == ["92.5%", "90.0%"]  # n = 400 and 200: shown


def test_what_counts_people_and_what_is_withheld():
    models, _ = load_models()
    rows = pd.DataFrame([
        {"indicator_id": "dual_qualified_share", "n": 4, "value": 50.0, "denominator": 4},  # teachers: few
        {"indicator_id": "dual_qualified_share", "n": 5, "value": 60.0, "denominator": 5},
        {"indicator_id": "dual_qualified_share", "n": None, "value": 60.0, "denominator": None},  # unknown: few
        {"indicator_id": "books_per_student", "n": 3, "value": 80.0, "denominator": 3},  # students: few
        {"indicator_id": "training_income_total", "n": 1, "value": 1e5, "denominator": None},  # money: no people
    ])
    assert withheld(rows, models).tolist() == [True, False, True, True, False]
    out = withhold(rows, models)
    assert out["value"].isna().tolist() == [True, False, True, True, False] and out["withheld"].sum() == 3
    assert MARK == "*"


def test_site_scan_finds_a_key_as_a_word(tmp_path):
    from diagnostics.reports.sitecheck import scan

    (tmp_path / "a.html").write_text("<p>学生 201800001 的记录</p><p>2018000012</p>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<td>T-0001</td>", encoding="utf-8")
    assert scan(tmp_path, {"201800001", "T-0001", "999999"}) == ["a.html: 201800001", "sub/b.html: T-0001"]
