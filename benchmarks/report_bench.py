"""Report timings: per school (HTML, PDF, Word) and for every school of a province.

    .venv/bin/python benchmarks/report_bench.py                    # sample province + 300 schools
    .venv/bin/python benchmarks/report_bench.py --big 0            # sample province only

Each province is generated (diagnostics.sample), imported, computed and warned in a temporary
store first (not timed).  Goals (issue 7): HTML ≤ 2 s and PDF ≤ 8 s per school; 300 schools
≤ 10 min.  "All schools" runs what ``zhengai report --all`` runs: one process per core, one
browser per process; once with the batch's default formats and once with every format.

Besides wall time, each step reports CPU seconds of this process and all its descendants
(the browser's processes included): on a machine shared with other work, CPU ÷ cores is what
the step would take alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.reports import StoreSource, gather_school
from diagnostics.reports.batch import build_all, default_workers
from diagnostics.reports.browser import Browser
from diagnostics.reports.build import BATCH_DEFAULT, FORMATS
from diagnostics.reports.html import school_figures, school_html
from diagnostics.reports.word import school_docx
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine
from diagnostics.warnings import run_warnings


def _ticks(pid: int) -> dict[int, tuple[int, float]]:
    """(parent, CPU seconds) of every process, from /proc."""
    out, hz = {}, os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / hz)
    return out


def cpu_seconds() -> float:
    """CPU time of this process, its live descendants and its reaped children."""
    table, me = _ticks(os.getpid()), os.getpid()
    family, grew = {me}, True
    while grew:
        grew = False
        for pid, (parent, _) in table.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return sum(table[p][1] for p in family if p in table) + usage.ru_utime + usage.ru_stime


def prepare(root: Path, schools: int, years: int, scale: float, seed: int) -> str:
    folder = root / "csv"
    start = time.perf_counter()
    generate(folder, schools=schools, years=years, seed=seed, scale=scale)
    (folder / ANSWER_KEY).unlink()
    url = f"sqlite:///{root / 'store.db'}"
    engine = make_engine(url)
    init_db(engine)
    if not import_path(engine, folder).ok:
        sys.exit("import failed")
    models, _ = load_models()
    compute(engine, models)
    run_warnings(engine, models=models)
    engine.dispose()
    print(f"  prepared {schools} schools × {years} years (scale {scale}) in {time.perf_counter() - start:.0f} s")
    return url


def per_school(url: str, year: int, n: int) -> None:
    engine = make_engine(url)
    source = StoreSource(engine)
    schools = sorted(source.schools()["school_id"])[:n]
    gather_school(source, schools[0], year)  # warm: province frames read once per process, as in a batch
    times: dict[str, list[float]] = {"html": [], "pdf": [], "docx": []}
    cpu: dict[str, list[float]] = {"html": [], "pdf": [], "docx": []}
    with Browser() as browser:
        browser.pdf("<html><body>warm</body></html>")  # browser start-up is once per worker, not per school
        for school in schools:
            marks = [(time.perf_counter(), cpu_seconds())]
            report = gather_school(source, school, year)
            figures = school_figures(report)
            html = school_html(report, figures)
            marks.append((time.perf_counter(), cpu_seconds()))
            browser.pdf(html, report.outline())
            marks.append((time.perf_counter(), cpu_seconds()))
            school_docx(report, browser.snapshots(list(figures)))
            marks.append((time.perf_counter(), cpu_seconds()))
            for n, fmt in enumerate(times):
                times[fmt].append(marks[n + 1][0] - marks[n][0])
                cpu[fmt].append(marks[n + 1][1] - marks[n][1])
    notes = {"html": "gather + charts + HTML", "pdf": "two passes: contents", "docx": "chart images + document"}
    for fmt, values in times.items():
        print(f"  per school {fmt:<4}: median {statistics.median(values):.2f} s wall, "
              f"{statistics.median(cpu[fmt]):.2f} s CPU; max {max(values):.2f} s wall over {len(values)} schools "
              f"({notes[fmt]})")
    engine.dispose()


def all_schools(url: str, year: int, workers: int, out: Path, wanted: list[str]) -> None:
    engine = make_engine(url)
    schools = sorted(StoreSource(engine).schools()["school_id"])
    engine.dispose()
    start, cpu0 = time.perf_counter(), cpu_seconds()
    results = build_all(url, schools, year, wanted, out, workers)
    elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    failed = [r for r in results if r.error]
    print(f"  all {len(schools)} schools, formats {','.join(wanted)}, {workers} workers: {elapsed:.0f} s wall "
          f"({elapsed / len(schools):.2f} s per school), {cpu:.0f} s CPU → {cpu / (os.cpu_count() or 1):.0f} s "
          f"on {os.cpu_count()} idle cores{'; FAILED ' + str(len(failed)) if failed else ''}")
    for r in failed[:3]:
        print(f"    {r.school_id}: {r.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=30, help="schools of the sample province")
    parser.add_argument("--big", type=int, default=300, help="schools of the large province (0: skip)")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.2, help="head-count scale of the generated provinces")
    parser.add_argument("--per-school", type=int, default=5, help="schools timed one by one")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    year = 2020 + args.years - 1
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, n in (("sample province", args.sample), ("large province", args.big)):
            if n <= 0:
                continue
            print(f"{label}: {n} schools")
            root = Path(tmp) / label.replace(" ", "_")
            url = prepare(root, n, args.years, args.scale, seed=2024)
            if label == "sample province":
                per_school(url, year, args.per_school)
            for wanted in (list(BATCH_DEFAULT), list(FORMATS)):
                all_schools(url, year, args.workers, root / "out", wanted)
            print(f"  load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
