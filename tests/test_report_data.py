"""The report data layer on a hand-made school-year (FrameSource): every number the report shows."""

from __future__ import annotations

import pytest
from report_world import GENERATED, source

from diagnostics.reports import gather_school
from diagnostics.reports.fmt import NO_DATA, format_change, format_value, numeral


@pytest.fixture(scope="module")
def report():
    return gather_school(source(), "S1", 2024, generated_at=GENERATED)


def test_formatting():
    assert format_value(85.3846, "%") == "85.4%"
    assert format_value(4092.88, "元/人") == "4,093"
    assert format_value(16.234, "1") == "16.2"
    assert format_value(2.5, "册/人") == "2.50"
    assert format_value(None, "%") == "—"
    assert format_change(-2.5, "%") == "−2.5 个百分点"
    assert format_change(0.0001, "1") == "持平"
    assert [numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]


def test_header_and_provenance(report):
    assert report.school.name == "江州职业技术学院"
    assert report.academic_year == "2024–2025 学年"
    assert report.provenance.footer == ("状态数据 第 3 版（导入批次 #7，2025-02-28 18:00） · 指标模型 abcdef01 · "
                                        "计算批次 #12 · 生成于 2025-03-01 09:30")
    assert report.provenance.date_text == "2025 年 3 月 1 日"  # the cover's 报送日期


def test_the_schools_own_text_per_section(report):
    assert report.narrative("overview").paragraphs == ["本校是省属公办高职院校。", "现有专业 3 个。"]
    assert report.narrative("features").text == "以工学结合为特色。"  # this year's, not last year's
    assert report.narrative("plans").paragraphs == []
    assert list(report.narratives) == ["overview", "work", "chains", "problems", "measures", "features", "plans"]


def test_lights_are_per_item_and_never_colour_alone(report):
    lights = {light.item: light for light in report.lights}
    assert lights["教师队伍建设"].status == "red" and lights["教师队伍建设"].red == 1
    assert lights["基本办学条件"].status == "red"
    assert lights["专业设置与条件"].status == "yellow" and lights["专业设置与条件"].yellow == 2
    assert lights["质量监控与成效"].status == "green" and lights["质量监控与成效"].info == 1  # info is not a warning light
    assert lights["学校管理"].status == "none"  # no indicator value: no judgement, not "green"
    assert lights["数据质量"].status == "red"
    # each warning once: red 生师比 and the red data check; yellow P1, P3 and the card
    assert report.overall.status == "red" and (report.overall.red, report.overall.yellow) == (2, 3)
    assert lights["基本办学条件"].yellow == 1  # the card counts under 基本办学条件, never under 数据质量
    assert {light.label for light in report.lights} >= {"■ 红灯", "▲ 黄灯", "● 绿灯", "○ 无数据"}


def test_card_from_the_engine_with_chinese_reasons(report):
    assert report.card.card == "黄牌"
    assert report.card.label.startswith("▲ 黄牌")
    assert report.card.reasons == ("生师比 23.0，高于限制招生线 22.0",)  # lower is better: above the line


def test_top_problems_most_serious_first_and_grouped(report):
    top = report.top_problems
    assert [p.severity for p in top] == ["red", "red", "yellow", "yellow", "info"]
    assert top[0].indicator == "生师比" and top[0].where == "全校"
    assert top[1].where == "学生记录 A001"
    assert top[2].item == "基本办学条件" and top[2].message.startswith("基本办学条件黄牌")  # the card
    program = top[3]
    assert program.message.endswith("（同类问题共 2 处）")
    assert program.where == "专业 P1 计算机应用技术"
    assert program.expected == "≥ 2"


def test_indicator_rows(report):
    ratio = report.indicator("student_teacher_ratio")
    assert (ratio.text, ratio.previous_text, ratio.change_text) == ("23.0", "20.0", "+3.0")
    assert (ratio.level, ratio.qualified_text, ratio.restriction_text) == ("限制招生", "18.0", "22.0")
    assert ratio.level_label == "■ 低于限制招生线"
    # issue 12: a group of 3 shows no median (nor rank): it would give another school's value away
    assert ratio.peer_median_text == "—" and ratio.peer_rank_text == "—"
    assert "教发〔2004〕2号" in ratio.standard_source
    assert [(p.year, p.value) for p in ratio.trend] == [(2023, 20.0), (2024, 23.0)]
    employment = report.indicator("employment_rate")
    assert (employment.text, employment.target_text, employment.gap_text) == ("92.5%", "95.0%", "−2.5 个百分点")
    assert employment.target_source == "学校目标（一校一策）" and employment.target_met is False
    assert employment.peer_rank_text == "—"  # a group of 3: no rank (issue 12)


