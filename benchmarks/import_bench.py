"""Import benchmark: rows/s and peak memory for one school's workbook and a province folder.

    .venv/bin/python benchmarks/import_bench.py                 # 30-school sample province
    .venv/bin/python benchmarks/import_bench.py --schools 300   # a 300-school province
    .venv/bin/python benchmarks/import_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test

Data: ``diagnostics.sample.generate`` when that module is available, otherwise
the tiny test data set multiplied (said so in the output).  Each import runs
in a child process into an empty store, so its peak memory (VmHWM) is its own;
times are wall clock and CPU.  (a) must validate and store in ≤ 5 s.

On PostgreSQL (b) also prints the floor of this machine for that import: the seconds PostgreSQL alone
needs to take the same rows (the data tables emptied and loaded again in one transaction from ready COPY
text, in the importer's bulk-load mode — keys and indexes dropped and rebuilt — then the same vacuum) plus
the seconds of reading the same CSV files with no check at all (pyarrow, every core): the rows/s that no
importer could exceed here, however cheap its validation, while validation must finish before the write.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ONE_SCHOOL_LIMIT_S = 5.0


# ------------------------------------------------------------------ data

def make_province(out: Path, schools: int, seed: int) -> str:
    """Write a province folder; return where the data came from."""
    if importlib.util.find_spec("diagnostics.sample") is not None:
        from diagnostics.sample import generate

        generate(out, schools=schools, years=5, seed=seed)
        key = out / "answer_key.csv"
        if key.exists():  # not a table: hide it from the importer (files starting with _ are skipped)
            key.rename(out / "_answer_key.csv")
        return f"diagnostics.sample.generate(schools={schools}, years=5, seed={seed})"
    return _multiplied_tiny(out, schools)


def _multiplied_tiny(out: Path, schools: int) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    import pandas as pd
    from tiny_data import write_tiny

    tiny = write_tiny(out / "_tiny")
    for csv in tiny.glob("*.csv"):
        frame = pd.read_csv(csv, dtype=str)
        copies = [frame.assign(school_id=frame["school_id"] + f"-{i:03d}") for i in range((schools + 1) // 2)]
        pd.concat(copies).to_csv(out / csv.name, index=False)
    return f"NOTE: diagnostics.sample not available: the tiny data set multiplied to {schools} schools"


def one_school_workbook(province: Path, out: Path, which: str) -> tuple[Path, str]:
    """A school's tables (all years) as one workbook, one sheet per table, as a school would send it.

    ``which`` is ``median`` (by student rows) or ``largest``.
    """
    import pandas as pd

    sizes = pd.read_csv(province / "students.csv", dtype=str, usecols=["school_id"])["school_id"].value_counts()
    school = sizes.index[0] if which == "largest" else sizes.index[len(sizes) // 2]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for path in sorted(province.glob("*.csv")):
            if path.name.startswith("_"):
                continue
            parts = [chunk[chunk["school_id"] == school]
                     for chunk in pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=200_000)]
            pd.concat(parts).to_excel(writer, sheet_name=path.stem, index=False)
    return out, school


# ------------------------------------------------------------------ one measured import (child process)

def child(path: Path, url: str) -> dict:
    """Import ``path`` into the store at ``url``; timings per table and peak memory."""
    from diagnostics.io import importer, stage
    from diagnostics.store import init_db, make_engine, writer

    per_table: dict[str, float] = {}
    phases: dict[str, float] = {}

    def timed(module, name: str, table_of, phase: str = "") -> None:  # noqa: ANN001
        original = getattr(module, name)

        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                took = time.perf_counter() - started
                if table_of is not None:
                    table = table_of(*args)
                    per_table[table] = per_table.get(table, 0.0) + took
                if phase:
                    phases[phase] = phases.get(phase, 0.0) + took

        setattr(module, name, wrapper)

    timed(stage, "_stage_table", lambda source, *_: source.table.name)
    timed(writer, "_insert_rows", lambda conn, name, *_: name, "write")
    timed(writer, "vacuum_loaded", None, "vacuum")
    engine = make_engine(url)
    init_db(engine)
    started, cpu = time.perf_counter(), time.process_time()
    result = importer.import_path(engine, path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if not result.ok:
        raise SystemExit(result.to_text()[:3000])
    counts = json.loads(_batch_counts(engine))
    if engine.dialect.name == "postgresql":
        phases["postgres_alone"] = postgres_alone(engine)
    return {"seconds": elapsed, "cpu": cpu, "rows": result.rows_read, "per_table": per_table, "counts": counts,
            "peak_mib": peak_mib(), "phases": phases}


def postgres_alone(engine) -> float:  # noqa: ANN001
    """Seconds PostgreSQL needs to take the rows the import wrote into the data tables, with nothing of the
    importer's own work: the tables' content as COPY text (read out first, not timed), the tables emptied,
    then in one transaction each loaded by one COPY in the importer's bulk-load mode (keys and indexes
    dropped and rebuilt), committed, and vacuumed as after an import."""
    from sqlalchemy import text

    from diagnostics.store.bulkload import bulk_load, vacuum_loaded
    from diagnostics.store.schema import DATA_TABLES

    quote = engine.dialect.identifier_preparer.quote
    dumps: dict[str, tuple[bytes, int]] = {}
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for name in DATA_TABLES:
            with cursor.copy(f"COPY {quote(name)} TO STDOUT") as copy:
                data = b"".join(bytes(block) for block in copy)
            dumps[name] = (data, data.count(b"\n"))
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(quote(n) for n in DATA_TABLES)))
    started = time.perf_counter()
    loaded: list[str] = []
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for name, (data, rows) in dumps.items():
            with bulk_load(conn, DATA_TABLES[name], rows) as bulk:
                if bulk:
                    loaded.append(name)
                with cursor.copy(f"COPY {quote(name)} FROM STDIN") as copy:
                    for at in range(0, len(data), 1 << 20):
                        copy.write(data[at:at + (1 << 20)])
    vacuum_loaded(engine, loaded)
    return time.perf_counter() - started


def read_only(folder: Path) -> float:
    """Seconds to read every table's CSV of ``folder`` with no check at all (pyarrow, every core)."""
    from pyarrow import csv

    started = time.perf_counter()
    for path in sorted(folder.glob("*.csv")):
        if not path.name.startswith("_"):
            csv.read_csv(path)
    return time.perf_counter() - started


