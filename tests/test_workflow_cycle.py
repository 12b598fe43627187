"""The improvement cycle: targets and standards, tasks and their re-check, follow-ups, reviews."""

from __future__ import annotations

import pandas as pd
import pytest
from workflow_world import PROVINCE, TARGETS, USERS, build_world

from diagnostics.access import Access, InvalidChange, effective_targets, open_follow_ups, recheck_tasks
from diagnostics.warnings.flags import Flag
from diagnostics.workflow.reviews import consolidate


@pytest.fixture
def world(engine, tmp_path):
    return build_world(engine, tmp_path)


def test_targets_come_from_the_import_and_overrides_replace_them_until_cleared(world):
    assert "生师比" in TARGETS  # imported by its Chinese name
    wang = world.access("wang")
    imported = wang.targets(school="S1", year=2023).set_index(["layer", "unit"])
    assert imported.loc[("school", ""), "value"] == 60 and imported.loc[("school", ""), "source"] == "import"
    assert imported.loc[("program", "510201"), "value"] == 55
    assert set(world.access("li").targets(school="S2", year=2023)["indicator_id"]) == {"student_teacher_ratio"}

    override = wang.set_target("S1", 2023, "双师素质教师占专任教师比例", 66, note="一校一策")
    row = wang.targets(school="S1", year=2023).set_index(["layer", "unit"]).loc[("school", "")]
    assert (row["value"], row["source"], row["imported_value"], row["set_by"]) == (66, "override", 60, "wang")
    wang.clear_target(override["id"], override["version"])
    row = wang.targets(school="S1", year=2023).set_index(["layer", "unit"]).loc[("school", "")]
    assert (row["value"], row["source"]) == (60, "import")

    wide = effective_targets(world.engine, school="S1", year=2024)  # what the warning engine reads
    assert list(wide.columns) == ["school_id", "year", "layer", "unit", "indicator_id", "target", "standard"]
    assert wide[["target", "standard"]].values.tolist() == [[65.0, 50.0]]
    with pytest.raises(InvalidChange):
        wang.set_target("S1", 2024, "dual_qualified_share", 50, layer="program")  # needs its program
    with pytest.raises(InvalidChange):
        wang.set_target("S1", 2024, "dual_qualified_share", 50, kind="wish")


def test_task_rules(world):
    wang = world.access("wang")
    task = wang.create_task("S1", 2024, "实习保险覆盖不全", deadline="2025-06-30", owner="学生处")
    assert task["status"] == "planned" and str(task["deadline"]) == "2025-06-30"
    with pytest.raises(InvalidChange, match="reason"):
        wang.update_task(task["id"], 1, status="dropped")
    with pytest.raises(InvalidChange, match="verified"):
        wang.update_task(task["id"], 1, status="verified")
    with pytest.raises(InvalidChange, match="not editable"):
        wang.update_task(task["id"], 1, school_id="S2")
    with pytest.raises(InvalidChange, match="date"):
        wang.update_task(task["id"], 1, deadline="明年")
    with pytest.raises(InvalidChange, match="problem"):
        wang.create_task("S1", 2024, "  ")
    done = wang.update_task(task["id"], 1, status="done", evidence="保险单已上传")
    verified = wang.update_task(task["id"], done["version"], status="verified")
    dropped = wang.update_task(task["id"], verified["version"], status="dropped", drop_reason="学校合并")
    assert (dropped["status"], dropped["drop_reason"], dropped["version"]) == ("dropped", "学校合并", 4)


def test_a_task_made_from_a_warning_keeps_its_place_and_value(world):
    flag = Flag("S2", 2023, "school", "", "dual_qualified_share", "standard", "yellow", 40.0, "≥ 50", 10,
                "双师素质教师比例 ≥ 50%", "source", "双师素质教师比例 40%，低于 50%", "share 40% below 50%")
    task = world.access("li").create_task_from_warning(flag, measure="校企共建教师工作站")
    assert (task["school_id"], task["year"], task["indicator_id"], task["method"]) == (
        "S2", 2023, "dual_qualified_share", "standard")
    assert (task["source"], task["baseline_value"], task["problem"]) == ("warning", 40.0, flag.message_zh)


