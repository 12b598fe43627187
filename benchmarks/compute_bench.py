"""Indicator compute speed against the bare SQL it cannot avoid.

Prints, in one run on the same database:
  * the full compute time (every indicator, school and program layer, stored) of a province;
  * the time of hand-written SQL doing the bare per-table aggregation scans the indicators need
    (one ``SELECT school_id, year[, program_code], COUNT(*), SUM(...) ... GROUP BY`` per table and
    grouping the indicators read, over the current versions), and the ratio of the two;
  * the time of the engine's own aggregation queries alone (fetched raw), to show what is SQL and
    what is the rest (arithmetic, levels, writing the values).
  * the time of what ``zhengai compute`` runs: the compute with the warnings (issue 4), the data
    checks in a thread beside it, the values written while the value methods run; timed until
    everything (values and flags) is committed.
Each is timed on its own copy of the freshly imported store, flushed to disk first.
Goal (issue 3): a 300-school, 5-year province ≤ 60 s on SQLite, ratio ≤ 1.5, doubling the
schools ≤ 2.2 × the time; (issue 4) indicators and warnings together ≤ 60 s.

    .venv/bin/python benchmarks/compute_bench.py                       # the committed sample
    .venv/bin/python benchmarks/compute_bench.py --schools 150 300     # generated provinces
    .venv/bin/python benchmarks/compute_bench.py --schools 150 300 --workdir /tmp/cb  # keep and reuse them
    .venv/bin/python benchmarks/compute_bench.py --schools 300 \
        --db postgresql+psycopg://postgres@127.0.0.1:5432/test     # on PostgreSQL (issue 12)

On PostgreSQL (``--db``: a server URL whose user may create databases) the province is imported into a
new database (the writer uses ``COPY``, psycopg 3), timed and counted in rows/s; each measurement then
runs on its own copy (``CREATE DATABASE … TEMPLATE``), dropped at the end.  Goals (issue 12): import
≥ 100 000 rows/s; compute and warnings together ≤ 60 s for 300 schools.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from diagnostics.contract import BY_NAME, FLOAT, INT
from diagnostics.engine import compute
from diagnostics.engine.measures import scans, uses
from diagnostics.engine.persist import current_versions
from diagnostics.engine.sqlgen import aggregation_query
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine
from diagnostics.warnings import run_warnings

REPO = Path(__file__).resolve().parents[1]


def bare_sql(table: str, layer: str) -> str:
    """COUNT(*) and SUM of every numeric column of ``table``, grouped as the layer needs."""
    numeric = [f.name for f in BY_NAME[table].fields if f.kind in (INT, FLOAT)]
    sums = "".join(f", SUM(t.{c})" for c in numeric)
    group = "t.school_id, t.year" + (", t.program_code" if layer == "program" else "")
    return (f"SELECT {group}, COUNT(*){sums} FROM {table} t JOIN data_versions v ON v.id = t.version_id "
            f"WHERE v.is_current GROUP BY {group}")


SCALE = {"value": 1.0}  # --scale: head counts of the generated provinces


def province(work: Path, schools: int | None) -> Path:
    if schools is None:
        return REPO / "data" / "sample"
    scale = SCALE["value"]
    folder = work / (f"p{schools}" if scale == 1.0 else f"p{schools}_x{scale:g}")
    generate(folder, schools=schools, years=5, seed=11, scale=scale)
    (folder / ANSWER_KEY).unlink(missing_ok=True)
    return folder


def best_of(engine: Engine, runs: int, queries: list) -> float:
    """The best time of ``runs`` repetitions of running ``queries`` and fetching every row."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with engine.connect() as conn:
            for q in queries:
                conn.execute(text(q) if isinstance(q, str) else q).fetchall()
        times.append(time.perf_counter() - t0)
    return min(times)


