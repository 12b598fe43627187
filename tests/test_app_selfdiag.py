"""The self-diagnosis dashboard's model (and its view's wiring), without a browser."""

from __future__ import annotations

import math

import pytest
from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app.selfdiag import SelfDiagnosisModel, SelfDiagnosisView
from diagnostics.engine import current_values


def expected(ctx, school, year, layer="school", unit=""):  # noqa: F811
    v = current_values(ctx.engine, school=school, year=year, layer=layer)
    v = v[(v["unit"] == unit) & v["value"].notna()]
    return dict(zip(v["indicator_id"], v["value"]))


def shown(model):
    return {c.indicator_id: c.value for i in model.board.items for c in i.cells}


def close(a, b):
    return set(a) == set(b) and all(math.isclose(a[k], b[k], rel_tol=1e-9) for k in a)


def test_choosing_school_year_layer_and_program_shows_the_computed_values(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    first, second = m.schools[0][1], m.schools[1][1]
    assert m.school == first and m.year == max(m.years)
    assert close(shown(m), expected(ctx, first, m.year))
    m.school = second  # as a linked dropdown would
    assert m.board.school_id == second and close(shown(m), expected(ctx, second, m.year))
    m.year = min(m.years)
    assert m.board.year == min(m.years) and close(shown(m), expected(ctx, second, min(m.years)))
    m.choose(layer="program")
    assert m.program == m.programs[0][1] and m.board.layer == "program"
    assert close(shown(m), expected(ctx, second, m.year, "program", m.program))
    other = m.programs[-1][1]
    m.program = other
    assert m.board.unit == other and close(shown(m), expected(ctx, second, m.year, "program", other))


def test_board_lights_and_warnings_agree(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    for school in [s for _, s in m.schools]:
        m.choose(school=school)
        for item in m.board.items:
            severities = {w["severity"] for w in item.warnings}
            if "red" in severities:
                assert item.status == "red", (school, item.item)
            elif "yellow" in severities:
                assert item.status == "yellow", (school, item.item)
        order = ["none", "green", "yellow", "red"]
        assert m.board.overall == max((i.status for i in m.board.items), key=order.index)


def test_detail_gathers_history_peers_programs_and_flags(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    warned = next((s, w) for _, s in m.schools for w in (m.choose(school=s) or m.board.warnings)
                  if w["indicator_id"] and w["layer"] == "school")
    m.indicator = warned[1]["indicator_id"]
    d = m.detail()
    assert d is not None and d.cell.indicator_id == m.indicator
    assert [y for y, *_ in d.history] == [y for y, _ in d.cell.trend]
    p, board = m.data.peers, m.board  # issue 12: no dots of a group of fewer than 5 schools
    n = int(((p["peer_group"] == m.data.peer_group(board.school_id)) & (p["layer"] == board.layer)
             & (p["year"] == board.year) & (p["indicator_id"] == m.indicator)).sum())
    assert (len(d.peers) == n and d.cell.value in d.peers) if n >= 5 else d.peers == ()
    assert d.warnings and all(f["method"] for w in d.warnings for f in w["evidence"])
    assert m.detail("no_such_indicator") is None


def test_follow_up_and_comment_are_saved(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    m.indicator = m.board.items[0].cells[0].indicator_id
    follow = m.mark_follow_up(note="请教务处核实")
    assert follow is not None and m.notice_kind == "ok"
    m.comment_follow_up(follow["id"], "已核实：<b>数据无误</b>")
    d = m.detail()
    assert d.follow_ups[0]["id"] == follow["id"]
    assert d.follow_ups[0]["thread"][0]["text"] == "已核实：<b>数据无误</b>"
    m.comment_follow_up(follow["id"], "  ")
    assert m.notice_kind == "error"  # an empty comment is refused, politely


def test_measures_are_created_changed_and_protected_against_stale_saves(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    school = next(s for _, s in m.schools if (m.choose(school=s) or m.board.warnings))
    assert m.board.school_id == school
    index = m.warning_options()[0][1]
    form = m.default_fields(index)
    assert form["problem"] == m.board.warnings[index]["message_zh"]
    saved = m.save_measure({**form, "cause": "双师培养不足", "measure": "每年选派 10 人下企业", "owner": "人事处"},
                           warning=index)
    assert saved["source"] == "warning" and saved["indicator_id"] == m.board.warnings[index]["indicator_id"]
    assert [t["measure"] for t in m.tasks] == ["每年选派 10 人下企业"]
    changed = m.save_measure({"status": "in_progress", "owner": "人事处、教务处"}, task_id=saved["id"])
    assert changed["version"] == 2 and m.tasks[0]["status"] == "in_progress"
    # someone else saves first: our next save (based on version 2) is refused and we see theirs
    ctx.access.update_task(saved["id"], 2, owner="校长办公室")
    stale = dict(m.tasks[0], version=2)
    m.tasks = [stale]
    assert m.save_measure({"owner": "我们的修改"}, task_id=saved["id"]) is None
    assert m.notice_kind == "error" and "版本" in m.notice
    assert m.tasks[0]["owner"] == "校长办公室" and m.tasks[0]["version"] == 3
    free = m.save_measure({"problem": "实训室利用率低", "deadline": "2026-06-30"})
    assert free["source"] == "manual" and len(m.tasks) == 2
    assert m.save_measure({"problem": "x", "deadline": "明年"}) is None and m.notice_kind == "error"


def test_report_is_made_in_a_thread(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    assert m.start_report("html")
    assert not m.start_report("html") or m.report_job.state != "running"  # one at a time
    m.report_job.wait(300)
    assert m.report_job.state == "done", m.report_job.error
    assert m.report_job.result.name.endswith(".html") and b"<html" in m.report_job.result.data[:500].lower()


def test_language_and_reload(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    school = next(s for _, s in m.schools if (m.choose(school=s) or m.board.warnings))
    zh = m.warning_options()[0][0]
    m.lang = "en"
    assert m.warning_options()[0][0] != zh and m.t("school") == "School"
    before = m.data
    m.reload()
    assert m.data is not before and m.board.school_id == school


def test_the_view_follows_the_model_and_the_clicks(ctx):  # noqa: F811
    view = SelfDiagnosisView(SelfDiagnosisModel(ctx))
    m = view.model
    assert 'data-ind="' in view.board.value and "<script" not in view.board.value
    view.school.value = m.schools[1][1]
    assert m.school == m.schools[1][1] and m.board.school_id == m.schools[1][1]
    ind = m.board.items[0].cells[0].indicator_id
    view.bridge.box.value = f"{ind}#123"  # what a click on the indicator's name sends
    name = m.board.cell(ind).name_zh
    assert m.indicator == ind and view.tabs.selected_index == 1 and name in view.detail.value
    assert f">{ind}<" not in view.detail.value  # the name, never the raw id
    view.shell.lang.value = "en"
    assert "Diagnosis board" in view.tabs.titles
    view.measures.fields["problem"].value = "<script>alert(1)</script>"
    view.measures._save()
    assert "&lt;script&gt;" in view.measures.list.value and "<script>" not in view.measures.list.value


def test_red_and_yellow_first_search_and_one_item(ctx):  # noqa: F811
    view = SelfDiagnosisView(SelfDiagnosisModel(ctx))
    m = view.model
    school = next(s for _, s in m.schools if (m.choose(school=s) or any(i.status == "green" for i in m.board.items)
                                               and any(i.status in ("red", "yellow") for i in m.board.items)))
    assert m.school == school
    view.only.value = True
    assert {i.status for i in m.visible_items()} <= {"red", "yellow"}
    shown = {i.item for i in m.visible_items()}
    assert all(f'data-item="{i.item}"' in view.board.value for i in m.board.items if i.item in shown)
    assert not any(f'data-item="{i.item}"' in view.board.value for i in m.board.items if i.item not in shown)
    view.only.value = False
    first = m.board.items[0]
    view.bridge.box.value = f"item:{first.item}#7"  # a click on the item's card
    assert m.focus == first.item and [i.item for i in m.visible_items()] == [first.item]
    view.all_items.click()
    assert m.focus == ""
    cell = first.cells[0]
    view.query.value = cell.name_zh[:4]
    assert cell.name_zh in view.board.value
    view.query.value = "没有这个指标"
    assert "没有符合条件" in view.board.value


def test_a_warning_of_two_items_is_listed_once_on_the_board(ctx):  # noqa: F811
    from diagnostics.app.selfdiag.render import board_html

    m = SelfDiagnosisModel(ctx)
    for _, school in m.schools:
        m.choose(school=school)
        twice = [w for w in m.board.warnings if len(w["items"]) > 1 and w["indicator_id"]]
        if twice:
            break
    assert twice, "the sample has an indicator of two items with a warning"
    html = board_html(m.board, "zh", lambda k, t: t)
    message = twice[0]["message_zh"]
    from diagnostics.reports.wording import public_message

    assert html.count(f"{public_message(message)}</summary>") == 1 and "已在“" in html


def test_target_rows_say_whether_the_target_was_met(ctx):  # noqa: F811
    from diagnostics.app.selfdiag.render import board_html

    m = SelfDiagnosisModel(ctx)
    cells = [c for i in m.board.items for c in i.cells if c.target is not None]
    assert cells and {c.target_state for c in cells} <= {"达成", "未达成", "无数值"}
    html = board_html(m.board, "zh", lambda k, t: t)
    assert "目标达成" in html and "无适用标准" not in html


def test_detail_has_the_formula_the_fraction_and_the_records(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    m.indicator = "intern_assessment_rate"
    school = next(s for _, s in m.schools if (m.choose(school=s) or m.board.cell("intern_assessment_rate")))
    cell = m.board.cell("intern_assessment_rate")
    assert school and cell.numerator is not None and cell.denominator is not None
    what, frame = m.records()
    assert what and len(frame) == int(cell.denominator)
    assert int((frame["_value"] == 0).sum()) == int(cell.denominator - cell.numerator)  # the interns not assessed
    assert list(frame["_value"]) == sorted(frame["_value"])  # not assessed first
    from diagnostics.app.selfdiag.detail import detail_html

    html = detail_html(m.detail(), "zh", m.data.models.indicators["intern_assessment_rate"], (what, frame))
    assert f"{cell.numerator:,.0f}</span> / <span class=\"za-den\">{cell.denominator:,.0f}" in html
    assert "实习考核评价" in html and "计入" in html and "id_hash" not in html


def test_a_dropped_measure_needs_a_reason_shown_at_its_field(ctx):  # noqa: F811
    view = SelfDiagnosisView(SelfDiagnosisModel(ctx))
    form, m = view.measures, view.model
    form.fields["problem"].value = "课程资源不足"
    form.fields["status"].value = "dropped"
    assert form.rows["drop_reason"].layout.display == ""  # the reason is a visible field
    form.fields["deadline"].value = "06/30/2025"
    form._save()
    assert dict(m.field_errors).keys() == {"drop_reason", "deadline"}
    assert "放弃原因" in form.errors["drop_reason"].value and "YYYY-MM-DD" in form.errors["deadline"].value
    form.fields["drop_reason"].value = "并入专业群建设项目"
    form.fields["deadline"].value = "2025-06-30"
    form.fields["target_value"].value = "85"
    form.fields["evidence"].value = "专业群建设方案.pdf"
    form._save()
    assert not m.field_errors and m.tasks[-1]["drop_reason"] == "并入专业群建设项目"
    assert m.tasks[-1]["target_value"] == 85.0 and str(m.tasks[-1]["deadline"])[:10] == "2025-06-30"
    assert form.fields["problem"].value == ""  # a saved measure clears the form
    form.editing.value = int(m.tasks[-1]["id"])
    assert form.fields["deadline"].value == "2025-06-30"
    form.delete.click()  # withdrawn, never deleted: 已放弃 with its reason, and the audit log keeps who and when
    assert m.tasks[-1]["status"] == "dropped" and m.tasks[-1]["drop_reason"] == "录入有误，已撤销"


def test_targets_and_report_text_are_written_in_the_app(ctx):  # noqa: F811
    view = SelfDiagnosisView(SelfDiagnosisModel(ctx))
    m = view.model
    view.tabs.selected_index = 3
    row = m.target_rows()[0]
    view.targets.indicator.value = row["indicator_id"]
    view.targets.value.value = "abc"
    view.targets._save()
    assert m.notice_kind == "error"
    view.targets.value.value = "77"
    view.targets._save()
    assert m.board.cell(row["indicator_id"]).target == 77.0 and m.board.cell(row["indicator_id"]).target_state
    view.tabs.selected_index = 4
    view.writing.texts["features"].value = "本校以校企共建产业学院为特色。"
    view.writing.saves["features"].click()
    assert ctx.access.narratives(m.school, m.year).set_index("section").loc["features", "text"] == \
        "本校以校企共建产业学院为特色。"
    other = SelfDiagnosisView(SelfDiagnosisModel(ctx))  # another person, same school-year
    other.tabs.selected_index = 4
    view.writing.texts["features"].value = "改写后的特色"
    view.writing.saves["features"].click()
    other.writing.texts["features"].value = "另一人的改写"
    other.writing.saves["features"].click()
    assert other.model.notice_kind == "error" and "已先保存" in other.model.notice
    assert other.writing.texts["features"].value == "另一人的改写"  # kept, not lost


@pytest.mark.parametrize("layer", ["school", "program"])
def test_every_school_year_builds_fast(ctx, layer):  # noqa: F811
    import time

    m = SelfDiagnosisModel(ctx)
    times = []
    for _, school in m.schools:
        for year in m.data.years_of(school):
            t0 = time.perf_counter()
            m.choose(school=school, year=year, layer=layer)
            times.append(time.perf_counter() - t0)
    times.sort()
    assert times[int(len(times) * 0.95) - 1] < 0.2, times[-5:]


def test_a_changed_store_is_noticed_and_reloaded(ctx):  # noqa: F811
    m = SelfDiagnosisModel(ctx)
    cell = next(c for i in m.board.items for c in i.cells)
    m.check_fresh(every=0)
    assert m.notice == ""
    ctx.access.set_target(m.school, m.year, cell.indicator_id, 123.0)
    m.check_fresh(every=0)
    assert m.notice_kind == "info" and "刷新" in m.notice
    m.reload()
    m.choose()
    assert m.board.cell(cell.indicator_id).target == 123.0


def test_changing_school_keeps_the_open_tab(ctx):  # noqa: F811
    view = SelfDiagnosisView(SelfDiagnosisModel(ctx))
    m = view.model
    view.bridge.box.value = f"{m.board.items[0].cells[0].indicator_id}#1"
    view.tabs.selected_index = 0
    for _, school in m.schools[1:4]:
        view.school.value = school
        assert view.tabs.selected_index == 0