def _values(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["school_id", "year", "layer", "unit", "indicator_id", "value"])


def test_a_task_of_year_y_is_rechecked_with_year_y_plus_1_values(world):
    prov = Access(world.engine, PROVINCE)
    make = {  # school, indicator, target on the task -> expected verdict
        "reached": ("S1", "dual_qualified_share", None),  # 2024 target 65 (override), value 66
        "not_reached": ("S2", "dual_qualified_share", 70.0),  # value 61 < the task's target 70
        "improved": ("S3", "dual_qualified_share", None),  # no target for S3 2024? (standard only) -> see below
        "not_improved": ("S1", "student_teacher_ratio", None),  # lower is better: 20 -> 21
    }
    ids = {}
    for verdict, (school, indicator, target) in make.items():
        task = prov.create_task(school, 2023, f"{indicator} 待改进", indicator_id=indicator, target_value=target)
        ids[verdict] = prov.update_task(task["id"], 1, status="done")["id"]
    pending = prov.create_task("S2", 2023, "无次年数据", indicator_id="books_per_student")
    prov.update_task(pending["id"], 1, status="done")
    planned = prov.create_task("S1", 2023, "未完成", indicator_id="dual_qualified_share")["id"]
    s3 = prov.targets(school="S3", year=2024).set_index("kind")
    prov.clear_target(int(s3.loc["target", "override_id"]), int(s3.loc["target", "version"]))
    values = _values([
        ("S1", 2023, "school", "", "dual_qualified_share", 50.0), ("S1", 2024, "school", "", "dual_qualified_share", 66.0),
        ("S2", 2023, "school", "", "dual_qualified_share", 40.0), ("S2", 2024, "school", "", "dual_qualified_share", 61.0),
        ("S3", 2023, "school", "", "dual_qualified_share", 30.0), ("S3", 2024, "school", "", "dual_qualified_share", 35.0),
        ("S1", 2023, "school", "", "student_teacher_ratio", 20.0), ("S1", 2024, "school", "", "student_teacher_ratio", 21.0),
        ("S2", 2023, "school", "", "books_per_student", 60.0),
    ])
    result = recheck_tasks(world.engine, values=values).set_index("task_id")
    assert planned not in result.index  # only done tasks are re-checked
    assert result.loc[pending["id"], "outcome"] == "pending"
    for verdict, task_id in ids.items():
        assert (result.loc[task_id, "verdict"], result.loc[task_id, "outcome"]) == (verdict, "stored"), verdict
    stored = {v: prov.task(i) for v, i in ids.items()}
    assert (stored["reached"]["recheck_value"], stored["reached"]["recheck_target"]) == (66.0, 65.0)
    assert (stored["not_reached"]["recheck_target"], stored["not_reached"]["recheck_verdict"]) == (70.0, "not_reached")
    assert (stored["improved"]["recheck_baseline"], stored["improved"]["recheck_target"]) == (30.0, None)
    assert stored["not_improved"]["recheck_year"] == 2024
    again = recheck_tasks(world.engine, values=values)
    assert set(again.loc[again["task_id"].isin(ids.values()), "outcome"]) == {"unchanged"}
    log = prov.audit(entity="task")
    assert (log["action"] == "recheck").sum() == len(ids)


def test_follow_ups_are_a_per_school_queue_closed_only_with_a_reason(world):
    wang = world.access("wang")
    first = wang.mark_follow_up("S1", 2024, "student_teacher_ratio", method="trend", note="生师比突增")
    assert wang.mark_follow_up("S1", 2024, "student_teacher_ratio", method="trend")["id"] == first["id"]
    other = wang.mark_follow_up("S1", 2024, "student_teacher_ratio")  # not tied to a method: its own key
    assert other["id"] != first["id"] and other["method"] == ""
    queue = wang.follow_ups(school="S1")
    assert list(queue["id"]) == sorted(queue["id"]) and first["id"] in set(queue["id"])
    wang.comment_follow_up(first["id"], "教师离职较多")
    with pytest.raises(InvalidChange):
        wang.close_follow_up(first["id"], first["version"], "  ")
    with pytest.raises(InvalidChange):
        wang.comment_follow_up(first["id"], "")
    closed = wang.close_follow_up(first["id"], first["version"], "已补充兼职教师")
    assert (closed["status"], closed["close_reason"], closed["updated_by"]) == ("closed", "已补充兼职教师", "wang")
    with pytest.raises(InvalidChange):
        wang.close_follow_up(first["id"], closed["version"], "再关一次")
    assert first["id"] not in set(open_follow_ups(world.engine, school="S1")["id"])
    assert wang.follow_ups(school="S1", status="closed").set_index("id").loc[first["id"], "comments"] == 1
    reopened = wang.mark_follow_up("S1", 2024, "student_teacher_ratio", method="trend")
    assert reopened["id"] != first["id"] and reopened["status"] == "open"


