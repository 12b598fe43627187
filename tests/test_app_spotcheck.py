"""The spot-check and selection pages without a browser: models act through the door, views draw."""

from __future__ import annotations

from app_world import context, ctx, register, small_url  # noqa: F401  (fixtures)

from diagnostics.app.selection import create as create_selection
from diagnostics.app.spotcheck import create as create_spot


def test_a_checker_draws_records_and_sees_the_estimate(ctx):  # noqa: F811
    view = create_spot(ctx)
    m = view.model
    assert m.can_check and m.sample == 0 and "还没有抽查样本" in view.method.value
    view.seed.value, view.n_schools.value, view.n_records.value = "77", 3, 5
    view._draw()
    assert m.notice_kind == "ok" and m.sample > 0, m.notice
    assert "77" in view.method.value and "default_rng(77)" in view.method.value
    pending = m.pending()
    assert len(pending) == 15 and len(view.pick.options) == 15
    first = pending["school_id"].iloc[0]
    ids = [int(i) for i in pending[pending["school_id"] == first]["id"]]
    view.outcome.value = "discrepancy"
    view.note.value = ""
    view.pick.value = ids[0]
    view._save()
    assert m.notice_kind == "error" and "差错内容" in m.notice  # a discrepancy needs a note
    for rid in ids:
        view.pick.value = rid
        view.note.value = "出生日期与身份证不符"
        view._save()
    assert m.notice_kind == "ok"
    est = m.estimates().set_index("school_id").loc[first]
    assert est["checked"] == 5 and est["discrepancies"] == 5 and est["severity"] == "red"
    assert "红色预警" in view.estimates.value and "存在差错" in view.records.value
    m.lang = "en"
    assert "Discrepancy" in view.records.value and "存在差错" not in view.records.value


def test_a_school_sees_only_its_checked_records(small_url):  # noqa: F811
    checker = create_spot(context(small_url)).model
    checker.draw("5", 2, 3, ["students"])
    recs = checker.records()
    school = recs["school_id"].iloc[0]
    checker.record(int(recs["id"].iloc[0]), "confirmed", "")
    staff = register(small_url, "wang", "school", school_id=school)
    view = create_spot(context(small_url, staff))
    assert not view.model.can_check and view.draw_box.layout.display == "none"
    shown = view.model.records()
    assert list(shown["id"]) == [int(recs["id"].iloc[0])] and "核实无误" in view.records.value
    assert view.record_box.layout.display == "none"


def test_the_selection_page_lists_the_top_intervals_and_reasons(ctx):  # noqa: F811
    view = create_selection(ctx, top=2)
    m = view.model
    assert len(m.frame) and m.selected()["selected"].sum() == min(2, len(m.eligible()))
    html = view.out.value
    assert "入选名单" in html and "90% 名次区间" in html and "不符合遴选条件的学校" in html and "za-band" in html
    for reason in m.ineligible()["reason_zh"]:
        assert reason.split("（")[0] in html


def test_the_selection_page_refuses_a_city_officer(small_url):  # noqa: F811
    zhou = register(small_url, "zhou", "city", city="江州市")
    view = create_selection(context(small_url, zhou))
    assert view.model.notice_kind == "error" and view.out.value == ""
