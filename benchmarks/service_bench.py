"""The shared deployment under load: N people sign in through the hub and open their dashboards.

Against ``zhengai hub`` (JupyterHub, one dashboards-only server per person; with ``--service``, one
dashboards service for everyone with ``--pool`` preheated kernels per main dashboard) over an imported and
computed store, in headless Chromium: ``--users`` school users (default 30, each of a school of the
store) sign in, their starts spread over ``--within`` seconds (default 60); each opens the
self-diagnosis dashboard and changes the year ``--changes`` times.  Prints

* sign-in → landing page interactive (this spawns the person's server), p50 / p95 / max;
* navigation → self-diagnosis board interactive (``performance.now()`` at the board's values), p50 / p95;
* widget change → board updated (MutationObserver in the page), p50 / p95;
* peak memory of the hub and everything it started, sampled every second: ``peak_mb`` the sum of
  proportional set sizes (a library page shared by every kernel counts once), ``peak_rss_sum_mb``
  the plain sum of resident sizes (counts it once per process);
* kernels (and servers) alive 2 minutes after every page closed;
* CPU seconds used during the rush by kind of process (kernels, dashboards server, hub, proxy, Chromium).

Targets (issue 12): p95 ≤ 5 s, widget p95 ≤ 300 ms, peak ≤ 12 GB, no kernel alive 2 min after close.

    .venv/bin/python benchmarks/service_bench.py --db sqlite:////path/store.db [--users 30] [--within 60]
        [--service --pool self_diagnosis=30,province=1,review=1 --refill-delay 300] [--floor]

``--floor`` replaces the self-diagnosis board by a page of two widgets (a year list and one value; the
notebook :data:`FLOOR_NOTEBOOK`, nothing of zhengai in it) and keeps all the rest — sign-in, the landing
page, the service or servers, the kernels, Voilà, Chromium: what the same rush costs whatever the board.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
import threading
import time
from pathlib import Path

from dashboard_bench import CHANGE_JS, pct
from playwright.async_api import async_playwright

from diagnostics.access import Access, Role, User
from diagnostics.access.passwords import store_password
from diagnostics.hub.served import HubServed
from diagnostics.hub.service import DEFAULT_POOL, PREFIX, parse_pool
from diagnostics.reports.browser import DEFAULT_CHROMIUM, LAUNCH_ARGS
from diagnostics.store import default_url, make_engine

PASSWORD = "bench password 12"
READY = ".za-board .za-v"
AFTER_CLOSE = 120  # seconds
READY_LINE = re.compile(r"\[zhengai\] dashboard \w+ ready")
STILL = 60  # seconds without another kernel saying it is ready: the pool is taken as prepared
GIVE_UP = 300  # seconds a page may take before the person counts as failed
FLOOR_SOURCE = """import sys
import ipywidgets as w

def value(year):
    return f'<span class="za-v">{year}</span>'

year = w.Dropdown(options=["2022", "2023", "2024"], value="2024")
year.add_class("za-year")
shown = w.HTML(value(year.value))
shown.add_class("za-board")  # the benchmark watches this element's content change
year.observe(lambda change: setattr(shown, "value", value(change.new)), "value")
print("[zhengai] dashboard floor ready", file=sys.__stderr__, flush=True)
w.VBox([year, shown])
"""
FLOOR_NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {},
                             "outputs": [], "source": FLOOR_SOURCE}],
                  "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                              "name": "python3"}, "language_info": {"name": "python"}},
                  "nbformat": 4, "nbformat_minor": 5}


def wait_pool(hub: HubServed, kernels: int, timeout: float = 900) -> None:
    """Wait until ``kernels`` preheated kernels have run their dashboard up to the wait for a request (each
    says so in the log) — the pool is prepared before the morning's first sign-in, not during it."""
    end, said, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < end:
        now = len(READY_LINE.findall(hub.log.read_text(errors="replace")))  # kernels' lines may interleave
        if now >= kernels:
            break
        if now != said:
            said, since = now, time.monotonic()
        elif now and time.monotonic() - since > STILL:  # a kernel that died at start, or a line lost in the log
            print(f"(the pool: {now} of {kernels} kernels said they were ready, none more for {STILL} s; going on)")
            break
        time.sleep(2)
    time.sleep(5)


def page_kernels(hub: HubServed) -> int:
    """Kernels handed to a page and not shut down (the service's log: preheated ones handed out; with a
    server per person every kernel is a page's)."""
    if not getattr(hub, "service", False):
        return hub.kernels()
    log = hub.log.read_text(errors="replace")
    handed = set(re.findall(r"Using pre-heated kernel: ([0-9a-f-]{36})", log))
    return len(handed - set(re.findall(r"Kernel shutdown: ([0-9a-f-]{36})", log)))


def floor_notebooks(folder: Path) -> Path:
    """A copy of the dashboards' folder whose self-diagnosis board is :data:`FLOOR_NOTEBOOK`."""
    import shutil

    from diagnostics.commands.serve import REPO_NOTEBOOKS

    copy = folder / "notebooks"
    shutil.copytree(REPO_NOTEBOOKS, copy)
    (copy / "self_diagnosis.ipynb").write_text(json.dumps(FLOOR_NOTEBOOK, indent=1))
    return copy