def test_sections_follow_the_spiral(report):
    sections = {s.item: s for s in report.sections}
    assert [s.item for s in report.sections][:3] == ["专业设置与条件", "教师队伍建设", "课程体系改革"]
    teachers = sections["教师队伍建设"]
    assert teachers.title == "（二）教师队伍建设"
    assert [t.measure for t in teachers.tasks] == ["引进专任教师 40 人"]
    assert teachers.tasks[0].deadline == "2025-06-30" and teachers.tasks[0].status == "计划"
    notes = sections["专业设置与条件"].programs
    assert [(n.program, n.value_text, n.standard_text) for n in notes][:2] == [
        ("P1 计算机应用技术", "1", "2"), ("P3 会计", "0", "2")]
    assert "2 个专业有指标未达合格标准" in sections["专业设置与条件"].program_summary
    assert sections["学校管理"].untreated is False and sections["教师队伍建设"].untreated is False
    assert report.data_quality is not None and report.data_quality.problems[0].where == "学生记录 A001"


def test_last_years_measures_judged_like_the_recheck(report):
    outcome = {s.item: s for s in report.sections}["质量监控与成效"].outcomes[0]
    assert outcome.measure == "开设就业指导课"
    assert (outcome.baseline_text, outcome.value_text, outcome.change_text) == ("88.0%", "92.5%", "+4.5 个百分点")
    assert outcome.verdict == "达标"  # 92.5 ≥ the task's target 92 (workflow.recheck.verdict)


def test_a_secondary_school_gets_the_secondary_quality_report():
    from report_world import frames

    schools, values, warnings, tasks, targets, programs = frames()
    values = values.assign(school_id=values["school_id"].replace({"S1": "S4", "S4": "S1"}))
    src = source()
    src.values = values
    report = gather_school(src, "S4", 2024, generated_at=GENERATED)
    assert report.quality_title == "中职学校质量年度报告数据表"
    titles = [t.title for t in report.quality_tables]
    assert titles[0] == "办学基本情况" and "学生发展" in titles and "人才培养质量计分卡" not in titles
    assert "高职" not in " ".join(t.note for t in report.quality_tables)


def test_quality_tables_say_missing_not_zero(report):
    tables = {t.title: t for t in report.quality_tables}
    assert list(tables) == ["人才培养质量计分卡", "教学资源表", "服务贡献表", "落实政策表", "国际影响表", "学生反馈表"]
    score = {row.label: row for row in tables["人才培养质量计分卡"].rows}
    # the scorecard's employment rate is the one half a year after graduation: this world has none
    assert score["就业率（毕业半年后）"].texts == (NO_DATA, NO_DATA)
    service = {row.label: row for row in tables["服务贡献表"].rows}
    assert service["毕业去向落实率"].texts == ("91.0%", "92.5%") and service["毕业去向落实率"].values == (91.0, 92.5)
    assert score["毕业生月收入"].texts == (NO_DATA, NO_DATA) and score["毕业生月收入"].values == (None, None)
    assert all(v is None for row in tables["国际影响表"].rows for v in row.values)
    resources = {row.label: row for row in tables["教学资源表"].rows}
    # indicators the models tag 质量年报:教学资源表 that the layout does not list follow its rows
    assert resources["开设课程数"].indicator_id == "course_count" and list(resources)[-1] != "生师比"


def test_outline_is_the_filed_report(report):
    heads = report.outline()
    top = [h.title for h in heads if h.level == 1]
    assert top == ["一、学校概况", "二、诊改工作开展情况", "三、目标链与标准链（质控点建设）", "四、问题与原因",
                   "五、改进措施与成效", "六、特色与创新", "七、下一步计划", "附录一　高职院校质量年度报告数据表",
                   "附录二　预警明细", "附录三　指标说明与数据来源"]
    items = [h.title for h in heads if h.level == 2]
    assert items[0] == "（一）专业设置与条件" and items[-1] == "（八）数据质量"
    assert len({h.anchor for h in heads}) == len(heads)


def test_targets_say_whether_they_were_met_and_points_are_listed_once(report):
    employment = report.indicator("employment_rate")
    assert employment.target_state == "未达成" and employment.is_control_point
    assert report.indicator("enrolment_total").target_state in ("", "达成", "未达成")
    groups = report.chain_groups()
    listed = [r.indicator_id for _item, rows, _again in groups for r in rows]
    assert len(listed) == len(set(listed)) == report.control_points
    ratio = next((item, again) for item, rows, again in groups if any("生师比（见" in a for a in again))
    assert ratio[0] == "基本办学条件"  # 生师比 belongs to 教师队伍建设 first, then to 基本办学条件


def test_appendix_lists_every_warning_once(report):
    problems = report.appendix_problems
    assert len(problems) == 6  # the six warnings of the school-year, each once
    assert len({(p.where, p.message) for p in problems}) == len(problems)
    card = next(p for p in problems if p.message.startswith("基本办学条件黄牌"))
    assert card.item == "基本办学条件"


def test_unknown_school_and_year_are_clear_errors():
    from diagnostics.reports import ReportDataError

    src = source()
    with pytest.raises(ReportDataError, match="没有学校 S9"):
        gather_school(src, "S9", 2024)
    with pytest.raises(ReportDataError, match="没有指标值"):
        gather_school(src, "S1", 2019)