def report_floor(m: dict, read_s: float) -> None:
    """This import's write, and the rows/s no importer could exceed here (reading without checks, then
    PostgreSQL alone taking the rows)."""
    write, vacuum = m["phases"].get("write", 0.0), m["phases"].get("vacuum", 0.0)
    print(f"    of which the write {write:.2f} s and the vacuum after it {vacuum:.2f} s")
    alone = m["phases"].get("postgres_alone")
    if alone is not None:
        floor = read_s + alone
        print(f"    floor of this machine: reading the files with no check {read_s:.2f} s + PostgreSQL alone taking "
              f"the same rows {alone:.2f} s = {floor:.2f} s → at most {m['rows'] / floor:,.0f} rows/s, "
              f"however cheap the validation")


def peak_mib() -> float:
    """This process's peak resident memory.  VmHWM, not ru_maxrss: a child forked from a big parent
    inherits the parent's ru_maxrss across exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _batch_counts(engine) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from diagnostics.store.schema import import_batches

    with engine.connect() as conn:
        return conn.execute(select(import_batches.c.row_counts)).scalar_one()


def measure(path: Path, url: str) -> dict:
    run = subprocess.run([sys.executable, __file__, "--child", str(path), "--db", url],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if run.returncode != 0:
        raise SystemExit(f"import of {path} failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def _admin(url: str, *statements: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


_MADE: list[str] = []  # the PostgreSQL databases this run made


def fresh_store(url: str | None, workdir: Path, name: str) -> str:
    if url is None:
        return f"sqlite:///{workdir / (name + '.db')}"
    db = f"zhengai_bench_{os.getpid()}_{name}"
    _admin(url, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', f'CREATE DATABASE "{db}"')
    _MADE.append(db)
    return url.rsplit("/", 1)[0] + "/" + db


def drop_stores(url: str | None) -> None:
    """Drop the databases this run made on the server (SQLite files stay in the work folder)."""
    if url is not None and _MADE:
        _admin(url, *(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in _MADE))


def report(title: str, m: dict, per_table: bool) -> None:
    print(f"{title}: {m['rows']:,} rows in {m['seconds']:.2f} s (CPU {m['cpu']:.2f} s) = "
          f"{m['rows'] / m['seconds']:,.0f} rows/s; peak memory {m['peak_mib']:,.0f} MiB")
    if per_table:
        for name, seconds in sorted(m["per_table"].items(), key=lambda kv: -kv[1]):
            rows = m["counts"].get(name, 0)
            print(f"    {name:12s} {rows:>10,} rows  {seconds:7.2f} s  {rows / max(seconds, 1e-9):>12,.0f} rows/s")


def verdict(m: dict) -> str:
    if m["seconds"] <= ONE_SCHOOL_LIMIT_S:
        return "OK"
    if m["cpu"] <= ONE_SCHOOL_LIMIT_S:
        return (f"over in wall time but within in CPU time: the machine is shared "
                f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return "TOO SLOW"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--db", default=None, help="PostgreSQL server URL (a fresh database is made); default SQLite")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db)))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhengai-bench-"))
    os.environ.setdefault("ZHENGAI_HOME", str(workdir / "home"))
    province = workdir / f"province-{args.schools}"
    started = time.perf_counter()
    if (province / "schools.csv").exists():  # a --workdir used before: the same data again
        origin = f"{province} (made before)"
    else:
        origin = make_province(province, args.schools, args.seed)
    size = sum(p.stat().st_size for p in province.glob("*.csv") if not p.name.startswith("_"))
    print(f"data: {origin}; {size / 2**20:,.1f} MiB of CSV, made in {time.perf_counter() - started:.1f} s")
    try:
        _measure_all(args, workdir, province)
    finally:
        drop_stores(args.db)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; workdir {workdir}")


def _measure_all(args: argparse.Namespace, workdir: Path, province: Path) -> None:
    for which in ("median", "largest"):
        book, school = one_school_workbook(province, workdir / f"school-{which}.xlsx", which)
        try:
            one = measure(book, fresh_store(args.db, workdir, which))
        except SystemExit as refused:  # e.g. a workbook over the input limits (README: Input limits)
            print(f"(a) one school's workbook, the {which} school ({school}): not imported — "
                  f"{str(refused).splitlines()[-1].strip()[:300]}")
            continue
        report(f"(a) one school's workbook, the {which} school ({school}, 5 years, "
               f"{book.stat().st_size / 2**20:.1f} MiB)", one, per_table=which == "largest")
        print(f"    validate and store ≤ {ONE_SCHOOL_LIMIT_S:.0f} s: {verdict(one)}")
    whole = measure(province, fresh_store(args.db, workdir, "province"))
    report(f"(b) province folder ({args.schools} schools)", whole, per_table=True)
    report_floor(whole, read_only(province))


if __name__ == "__main__":
    main()
