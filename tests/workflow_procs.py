"""What the child processes of the concurrency and kill tests run, and how the parent watches them.

Children are forked (``multiprocessing`` "fork"): each opens its own engine and
never touches the parent's connections.  On PostgreSQL they connect with
``application_name=zhengai_child`` so the parent can wait until the server has
finished with a killed child's session.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import Connection, Engine, event, inspect, select, text
from tiny_data import write_tiny

from diagnostics.access import Access, ConflictError, User
from diagnostics.access.data import InTransaction
from diagnostics.store import make_engine, metadata

CHILD_APP = "zhengai_child"
FORK = multiprocessing.get_context("fork")


def child_url(url: str) -> str:
    return f"{url}?application_name={CHILD_APP}" if url.startswith("postgresql") else url


def wait_for_children_gone(engine: Engine, timeout: float = 20.0) -> None:
    """On PostgreSQL: block until no session of a (killed) child is left on the server.

    Each look is its own transaction: within one, pg_stat_activity is a frozen snapshot.
    """
    if engine.dialect.name != "postgresql":
        return
    query = text("SELECT pid, state, query FROM pg_stat_activity WHERE application_name = :a "
                 "AND datname = current_database()")
    end = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            left = conn.execute(query, {"a": CHILD_APP}).all()
        if not left:
            return
        if time.monotonic() > end:
            raise AssertionError(f"a killed child's session is still open on the server: {left}")
        time.sleep(0.02)


# ---- children ------------------------------------------------------------------------------------
def edit_task(url: str, user: User, task_id: int, changes: dict, barrier, queue) -> None:  # noqa: ANN001
    """Load the task, wait for the other editor, save; on a conflict, report and save on the current row."""
    engine = make_engine(child_url(url))
    access = Access(engine, user)
    task = access.task(task_id)
    barrier.wait(timeout=60)
    try:
        row = access.update_task(task_id, task["version"], **changes)
        queue.put(("saved", user.name, row["version"], None))
    except ConflictError as err:
        queue.put(("conflict", user.name, err.current["version"], {"current": err.current, "message": str(err)}))
        row = access.update_task(task_id, err.current["version"], **changes)
        queue.put(("saved", user.name, row["version"], None))
    engine.dispose()


def on_first_write(engine: Engine, callback: Callable[[], object]) -> Callable[[], None]:
    """Call ``callback`` whenever a statement that writes is sent; returns the function removing the hook."""

    def hook(_conn, _cursor, statement: str, *_args) -> None:  # noqa: ANN001, ANN002
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            callback()

    event.listen(engine, "before_cursor_execute", hook)
    return lambda: event.remove(engine, "before_cursor_execute", hook)


def import_child(url: str, user: User, folder: str, ready, writing) -> None:  # noqa: ANN001
    """Import ``folder``; ``writing`` is set when validation is over and the first row is written."""
    engine = make_engine(child_url(url))
    on_first_write(engine, writing.set)
    ready.set()
    result = Access(engine, user).import_data(folder)
    assert result.ok, result.to_text()


def save_child(url: str, user: User, task_id: int, first_version: int, ready) -> None:  # noqa: ANN001
    """Save the task again and again: save k sets measure m<k> and evidence e<k> (version k + 1)."""
    engine = make_engine(child_url(url))
    access = Access(engine, user)
    ready.set()
    version = first_version
    while True:
        k = version
        version = access.update_task(task_id, version, measure=f"m{k}", evidence=f"e{k}")["version"]


def run_and_kill(target, args: tuple, delay: float, events: int = 1, wait_for: int = 0) -> None:  # noqa: ANN001
    """Fork a child running ``target(*args, *events)``, wait until it sets event ``wait_for``,
    SIGKILL it ``delay`` seconds later."""
    flags = [FORK.Event() for _ in range(events)]
    proc = FORK.Process(target=target, args=(*args, *flags))
    proc.start()
    assert flags[wait_for].wait(30), "the child never reached the point to kill it at"
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)


# ---- the state of a store -----------------------------------------------------------------------
def _sequences(conn: Connection) -> dict[str, tuple]:
    """PostgreSQL: every sequence's position (a rolled-back transaction still moves them)."""
    if conn.dialect.name != "postgresql":
        return {}
    names = conn.execute(text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")).scalars()
    return {n: tuple(conn.execute(text(f'SELECT last_value, is_called FROM "{n}"')).one()) for n in list(names)}


def sequences(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        return _sequences(conn)


def restore_sequences(engine: Engine, positions: dict[str, tuple]) -> None:
    """Put the sequences back where they were, so that ids stay comparable between runs."""
    with engine.begin() as conn:
        for name, (last, called) in positions.items():
            conn.execute(text("SELECT setval(:s, :v, :c)"), {"s": name, "v": last, "c": called})


def masked_dump(bind: Engine | Connection) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order, with timestamps masked (a re-run happens later)."""
    out = {}
    with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as conn:
        for name, table in sorted(metadata.tables.items()):
            rows = conn.execute(select(table).order_by(*table.columns))
            out[name] = [tuple("<time>" if isinstance(v, dt.datetime) else v for v in r) for r in rows]
    return out


def assert_dump_covers_every_table(engine: Engine) -> None:
    from diagnostics.store.rls_sql import PRIVILEGE_TABLES

    assert set(inspect(engine).get_table_names()) - {"alembic_version", *PRIVILEGE_TABLES} == set(metadata.tables)


def dump_after(engine: Engine, user: User, folder: Path) -> tuple[dict[str, list[tuple]], float]:
    """The dump the store would have after importing ``folder`` (computed, then rolled back), and
    how many seconds the import took."""
    positions = sequences(engine)
    with engine.connect() as conn:
        outer = conn.begin()
        started = time.monotonic()
        assert Access(InTransaction(conn), user).import_data(folder).ok
        took = time.monotonic() - started
        after = masked_dump(conn)
        outer.rollback()
    restore_sequences(engine, positions)
    return after, took


def large_students(n: int, mode: str) -> str:
    """``n`` students per school-year of the tiny schools, all in study mode ``mode``."""
    head = "school_id,year,student_key,id_number,program_code,entry_year,status,study_mode\n"
    rows = [f"{school},{year},K{i:06d},,{program},{year},在籍,{mode}\n"
            for school, program in (("S1", "510201"), ("S2", "730301")) for year in (2023, 2024) for i in range(n)]
    return head + "".join(rows)


def large_folders(tmp: Path, n: int) -> dict[str, Path]:
    """Two versions of a large data set that differ in every student row."""
    return {mode: write_tiny(tmp / f"large_{i}", tables={"students": large_students(n, mode)})
            for i, mode in enumerate(("全日制", "夜大"))}