def register(db_url: str, home: Path, n: int) -> list[str]:
    """``n`` school users, each of a school of the store (round robin), with one password."""
    engine = make_engine(db_url)
    access = Access(engine, User("bench", Role.PROVINCE))
    schools = sorted(access.schools()["school_id"].astype(str))
    names = [f"bench{i:03d}" for i in range(n)]
    for i, name in enumerate(names):
        access.add_user(name, "school", school_id=schools[i % len(schools)])
        store_password(name, PASSWORD, home / "hub" / "passwords.json")
    engine.dispose()
    return names


class Sampler:
    """The hub's memory every second, in a thread; ``peak`` in MB."""

    def __init__(self, hub: HubServed) -> None:
        self.hub, self.peak, self.peak_rss, self._stop = hub, 0.0, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.peak = max(self.peak, self.hub.memory_mb(shared_once=True))
            self.peak_rss = max(self.peak_rss, self.hub.memory_mb())

    def stop(self) -> float:
        self._stop.set()
        self.thread.join()
        return self.peak


KINDS = (("kernels", "ipykernel_launcher"), ("dashboards service", "diagnostics.hub.service"),
         ("people's servers", "jupyterhub-singleuser"), ("hub", "jupyterhub"), ("proxy", "configurable-http-proxy"),
         ("chromium", "chrom"))


def cpu_by_kind(hub: HubServed) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the hub's processes and the benchmark's own Chromium, by kind."""
    import psutil

    out: dict[str, float] = {}
    for proc in {*hub.processes(), *psutil.Process().children(recursive=True)}:
        try:
            line, times = " ".join(proc.cmdline()), proc.cpu_times()
        except Exception:  # a process that ended meanwhile
            continue
        kind = next((k for k, mark in KINDS if mark in line), "other")
        out[kind] = out.get(kind, 0.0) + times.user + times.system
    return out


async def year_changes(page, n: int) -> list[float]:  # noqa: ANN001
    """``n`` changes of the year (a school user has one school); the milliseconds of each."""
    years = await page.eval_on_selector(".za-year select", "s => Array.from(s.options).map(o => o.text)")
    out = []
    for _ in range(n if len(years) > 1 else 0):
        current = await page.eval_on_selector(".za-year select", "s => s.options[s.selectedIndex].text")
        ms = await page.evaluate(CHANGE_JS, [".za-year", years[(years.index(current) + 1) % len(years)]])
        if ms >= 0:
            out.append(ms)
        await page.wait_for_timeout(300)
    return out


async def one_person(browser, hub: HubServed, name: str, delay: float, n_changes: int) -> dict:  # noqa: ANN001
    """One person's morning; a page that does not open within :data:`GIVE_UP` s counts as a failure."""
    await asyncio.sleep(delay)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(GIVE_UP * 1000)
    try:
        return await _visit(context, hub, name, n_changes)
    except Exception as exc:  # noqa: BLE001 - counted and named, never hidden
        return {"name": name, "context": context, "failed": f"{type(exc).__name__}: {str(exc)[:200]}"}


async def _visit(context, hub: HubServed, name: str, n_changes: int) -> dict:  # noqa: ANN001
    page = await context.new_page()
    await page.goto(hub.url("/hub/login"))
    await page.fill("#username_input", name)
    await page.fill("#password_input", PASSWORD)
    t0 = time.perf_counter()
    await page.click("#login_submit")
    await page.wait_for_url("**/voila/render/index.ipynb**")
    await page.wait_for_selector(".za-app .za-figure")
    landing = time.perf_counter() - t0
    board = (PREFIX if hub.service else f"/user/{name}/") + "voila/render/self_diagnosis.ipynb"
    await page.goto(hub.url(board), wait_until="commit")
    await page.wait_for_selector(READY)
    board = await page.evaluate("performance.now()") / 1000
    changes = await year_changes(page, n_changes)
    return {"name": name, "context": context, "landing_s": landing, "board_s": board, "changes_ms": changes}


