"""The expert-review dashboard's model (and view wiring), without a browser."""

from __future__ import annotations

import math

from app_world import context, ctx, register, small_url  # noqa: F401  (fixtures)

from diagnostics.app.review import ReviewModel, ReviewView
from diagnostics.engine import current_values


def test_school_list_and_board_follow_year_and_school(ctx):  # noqa: F811
    m = ReviewModel(ctx)
    assert m.year == max(m.years) and m.schools and m.school == m.schools[0]["school_id"]
    order = {"red": 0, "yellow": 1, "green": 2, "none": 3}
    assert [order[s["status"]] for s in m.schools] == sorted(order[s["status"]] for s in m.schools)
    other = m.schools[-1]["school_id"]
    m.school = other
    v = current_values(ctx.engine, school=other, year=m.year, layer="school")
    want = dict(zip(v.loc[v["value"].notna(), "indicator_id"], v.loc[v["value"].notna(), "value"]))
    shown = {c.indicator_id: c.value for i in m.board.items for c in i.cells}
    assert set(shown) == set(want) and all(math.isclose(shown[k], want[k]) for k in want)
    m.year = min(m.years)
    assert m.board.year == min(m.years) and m.board.school_id == other


def test_suggested_score_is_the_ratio_method(ctx):  # noqa: F811
    m = ReviewModel(ctx)
    for item in m.board.items:
        score = m.suggested(item.item)
        judged = [c for c in item.cells if c.qualified is not None and c.value is not None]
        assert (score is None) == (not judged)
        if score is not None:
            assert 0 <= score <= 100
            if all(c.level == "合格" for c in judged):
                assert math.isclose(score, 100)


def test_reviews_are_saved_changed_and_shown_beside_other_experts(ctx, small_url):  # noqa: F811
    m = ReviewModel(ctx)
    item = next(i.item for i in m.board.items if i.cells)
    school = m.school
    saved = m.save_review(item, 82, "<i>证据充分</i>，但双师比例偏低", "to_improve")
    assert saved is not None and m.notice_kind == "ok" and m.my_review(item)["score"] == 82
    assert next(s for s in m.schools if s["school_id"] == school)["reviewed"] == 1
    again = m.save_review(item, 85, "复核后提高", "effective")
    assert again["version"] == 2 and again["id"] == saved["id"]
    assert m.save_review(item, 120, "", None) is None and m.notice_kind == "error"  # score out of range
    expert = register(small_url, "zhang", "expert", schools=[school])
    theirs = ReviewModel(context(small_url, expert))
    assert [s["school_id"] for s in theirs.schools] == [school]
    assert [r["reviewer"] for r in theirs.other_reviews(item)] == [ctx.user.name]
    theirs.save_review(item, 70, "不同意见：证据不足", "abnormal")
    m.load_reviews()
    assert [(r["reviewer"], r["score"]) for r in m.other_reviews(item)] == [("zhang", 70)]
    assert m.my_review(item)["score"] == 85
    together = m.consensus(item)
    assert together["reviewers"] == 2 and together["consensus"] == "abnormal"  # a tie goes to the worse


def test_the_view_saves_from_its_form_and_escapes(ctx):  # noqa: F811
    view = ReviewView(ReviewModel(ctx))
    item = next(i for i in view.items.values() if i.box.layout.display != "none")
    item.score.value, item.comment.value, item.conclusion.value = "90", "<script>x</script>", "effective"
    item._save()
    assert view.model.my_review(item.item)["comment"] == "<script>x</script>"
    assert item.score.value == "90"
    item.score.value = "九十"
    item._save()
    assert view.model.notice_kind == "error" and view.model.my_review(item.item)["score"] == 90
    view.bridge.box.value = f"school:{view.model.schools[-1]['school_id']}#1"
    assert view.model.school == view.model.schools[-1]["school_id"]
    assert "<script>" not in view.list.value and "za-scroll" not in view.list.value  # no inner scroll box


def test_an_empty_review_is_refused_per_the_rubric(ctx):  # noqa: F811
    view = ReviewView(ReviewModel(ctx))
    m = view.model
    item = next(i for i in view.items.values() if i.box.layout.display != "none")
    item.score.value, item.comment.value, item.conclusion.value = "", "", None
    item._save()
    assert m.my_review(item.item) is None and m.notice_kind == "error"
    assert {f for it, f, _ in m.field_errors if it == item.item} == {"score", "conclusion", "comment"}
    assert "请给出 0–100 的评分" in item.errors.value and "复核结论" in item.errors.value
    assert "有效" in view.rubric.value and "比率法" in view.rubric.value


def test_indicators_open_from_the_review_and_the_school_is_concluded(ctx):  # noqa: F811
    view = ReviewView(ReviewModel(ctx))
    m = view.model
    cell = next(c for i in m.board.items for c in i.cells)
    view.bridge.box.value = f"{cell.indicator_id}#2"  # a click on an indicator of the evidence
    assert view.detail_box.layout.display == "" and cell.name_zh in view.detail.value
    view.overall_score.value, view.overall_conclusion.value = "80", "effective"
    view.overall_comment.value = "整体措施有效，建议继续提高双师比例。"
    view._submit()
    assert m.submitted() is None and "尚未完成复核" in view.overall_errors.value  # items first
    for form in view.items.values():
        if form.box.layout.display != "none":
            form.score.value, form.conclusion.value, form.comment.value = "85", "effective", "证据充分，措施可行。"
            form._save()
    view._submit()
    assert not m.missing_items(), (m.missing_items(), m.notice)
    assert m.submitted()["score"] == 80 and m.notice_kind == "ok" and "已提交" in view.overall_head.value
    view._export()
    assert 'download="专家复核_' in view.download.value


def test_the_review_shows_the_schools_own_text(ctx):  # noqa: F811
    m = ReviewModel(ctx)
    ctx.access.save_narrative(m.school, m.year, "work", "学校成立诊改办公室，按 8字形螺旋运行。")
    view = ReviewView(ReviewModel(ctx))
    assert "学校成立诊改办公室" in view.texts.value and "诊改工作开展情况" in view.texts.value


def test_refresh_keeps_the_school_list_and_the_choice(ctx):  # noqa: F811
    view = ReviewView(ReviewModel(ctx))
    m = view.model
    other = m.schools[-1]["school_id"]
    m.school = other
    before = [s["school_id"] for s in m.schools]
    view._reload()  # 刷新数据: once failed with "Invalid selection: value not found" and emptied the list
    assert m.notice_kind == "ok", m.notice
    assert [s["school_id"] for s in m.schools] == before and m.school == other
    assert view.school.value == other and len(view.school.options) == len(before)


def test_a_save_by_someone_else_is_noticed_on_an_open_page(ctx):  # noqa: F811
    from diagnostics.access import Access, Role, User

    m = ReviewModel(ctx)
    m.check_fresh(every=0)
    assert m.notice != m.t("stale")
    ctx.access.create_task(m.school, m.year, "本人保存的措施", status="planned")  # one's own save: no notice
    m.check_fresh(every=0)
    assert m.notice != m.t("stale")
    Access(ctx.engine, User("colleague", Role.PROVINCE)).create_task(m.school, m.year, "他人保存的措施",
                                                                       status="planned")
    m.check_fresh(every=0)
    assert m.notice == m.t("stale")
    m.refresh()
    assert [t for t in m.ctx.access.tasks(m.school, m.year)["problem"] if t == "他人保存的措施"]
