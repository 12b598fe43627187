"""The self-diagnosis detail of a satisfaction indicator shows the online survey behind it."""

from __future__ import annotations

from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.selfdiag import SelfDiagnosisModel
from diagnostics.app.selfdiag.detail import detail_html
from diagnostics.surveys.links import submit


def test_the_detail_shows_response_rate_and_margin_of_error_beside_the_satisfaction(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    m.indicator = "graduate_satisfaction"
    assert m.detail().survey is None  # no online survey yet: nothing shown
    school, year = m.board.school_id, m.board.year
    tokens = ctx.access.open_survey(school, year, "毕业生", 4)["tokens"]
    assert submit(ctx.engine, tokens[0], {"overall": "满意", "teaching": "满意", "career": "一般"}).stored
    d = m.detail()
    assert (d.survey["responses"], d.survey["links"], d.survey["response_rate"]) == (1, 4, 25.0)
    html = detail_html(d, "zh", m.data.models.indicators["graduate_satisfaction"])
    assert "回收率 25.0%（1/4）" in html and "误差范围 ±" in html and "尚未写入状态数据" in html
    english = detail_html(d, "en", m.data.models.indicators["graduate_satisfaction"])
    assert "response rate 25.0% (1/4)" in english and "回收率" not in english
    m.indicator = "student_satisfaction"
    assert m.detail().survey is None  # another instrument's indicator
