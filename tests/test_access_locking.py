"""Optimistic locking, the audit of every change (and of refused saves), and the append-only audit log."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text
from tiny_data import PROGRAMS, SCHOOLS, TEACHERS, write_tiny
from workflow_procs import FORK, edit_task
from workflow_world import PROVINCE, USERS

from diagnostics.access import Access, ConflictError
from diagnostics.store.workflow_schema import audit_log, follow_up_comments, improvement_tasks


@pytest.fixture
def store(engine, tmp_path):
    prov = Access(engine, PROVINCE)
    assert prov.import_data(write_tiny(tmp_path / "tiny")).ok
    for user in USERS.values():
        prov.add_user(user.name, user.role, user.school_id, user.city, user.schools)
    return engine


def task_audit(engine, task_id: int) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).where(audit_log.c.entity == "task",
                                                    audit_log.c.entity_id == str(task_id))
                            .order_by(audit_log.c.id)).mappings().all()
    return [dict(r) for r in rows]


def test_a_stale_save_is_refused_with_the_current_row_and_audited(store):
    wang, prov = Access(store, USERS["wang"]), Access(store, PROVINCE)
    task = wang.create_task("S1", 2023, "双师比例偏低", indicator_id="dual_qualified_share")
    seen_by_prov = prov.task(task["id"])
    saved = wang.update_task(task["id"], task["version"], measure="安排教师企业实践", status="in_progress")
    assert saved["version"] == 2 and saved["updated_by"] == "wang"
    with pytest.raises(ConflictError) as caught:
        prov.update_task(seen_by_prov["id"], seen_by_prov["version"], measure="引进兼职教师")
    err = caught.value
    assert err.current["measure"] == "安排教师企业实践" and err.current["version"] == 2
    assert "未保存" in err.zh and "not saved" in err.en and "wang" in str(err)
    assert prov.task(task["id"])["measure"] == "安排教师企业实践"  # nothing was overwritten
    rows = task_audit(store, task["id"])
    assert [(r["action"], r["outcome"], r["actor"]) for r in rows] == [
        ("create", "ok", "wang"), ("update", "ok", "wang"), ("update", "conflict", "prov")]
    refused = json.loads(rows[-1]["after"])
    assert refused["measure"] == "引进兼职教师" and refused["expected_version"] == 1
    assert json.loads(rows[1]["before"])["measure"] is None
    assert json.loads(rows[1]["after"])["measure"] == "安排教师企业实践"


def test_first_save_of_a_target_needs_no_version_later_ones_do(store):
    wang = Access(store, USERS["wang"])
    first = wang.set_target("S1", 2024, "dual_qualified_share", 60)
    with pytest.raises(ConflictError):  # a form that never saw the override
        wang.set_target("S1", 2024, "dual_qualified_share", 70)
    second = wang.set_target("S1", 2024, "dual_qualified_share", 70, expected_version=first["version"])
    assert (second["id"], second["value"], second["version"]) == (first["id"], 70.0, 2)
    with pytest.raises(ConflictError):
        wang.clear_target(first["id"], first["version"])


def test_the_audit_log_and_comments_are_append_only_in_the_database(store):
    prov = Access(store, PROVINCE)
    fu = prov.mark_follow_up("S1", 2023, "dual_qualified_share")
    prov.comment_follow_up(fu["id"], "已核实")
    for table in (audit_log, follow_up_comments):
        for statement in (sa.update(table).values(id=table.c.id), sa.delete(table)):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.begin() as conn:
                conn.execute(statement)
    with store.connect() as conn:
        assert conn.execute(select(sa.func.count()).select_from(audit_log)).scalar() > 0
        assert conn.execute(select(sa.func.count()).select_from(follow_up_comments)).scalar() == 1
    if store.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
    assert not [m for m in dir(Access) if m.startswith(("delete", "remove", "purge"))]


def test_the_audit_is_viewable_per_school_and_covers_every_kind_of_change(store, tmp_path):
    prov, wang = Access(store, PROVINCE), Access(store, USERS["wang"])
    task = wang.create_task("S1", 2023, "问题")
    wang.update_task(task["id"], 1, status="dropped", drop_reason="指标口径调整")
    target = wang.set_target("S1", 2024, "dual_qualified_share", 60)
    wang.clear_target(target["id"], target["version"])
    fu = wang.mark_follow_up("S1", 2023, "dual_qualified_share", method="trend")
    wang.comment_follow_up(fu["id"], "原因：统计口径")
    wang.close_follow_up(fu["id"], fu["version"], "口径已更正")
    Access(store, USERS["exp1"]).save_review("S1", 2023, "教师队伍建设", score=75, conclusion="effective")
    s1_only = {"schools": SCHOOLS.splitlines()[0] + "\n" + SCHOOLS.splitlines()[1] + "\n",
               "programs": "\n".join(PROGRAMS.splitlines()[:3]) + "\n", "students": None, "facilities": None,
               "teachers": "\n".join(TEACHERS.splitlines()[:4]).replace(",320,", ",321,") + "\n"}
    result = wang.import_data(write_tiny(tmp_path / "s1", tables=s1_only))
    assert result.ok and result.summary.new_versions == [("S1", 2023, 2)], result.to_text()
    log = wang.audit()
    assert set(log["school_id"]) == {"S1"}
    kinds = set(zip(log["entity"], log["action"]))
    assert {("task", "create"), ("task", "update"), ("target", "create"), ("target", "clear"),
            ("follow_up", "open"), ("follow_up", "comment"), ("follow_up", "close"),
            ("review", "create"), ("data", "import")} <= kinds
    assert set(prov.audit(school="S2")["school_id"]) == {"S2"}


def test_two_processes_edit_the_same_task_one_wins_the_other_is_told_nothing_is_lost(store, db_url):
    wang = Access(store, USERS["wang"])
    task = wang.create_task("S1", 2023, "双师比例偏低", indicator_id="dual_qualified_share")
    store.dispose()  # the children open their own connections
    barrier, queue = FORK.Barrier(2), FORK.Queue()
    edits = {"wang": {"measure": "安排教师企业实践"}, "prov": {"owner": "人事处"}}
    procs = [FORK.Process(target=edit_task, args=(db_url, USERS[who], task["id"], change, barrier, queue))
             for who, change in edits.items()]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    events = [queue.get(timeout=5) for _ in range(3)]
    conflicts = [e for e in events if e[0] == "conflict"]
    assert len(conflicts) == 1, events
    loser = conflicts[0][1]
    winner = next(who for who in edits if who != loser)
    assert conflicts[0][3]["current"][next(iter(edits[winner]))] == next(iter(edits[winner].values()))
    assert "未保存" in conflicts[0][3]["message"]
    final = wang.task(task["id"])
    assert final["version"] == 3
    assert final["measure"] == "安排教师企业实践" and final["owner"] == "人事处"  # both changes kept
    rows = task_audit(store, task["id"])
    assert [(r["actor"], r["action"], r["outcome"]) for r in rows] == [
        ("wang", "create", "ok"), (winner, "update", "ok"), (loser, "update", "conflict"),
        (loser, "update", "ok")]
    assert json.loads(rows[2]["after"])["expected_version"] == 1
    with store.connect() as conn:
        assert conn.execute(select(improvement_tasks.c.version)).scalar() == 3