def test_several_reviewers_and_the_consolidated_view(world):
    view = world.access("prov").consolidated_reviews(school="S1", year=2023).iloc[0]
    assert (view["reviewers"], view["score_mean"], view["score_spread"]) == (2, 75.0, 10.0)
    assert view["consensus"] == "to_improve" and not view["agreed"]  # a tie goes to the worse conclusion
    with pytest.raises(InvalidChange):
        world.access("exp1").save_review("S1", 2023, "教师队伍建设", conclusion="great", expected_version=1)
    with pytest.raises(InvalidChange):
        world.access("exp1").save_review("S1", 2023, "教师队伍建设", score=120, expected_version=1)
    frame = pd.DataFrame({"school_id": ["S9"] * 3, "year": [2024] * 3, "item": ["课程体系与改革"] * 3,
                          "reviewer": ["a", "b", "c"], "score": [80, 90, None],
                          "conclusion": ["effective", "effective", "abnormal"]})
    row = consolidate(frame).iloc[0]
    assert (row["reviewers"], row["score_mean"], row["consensus"], row["agreed"]) == (3, 85.0, "effective", False)
    assert row["conclusions"] == "有效×2, 异常×1"


def test_experts_read_their_schools_but_write_nothing_else(world):
    exp1 = world.access("exp1")
    assert set(exp1.reviews()["school_id"]) == {"S1"} and len(exp1.reviews()) == 2
    for call in (lambda: exp1.create_task("S1", 2024, "专家不能建任务"),
                 lambda: exp1.set_target("S1", 2024, "dual_qualified_share", 1),
                 lambda: exp1.mark_follow_up("S1", 2024, "dual_qualified_share"),
                 lambda: exp1.audit()):
        with pytest.raises(PermissionError):
            call()
    assert USERS["exp1"].schools == frozenset({"S1"})


def test_recheck_and_values_use_the_indicator_engine_by_default(world):
    from diagnostics.engine import compute
    from diagnostics.workflow.indicators import models

    compute(world.engine, models())
    wang = Access(world.engine, USERS["wang"])  # no values given: the engine's current values
    values = wang.indicator_values(year=2024, layer="school")
    assert set(values["school_id"]) == {"S1"} and "dual_qualified_share" in set(values["indicator_id"])
    by_year = wang.indicator_values(layer="school").set_index(["year", "indicator_id"])["value"]
    task = wang.create_task("S1", 2023, "双师比例", indicator_id="dual_qualified_share")
    wang.update_task(task["id"], 1, status="done")
    row = wang.recheck_tasks().set_index("task_id").loc[task["id"]]
    assert row["recheck_year"] == 2024 and row["value"] == by_year[(2024, "dual_qualified_share")]
    assert row["target"] == 65.0 and row["verdict"] == ("reached" if row["value"] >= 65 else "not_reached")


def test_a_school_standard_may_only_be_stricter_than_the_national_one(world):
    wang = world.access("wang")  # S1 is a 高职 工科 school: national 生师比 合格 ≤ 18 (教发〔2004〕2号)
    with pytest.raises(InvalidChange, match="stricter"):
        wang.set_target("S1", 2024, "student_teacher_ratio", 20, kind="standard")
    assert wang.set_target("S1", 2024, "生师比", 16, kind="standard")["value"] == 16
    assert wang.set_target("S1", 2024, "student_teacher_ratio", 20)["value"] == 20  # a target is not a standard
