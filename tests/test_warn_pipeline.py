"""The whole pipeline on a store: run_warnings, stored flags, the CLI, peer groups and follow-ups."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pandas as pd
import pytest
from test_warn_data import FACILITIES, FINANCE, GRADUATES, INTERNSHIPS, PROGRAMS_CHANGED, STUDENTS
from tiny_data import write_tiny

from diagnostics.access import Access, InvalidChange, local_user
from diagnostics.cli import main
from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.warnings import EXPORT_COLUMNS, load_flags, load_peer_groups, run_warnings, set_peer_group
from diagnostics.warnings import methods as methods_module
from diagnostics.warnings.followup import mark, queue, with_follow_ups


@pytest.fixture
def computed(engine, tmp_path):
    folder = write_tiny(tmp_path / "data", tables={
        "students": STUDENTS, "programs": PROGRAMS_CHANGED, "facilities": FACILITIES, "finance": FINANCE,
        "internships": INTERNSHIPS, "graduates": GRADUATES})
    assert import_path(engine, folder).ok
    compute(engine, load_models()[0])
    return engine


def cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def test_run_warnings_stores_the_flags_with_the_compute_run(computed):
    result = run_warnings(computed)
    assert not result.notes
    assert {"rule", "integrity", "completeness", "standard"} <= set(result.flags["method"])
    stored = load_flags(computed)
    assert len(stored) == len(result.flags) and stored["run_id"].nunique() == 1
    assert stored["run_id"].iloc[0] == result.run_id
    assert stored["evidence"].map(type).eq(dict).all()
    # running again replaces, never duplicates; a school's run replaces only that school's flags
    run_warnings(computed)
    assert len(load_flags(computed)) == len(result.flags)
    s2 = run_warnings(computed, school="S2")
    assert set(s2.flags["school_id"]) == {"S2"}
    assert len(load_flags(computed)) == len(result.flags)
    items = result.to_frame("items")
    assert set(items.loc[items["school_id"] == "S1", "status"]) >= {"red"}  # ghosts, duplicates: 数据质量 red


def test_a_failing_method_is_a_note_and_keeps_its_old_flags(computed, monkeypatch):
    run_warnings(computed)
    before = (load_flags(computed)["method"] == "rule").sum()

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setitem(methods_module.RUNNERS, "rule", ("store", broken))
    result = run_warnings(computed)
    assert any("rule" in n and "boom" in n for n in result.notes)
    assert (load_flags(computed)["method"] == "rule").sum() == before > 0


def test_cli_lists_flags_as_table_csv_and_json(computed, db_url):
    code, text = cli("--db", db_url, "warn")
    assert code == 0 and "WarningResult(" in text
    code, text = cli("--db", db_url, "flags", "--format", "csv")
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert code == 0 and list(frame.columns) == EXPORT_COLUMNS and len(frame) == len(load_flags(computed))
    code, text = cli("--db", db_url, "flags", "--school", "S1", "--method", "integrity", "--format", "json")
    records = json.loads(text)
    assert {r["school_id"] for r in records} == {"S1"} and {r["method"] for r in records} == {"integrity"}
    assert {"students:A004", "graduates:GHOST1"} <= {r["unit"] for r in records}
    code, text = cli("--db", db_url, "flags", "--year", "2024", "--severity", "red")
    assert code == 0 and "GHOST1" in text and "2023" not in text.split("\n", 1)[1]


def test_peer_groups_are_stored_and_checked(computed, db_url):
    assert set_peer_group(computed, "S1", ["S2", "S1"]) == ["S2"]  # a school is not its own peer
    assert load_peer_groups(computed) == {"S1": ["S2"]}
    assert cli("--db", db_url, "peers", "S1", "NOPE")[0] == 2
    code, text = cli("--db", db_url, "peers", "S1", "--clear")
    assert code == 0 and load_peer_groups(computed) == {}


def test_warnings_can_be_followed_up(computed):
    result = run_warnings(computed)
    access = Access(computed, local_user())
    ghost = result.warnings[result.warnings["unit"] == "graduates:GHOST1"].iloc[0]
    followed = mark(access, ghost, note="核对学籍")
    table = with_follow_ups(result.warnings, access.follow_ups(status=None))
    row = table[table["unit"] == "graduates:GHOST1"].iloc[0]
    assert row["follow_up_id"] == followed["id"] and row["follow_up_status"] == "open"
    access.comment_follow_up(followed["id"], "学校说明：录入错误")
    work = queue(access, result.warnings, school="S1")
    assert work["message_zh"].tolist() == [ghost["message_zh"]]
    with pytest.raises(InvalidChange):  # closing needs a reason
        access.close_follow_up(followed["id"], followed["version"], " ")
    access.close_follow_up(followed["id"], followed["version"], "已删除虚假记录")
    assert queue(access, result.warnings, school="S1").empty
