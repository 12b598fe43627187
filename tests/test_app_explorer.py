"""The indicator explorer's model, without a browser."""

from __future__ import annotations

import math

from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.explorer import ExplorerModel, ExplorerView
from diagnostics.app.explorer.trial import EXAMPLE
from diagnostics.engine import current_values


def test_browse_filter_and_define(ctx):  # noqa: F811
    m = ExplorerModel(ctx)
    assert m.indicator_ids() == list(ctx.models.indicators)
    m.item = "教师队伍建设"
    assert m.indicator_ids() and all("教师队伍建设" in ctx.models.indicators[i].items for i in m.indicator_ids())
    m.item, m.search = "", "生师比"
    assert m.indicator_ids() == ["student_teacher_ratio"]
    d = m.definition("student_teacher_ratio")
    assert d["kind"] == "ratio" and d["measures"] and any(s["source"] for s in d["standards"])


def test_distribution_and_correlation_follow_the_year(ctx):  # noqa: F811
    m = ExplorerModel(ctx)
    m.indicator = "student_teacher_ratio"
    for year in m.years:
        m.year = year
        v = current_values(ctx.engine, year=year, layer="school")
        v = v[v["indicator_id"] == m.indicator].set_index("school_id")["value"].dropna()
        shown = m.values().set_index("school_id")["value"]
        assert set(shown.index) == set(v.index) and all(math.isclose(shown[s], v[s]) for s in v.index)
    corr = m.correlations()
    assert len(corr) and corr["rho"].abs().between(0, 1).all()
    assert len(m.pairs()) > 0


def test_a_pasted_definition_is_validated_and_computed_without_storing(ctx):  # noqa: F811
    m = ExplorerModel(ctx)
    trial = m.check_yaml("indicators:\n  - id: bad\n    ratio: {numerator: nope}\n")
    assert trial is not None and not trial.ok and m.yaml_errors > 0 and m.notice_kind == "error"
    assert any("nope" in i["message_en"] for i in m.yaml_issues)
    assert m.check_yaml("indicators: [\n") is not None and m.yaml_errors == 1  # a YAML syntax error, located
    stored = len(current_values(ctx.engine))
    assert m.start_trial(EXAMPLE)
    m.trial_job.wait(120)
    assert m.trial_job.state == "done", m.trial_job.error
    values = m.trial_job.result
    assert set(values["indicator_id"]) == {"trial_senior_share"}
    assert len(values[values["layer"] == "school"]) == len(ctx.access.schools())
    assert len(current_values(ctx.engine)) == stored  # nothing was written


def test_the_view_renders_every_tab(ctx):  # noqa: F811
    view = ExplorerView(ExplorerModel(ctx))
    for index in range(3):
        view.tabs.selected_index = index
        assert view.pages[index].value
    view.item.value = "校企合作"
    assert all("校企合作" in ctx.models.indicators[i].items for _, i in view.list.options)
