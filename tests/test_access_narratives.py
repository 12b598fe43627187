"""The school's report text and the records behind a value, through the scoped door: locked, audited, refused
when stale, and the records those an indicator counts (no ID number in sight)."""

from __future__ import annotations

import pytest
from workflow_world import world_in

from diagnostics.access import ConflictError, InvalidChange


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with world_in("sqlite", tmp_path_factory.mktemp("narratives")) as w:
        yield w


def test_a_section_is_saved_locked_and_audited(world):
    wang = world.access("wang")
    first = wang.save_narrative("S1", 2023, "work", "  成立诊改办公室。\r\n每月例会。  ")
    assert (first["text"], first["version"], first["updated_by"]) == ("成立诊改办公室。\n每月例会。", 1, "wang")
    second = wang.save_narrative("S1", 2023, "work", "成立诊改办公室，按 8字形螺旋运行。", expected_version=1)
    assert second["version"] == 2 and second["id"] == first["id"]
    with pytest.raises(ConflictError) as stale:  # someone saved first: the current text comes back
        world.access("prov").save_narrative("S1", 2023, "work", "省里改的", expected_version=1)
    assert stale.value.current["text"] == "成立诊改办公室，按 8字形螺旋运行。"
    saved = wang.narratives("S1", 2023).set_index("section")
    assert saved.loc["work", "text"] == "成立诊改办公室，按 8字形螺旋运行。"
    log = wang.audit(school="S1", entity="narrative")
    assert {"create", "save"} <= set(log["action"]) and "conflict" in set(log["outcome"])


def test_only_known_sections_and_sensible_lengths(world):
    wang = world.access("wang")
    with pytest.raises(InvalidChange, match="未知的报告部分"):
        wang.save_narrative("S1", 2023, "preface", "前言")
    with pytest.raises(InvalidChange, match="文字过长"):
        wang.save_narrative("S1", 2023, "plans", "计" * 20_001)


def test_experts_read_the_schools_text_but_do_not_write_it(world):
    expert = world.access("exp1")
    assert "坚持以质量为核心" in expert.narratives("S1", 2024).iloc[0]["text"]
    with pytest.raises(PermissionError):
        expert.save_narrative("S1", 2024, "overview", "专家改的", expected_version=1)


def test_the_records_behind_a_measure(world):
    wang = world.access("wang")
    teachers = wang.status_table("teachers", "S1")
    year = int(teachers["year"].max())
    rows = wang.measure_records("S1", year, "fulltime_teachers")
    mine = teachers[(teachers["year"] == year) & (teachers["employment"] == "专任")]
    assert sorted(rows["teacher_key"]) == sorted(mine["teacher_key"]) and set(rows["_value"]) == {1}
    both = wang.measure_records("S1", year, "fulltime_teachers", also="senior_title_teachers")
    assert set(both["_also"]) <= {0, 1} and list(both["_also"]) == sorted(both["_also"])  # not counted first
    assert not {"id_hash", "id_problem", "id_number"} & set(both.columns)
    with pytest.raises(InvalidChange):
        wang.measure_records("S1", year, "fulltime_teachers", also="graduates")  # another table