class SqliteStores:
    """Stores as SQLite files in ``work``: the clean import is kept and copied for each measurement."""

    def __init__(self, work: Path, schools: int | None) -> None:
        self.work, self.schools = work, schools
        self.clean = work / f"store_{schools or 'sample'}.clean.db"

    def import_clean(self) -> tuple[float, int]:
        """Import the province into the clean store (once); seconds and rows read (nan, 0 when reused)."""
        if self.clean.exists():
            return float("nan"), 0
        return timed_import(make_engine(f"sqlite:///{self.clean}"), province(self.work, self.schools))

    def fresh(self, name: str) -> Engine:
        """An engine on a copy of the clean store, with the copy flushed to disk before anything is timed."""
        copy = self.clean.with_name(f"{name}.db")
        shutil.copyfile(self.clean, copy)
        engine = make_engine(f"sqlite:///{copy}")
        init_db(engine)
        os.sync()
        return engine

    def drop(self, name: str) -> None:
        self.clean.with_name(f"{name}.db").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PgStores:
    """Stores as databases on the PostgreSQL server of ``url``: copies made with ``CREATE DATABASE … TEMPLATE``."""

    def __init__(self, work: Path, schools: int | None, url: str) -> None:
        self.work, self.schools, self.url = work, schools, make_url(url)
        self.prefix = f"zhengai_bench_{os.getpid()}_{schools or 'sample'}"
        self.made: list[str] = []

    def _admin(self, sql: str) -> None:
        admin = make_engine(self.url.render_as_string(hide_password=False))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(sql))
        admin.dispose()

    def _engine(self, db: str) -> Engine:
        return make_engine(self.url.set(database=db).render_as_string(hide_password=False))

    def import_clean(self) -> tuple[float, int]:
        self._admin(f'CREATE DATABASE "{self.prefix}_clean"')
        self.made.append(f"{self.prefix}_clean")
        return timed_import(self._engine(f"{self.prefix}_clean"), province(self.work, self.schools))

    def fresh(self, name: str) -> Engine:
        """A copy of the clean store (file copy: no gigabytes of WAL for the server to checkpoint while a
        measurement runs), analysed, with a checkpoint before anything is timed."""
        db = f"{self.prefix}_{name}"
        self._admin(f'CREATE DATABASE "{db}" TEMPLATE "{self.prefix}_clean" STRATEGY FILE_COPY')
        self.made.append(db)
        engine = self._engine(db)
        init_db(engine)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        self._admin("CHECKPOINT")
        return engine

    def drop(self, name: str) -> None:
        """Drop a measured copy, so that its autovacuum does not run during the next measurement."""
        db = f"{self.prefix}_{name}"
        self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.made.remove(db)

    def close(self) -> None:
        for db in reversed(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def timed_import(engine: Engine, folder: Path) -> tuple[float, int]:
    """Seconds to import ``folder`` into the empty store of ``engine``, and the rows read."""
    init_db(engine)
    t0, cpu0 = time.perf_counter(), time.process_time()
    result = import_path(engine, folder)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    assert result.ok, result.to_text()
    engine.dispose()  # closes the last connection (SQLite: the WAL is checkpointed into the file)
    print(f"  import: {result.rows_read} rows in {seconds:.1f} s wall, {cpu:.1f} s CPU of this process "
          f"({result.rows_read / seconds:.0f} rows/s wall, {result.rows_read / cpu:.0f} rows per CPU-second)",
          flush=True)
    return seconds, result.rows_read


def measure(work: Path, schools: int | None, runs: int, db: str | None = None) -> dict[str, float]:
    stores = PgStores(work, schools, db) if db else SqliteStores(work, schools)
    try:
        return _measure(stores, schools, runs)
    finally:
        stores.close()


def _measure(stores: SqliteStores | PgStores, schools: int | None, runs: int) -> dict[str, float]:
    imported, rows = stores.import_clean()
    models, _ = load_models()
    engine = stores.fresh("compute")
    t0 = time.perf_counter()
    values = compute(engine, models).to_frame()
    full = time.perf_counter() - t0
    with engine.connect() as conn:
        vids = current_versions(conn)["version_id"].tolist()
    bare = best_of(engine, runs, [bare_sql(table, layer) for table, layer in uses(models)])
    own = best_of(engine, runs, [aggregation_query(s.table, s.measures, s.grouping, vids) for s in scans(models)])
    engine.dispose()
    stores.drop("compute")
    engine = stores.fresh("pipeline")
    t0 = time.perf_counter()  # what `zhengai compute` runs: the data checks beside the compute, then the rest
    flags = run_warnings(engine, models=models, values=lambda: compute(engine, models, background=True))
    pipeline = time.perf_counter() - t0
    engine.dispose()
    return {"schools": schools or 18, "import_s": imported, "rows": rows,
            "rows_per_s": rows / imported if rows else float("nan"), "compute_s": full, "bare_sql_s": bare,
            "engine_sql_s": own, "values": len(values), "queries": len(uses(models)), "pipeline_s": pipeline,
            "flags": len(flags)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, nargs="*", default=None,
                        help="generated province sizes (default: the committed sample)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of the bare SQL (best kept)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the generated data and imported stores here and reuse them (default: a temporary folder)")
    parser.add_argument("--db", default=None,
                        help="a PostgreSQL server URL (user may create databases): measure there, not on SQLite")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="head counts of the generated provinces (1.0: the generator's full size)")
    args = parser.parse_args()
    SCALE["value"] = args.scale
    os.environ.setdefault("ZHENGAI_HOME", tempfile.mkdtemp(prefix="zhengai-bench-home-"))
    sizes = args.schools or [None]
    print(f"back end: {make_url(args.db).get_backend_name() if args.db else 'sqlite'}; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'schools':>8} {'values':>9} {'queries':>8} {'rows/s':>8} {'import s':>9} {'compute s':>10} {'bare SQL s':>11} "
          f"{'ratio':>6} {'engine SQL s':>13} {'compute+warnings s':>19} {'flags':>7}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="zhengai-compute-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            r = measure(work, n, args.runs, args.db)
            rows.append(r)
            print(f"{r['schools']:>8} {r['values']:>9} {r['queries']:>8} {r['rows_per_s']:>8.0f} {r['import_s']:>9.1f} "
                  f"{r['compute_s']:>10.2f} {r['bare_sql_s']:>11.2f} {r['compute_s'] / r['bare_sql_s']:>6.2f} "
                  f"{r['engine_sql_s']:>13.2f} {r['pipeline_s']:>19.2f} {r['flags']:>7}", flush=True)
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        print(f"time growth {a['schools']} → {b['schools']} schools: compute {b['compute_s'] / a['compute_s']:.2f}×, "
              f"compute+warnings {b['pipeline_s'] / a['pipeline_s']:.2f}×")


if __name__ == "__main__":
    main()
