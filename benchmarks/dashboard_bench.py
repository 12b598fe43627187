"""Dashboard speed and memory in headless Chromium, on a served province.

Measures, against ``zhengai serve`` (Voilà, preheated kernels) over an imported and computed store:

* time from navigation to the first interactive board of the self-diagnosis dashboard (the
  board's values are on the page, so the kernel is connected), read in the page
  (``performance.now()`` since navigation start);
* latency from a dropdown change (school, then year) to the updated board, measured in the page
  with a MutationObserver: p50 and p95 over ``--changes`` changes;
* the same with ``--sessions`` concurrent sessions (default 10), and the resident memory of the
  server and its kernels.

Goal (issue 6): ≤ 3 s to interactive, ≤ 200 ms p95 per change.

    .venv/bin/python benchmarks/dashboard_bench.py --db sqlite:////path/store.db [--sessions 10] [--changes 24]

Without ``--db`` the store of ``ZHENGAI_DB_URL`` (or the default) is used; it must hold the sample
province, imported and computed (``scripts/demo.sh`` prepares it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from diagnostics.app.served import Served
from diagnostics.reports.browser import DEFAULT_CHROMIUM, LAUNCH_ARGS
from diagnostics.store import default_url

READY = ".za-board .za-v"
CHANGE_JS = """async ([selector, label]) => {
  const sel = document.querySelector(selector + ' select');
  const board = document.querySelector('.za-board');
  const before = board.innerHTML;
  const option = Array.from(sel.options).find(o => o.text === label);
  return await new Promise(resolve => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (board.innerHTML !== before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(board, {childList: true, subtree: true, characterData: true});
    sel.value = option.value;
    sel.dispatchEvent(new Event('change', {bubbles: true}));
    setTimeout(() => { obs.disconnect(); resolve(-1); }, 30000);
  });
}"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def open_board(context, url: str) -> tuple[object, float]:  # noqa: ANN001
    page = await context.new_page()
    await page.goto(url, wait_until="commit", timeout=300_000)
    await page.wait_for_selector(READY, timeout=300_000)
    return page, await page.evaluate("performance.now()") / 1000


async def changes(page, n: int) -> list[float]:  # noqa: ANN001
    """``n`` dropdown changes: mostly schools, every third a year; the milliseconds of each."""
    schools = await page.eval_on_selector(".za-school select", "s => Array.from(s.options).map(o => o.text)")
    years = await page.eval_on_selector(".za-year select", "s => Array.from(s.options).map(o => o.text)")
    out = []
    for i in range(n):
        if i % 3 == 2:
            current = await page.eval_on_selector(".za-year select", "s => s.options[s.selectedIndex].text")
            label, selector = years[(years.index(current) + 1) % len(years)], ".za-year"
        else:
            current = await page.eval_on_selector(".za-school select", "s => s.options[s.selectedIndex].text")
            label, selector = schools[(schools.index(current) + 1) % len(schools)], ".za-school"
        ms = await page.evaluate(CHANGE_JS, [selector, label])
        if ms < 0:
            raise RuntimeError(f"no update within 30 s after choosing {label}")
        out.append(ms)
        await page.wait_for_timeout(150)  # let the rest of the update (measures tab …) arrive
    return out


async def run(url_of, sessions: int, n_changes: int, served: Served) -> dict:  # noqa: ANN001
    url = url_of("self_diagnosis")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=DEFAULT_CHROMIUM, args=LAUNCH_ARGS)
        single = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page, ready = await open_board(single, url)
        lat = await changes(page, n_changes)
        await single.close()
        result = {"single": {"interactive_s": round(ready, 2), "p50_ms": round(pct(lat, .5)),
                             "p95_ms": round(pct(lat, .95)), "changes": len(lat)}}
        await asyncio.to_thread(served.wait_ready, 600, {"self_diagnosis": 2})  # the pool refilled
        contexts = [await browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(sessions)]
        t0 = time.perf_counter()
        opened = await asyncio.gather(*(open_board(c, url) for c in contexts))
        wall = time.perf_counter() - t0
        readies = [r for _, r in opened]
        lats = await asyncio.gather(*(changes(pg, n_changes) for pg, _ in opened))
        flat = [x for xs in lats for x in xs]
        memory = served.memory()
        result["concurrent"] = {"sessions": sessions, "interactive_s_p50": round(pct(readies, .5), 2),
                                "interactive_s_max": round(max(readies), 2), "all_open_wall_s": round(wall, 2),
                                "p50_ms": round(pct(flat, .5)), "p95_ms": round(pct(flat, .95)),
                                "changes": len(flat), "memory": {k: round(v) for k, v in memory.items()}}
        for c in contexts:
            await c.close()
        await browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=None, help="store URL (default: $ZHENGAI_DB_URL or the default store)")
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--changes", type=int, default=24)
    parser.add_argument("--pool-size", type=int, default=1, help="preheated kernels per dashboard (serve's default 1)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhengai-bench-") as tmp:
        served = Served(args.db or default_url(), Path(tmp) / "home", Path(tmp) / "serve.log", args.pool_size)
        try:
            started = served.wait_ready()
            idle = served.memory()
            result = asyncio.run(run(served.url, args.sessions, args.changes, served))
        finally:
            served.stop()
    result["server"] = {"ready_s": round(started, 1), "pool_size": args.pool_size,
                        "idle_memory": {k: round(v) for k, v in idle.items()}}
    s, c = result["single"], result["concurrent"]
    print(f"server ready (every dashboard preheated): {started:.1f} s; idle memory {idle['total_mb']:.0f} MB "
          f"({idle['kernels']} kernels)")
    print(f"1 session : interactive {s['interactive_s']:.2f} s; dropdown change p50 {s['p50_ms']} ms, "
          f"p95 {s['p95_ms']} ms ({s['changes']} changes)   goal: ≤ 3 s, ≤ 200 ms p95")
    print(f"{c['sessions']} sessions: interactive p50 {c['interactive_s_p50']:.2f} s, max {c['interactive_s_max']:.2f} s; "
          f"change p50 {c['p50_ms']} ms, p95 {c['p95_ms']} ms ({c['changes']} changes); "
          f"memory {c['memory']['total_mb']} MB (server {c['memory']['server_mb']} MB + "
          f"{c['memory']['kernels']} kernels {c['memory']['kernels_mb']} MB)")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