async def run(hub: HubServed, names: list[str], within: float, n_changes: int, spare: int = 0) -> dict:
    sampler = Sampler(hub)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=DEFAULT_CHROMIUM, args=LAUNCH_ARGS)
        cpu0 = cpu_by_kind(hub)
        t0 = time.perf_counter()
        step = within / max(1, len(names))
        people = await asyncio.gather(*(one_person(browser, hub, n, i * step, n_changes)
                                        for i, n in enumerate(names)))
        wall = time.perf_counter() - t0
        cpu = {k: round(v - cpu0.get(k, 0.0), 1) for k, v in cpu_by_kind(hub).items()}
        open_kernels = hub.kernels()
        for person in people:
            await person.pop("context").close()
        await browser.close()
    closed_at = time.perf_counter()
    await asyncio.sleep(AFTER_CLOSE)
    peak = sampler.stop()
    failed = {p["name"]: p["failed"] for p in people if "failed" in p}
    people = [p for p in people if "failed" not in p] or [{"landing_s": float("nan"), "board_s": float("nan"),
                                                             "changes_ms": []}]
    landing = [p["landing_s"] for p in people]
    board = [p["board_s"] for p in people]
    flat = [x for p in people for x in p["changes_ms"]]
    return {"users": len(names), "within_s": within, "all_done_wall_s": round(wall, 1),
            "landing_s": {"p50": round(pct(landing, .5), 2), "p95": round(pct(landing, .95), 2),
                          "max": round(max(landing), 2)},
            "board_s": {"p50": round(pct(board, .5), 2), "p95": round(pct(board, .95), 2), "max": round(max(board), 2)},
            "change_ms": {"p50": round(pct(flat, .5)), "p95": round(pct(flat, .95)), "n": len(flat)} if flat else {},
            "kernels_open": open_kernels, "peak_mb": round(peak), "peak_rss_sum_mb": round(sampler.peak_rss),
            "after_close_s": round(time.perf_counter() - closed_at), "kernels_after_close": hub.kernels(),
            "servers_after_close": hub.servers(), "pool_spare": spare, "failed": failed,
            "page_kernels_after_close": page_kernels(hub), "cpu_s": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=None, help="store URL (default: $ZHENGAI_DB_URL or the default store)")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--within", type=float, default=60, help="seconds over which the sign-ins start")
    parser.add_argument("--changes", type=int, default=6, help="year changes per person")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--refill-delay", type=float, default=1.0, help="with --service: its --refill-delay")
    parser.add_argument("--log", type=Path, default=None, help="keep the hub's log here")
    parser.add_argument("--service", action="store_true", help="zhengai hub --service (one service, preheated)")
    parser.add_argument("--pool", default=str(DEFAULT_POOL), help="with --service: its --pool (N or board=N,…)")
    parser.add_argument("--floor", action="store_true", help="a two-widget page in place of the self-diagnosis board")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhengai-service-") as tmp:
        folder = Path(tmp)
        db = args.db or default_url()
        if db.startswith("sqlite:///"):  # the benchmark registers its users in a copy, not in the store
            copy = folder / "store.db"
            copy.write_bytes(Path(db.removeprefix("sqlite:///")).read_bytes())
            db = f"sqlite:///{copy}"
        names = register(db, folder / "home", args.users)
        options = ("--service", f"--pool={args.pool}", f"--refill-delay={args.refill_delay:g}") if args.service else ()
        if args.floor:
            options += ("--notebooks", str(floor_notebooks(folder)))
        hub = HubServed(db, folder / "home", folder / "hub.log", options=options)
        hub.service = args.service
        try:
            hub.wait_ready()
            spare = sum(parse_pool(args.pool).values()) if args.service else 0
            if args.service:  # the pool is prepared before the morning's first sign-in
                wait_pool(hub, spare)
            result = asyncio.run(run(hub, names, args.within, args.changes, spare))
        finally:
            hub.stop()
            if args.log:
                args.log.write_bytes(hub.log.read_bytes())
    ch = result["change_ms"] or {"p50": "-", "p95": "-", "n": 0}
    print(f"{result['users']} users signing in within {args.within:.0f} s (all done in {result['all_done_wall_s']} s)")
    how = "the service renders it" if args.service else "spawns the server"
    print(f"sign-in → landing interactive ({how}): p50 {result['landing_s']['p50']} s, "
          f"p95 {result['landing_s']['p95']} s, max {result['landing_s']['max']} s")
    if args.floor:
        print("(--floor: the board is a page of two widgets; everything else as in a real rush)")
    print(f"navigation → board interactive: p50 {result['board_s']['p50']} s, p95 {result['board_s']['p95']} s, "
          f"max {result['board_s']['max']} s   target p95 ≤ 5 s")
    print(f"widget change: p50 {ch['p50']} ms, p95 {ch['p95']} ms ({ch['n']} changes)   target p95 ≤ 300 ms")
    print(f"peak memory {result['peak_mb']} MB (target ≤ 12288 MB); kernels open at the end {result['kernels_open']}")
    print(f"{result['after_close_s']} s after the pages closed: {result['kernels_after_close']} kernels alive, of which "
          f"{result['page_kernels_after_close']} were a page's (the rest wait in the pool), "
          f"{result['servers_after_close']} servers alive   target: 0 kernels of pages")
    cpu = result["cpu_s"]
    print(f"CPU seconds from the first sign-in until every page was open ({result['all_done_wall_s']} s on "
          f"{os.cpu_count()} cores): " + ", ".join(f"{k} {v}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]))
          + f"; {sum(cpu.values()) / result['users']:.1f} s per person")
    for name, why in result["failed"].items():
        print(f"FAILED {name}: {why}")
    print(f"{len(result['failed'])} of {result['users']} people could not open their board within {GIVE_UP} s")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
