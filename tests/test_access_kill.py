"""``kill -9`` in the middle of an import or a save leaves the store as it was, or fully changed.

A forked child imports a large data set (or saves a task again and again) and is
killed with SIGKILL at a random moment, many times.  After each kill a dump of
every table equals the dump before, or the dump of the same operation run to the
end on a copy of the store taken before: never anything in between.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter

from sqlalchemy import select
from tiny_data import write_tiny
from workflow_procs import (
    assert_dump_covers_every_table,
    dump_after,
    import_child,
    large_folders,
    masked_dump,
    on_first_write,
    restore_sequences,
    run_and_kill,
    save_child,
    sequences,
    wait_for_children_gone,
)
from workflow_world import PROVINCE

from diagnostics.access import Access
from diagnostics.store.workflow_schema import audit_log

IMPORT_KILLS = {"sqlite": 20, "postgresql": 10}
SAVE_KILLS = {"sqlite": 15, "postgresql": 10}
STUDENTS = 600  # per school-year: 2 400 student rows per import


def test_kill_9_during_an_import_leaves_the_store_before_or_after_never_between(engine, db_url, tmp_path):
    """Most kills land in the write transaction (after validation), a quarter during validation."""
    assert_dump_covers_every_table(engine)
    folders = large_folders(tmp_path, STUDENTS)
    current, other = list(folders)
    prov = Access(engine, PROVINCE)
    assert prov.import_data(folders[current]).ok
    writes: list[float] = []
    stop = on_first_write(engine, lambda: writes.append(time.monotonic()))
    started = time.monotonic()
    expected, t_import = dump_after(engine, PROVINCE, folders[other])  # fully imported, then rolled back
    stop()
    t_write = started + t_import - writes[0]
    before, positions = masked_dump(engine), sequences(engine)

    rng = random.Random(20241127)
    outcomes: Counter[str] = Counter()
    for i in range(1, IMPORT_KILLS[engine.dialect.name] + 1):
        in_validation = i % 4 == 0
        delay = rng.uniform(0, t_import - t_write) if in_validation else rng.uniform(0, 3 * t_write)
        if i == IMPORT_KILLS[engine.dialect.name]:
            delay = 10 * t_import  # the last one is killed after it finished: a complete import to compare
        run_and_kill(import_child, (db_url, PROVINCE, str(folders[other])), delay, events=2,
                     wait_for=0 if in_validation else 1)
        wait_for_children_gone(engine)
        after = masked_dump(engine)
        if after == before:
            moved = sequences(engine) != positions  # PostgreSQL: the killed import had begun writing
            outcomes["rolled back" if moved else "unchanged"] += 1
            restore_sequences(engine, positions)
            continue
        assert after == expected, f"kill {i}: the store holds part of an import"
        outcomes["applied"] += 1
        current, other = other, current
        before, positions = after, sequences(engine)
        expected, _ = dump_after(engine, PROVINCE, folders[other])
    print(f"\n{engine.dialect.name}: {dict(outcomes)} (write {t_write:.2f} s of {t_import:.2f} s)")
    assert sum(outcomes.values()) == IMPORT_KILLS[engine.dialect.name] and outcomes["applied"] >= 1


def test_kill_9_during_saves_never_leaves_half_a_save(engine, db_url, tmp_path):
    prov = Access(engine, PROVINCE)
    assert prov.import_data(write_tiny(tmp_path / "tiny")).ok
    task_id = prov.create_task("S1", 2023, "双师比例偏低", indicator_id="dual_qualified_share")["id"]
    rng = random.Random(7)
    version = 1
    for i in range(1, SAVE_KILLS[engine.dialect.name] + 1):
        before = masked_dump(engine)
        run_and_kill(save_child, (db_url, PROVINCE, task_id, version), rng.uniform(0.0, 0.25))
        wait_for_children_gone(engine)
        after = masked_dump(engine)
        changed = {t for t in after if after[t] != before[t]}
        assert changed <= {"improvement_tasks", "audit_log"}, f"kill {i}: {changed}"
        task = prov.task(task_id)
        assert task["version"] >= version
        version = task["version"]
        saves = version - 1  # save k makes version k + 1
        if saves:
            assert (task["measure"], task["evidence"]) == (f"m{saves}", f"e{saves}"), f"kill {i}"
        with engine.connect() as conn:
            updates = conn.execute(select(audit_log.c.after).where(
                audit_log.c.entity == "task", audit_log.c.entity_id == str(task_id),
                audit_log.c.action == "update").order_by(audit_log.c.id)).scalars().all()
        assert len(updates) == saves, f"kill {i}: {saves} saves but {len(updates)} audit rows"
        if saves:
            last = json.loads(updates[-1])
            assert (last["version"], last["measure"]) == (version, f"m{saves}")
    assert version > 1, "no save ever completed: the test did not exercise saving"
