"""Reports for every school of a year, in parallel: one process per core, one browser per process.

Each worker process opens its own store engine, report source and headless Chromium once, then
builds school after school; the province-wide frames the source reads (peer values, warnings)
are read once per worker.  A school that fails is reported and the others go on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

_worker: dict = {}


@dataclass(frozen=True)
class SchoolResult:
    school_id: str
    paths: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def _init(db_url: str, user: object, generated_at: object) -> None:
    import atexit

    from ..store import make_engine
    from .browser import Browser
    from .source import StoreSource

    engine = make_engine(db_url)
    _worker.update(source=StoreSource(engine, user), browser=Browser(), generated_at=generated_at)
    atexit.register(_worker["browser"].close)


def _one(school: str, year: int, wanted: list[str], out_dir: str) -> SchoolResult:
    from .build import build_school

    try:
        built = build_school(_worker["source"], school, year, wanted, Path(out_dir), _worker["browser"],
                             generated_at=_worker["generated_at"])
    except Exception as exc:  # noqa: BLE001 - one school's failure must not stop the batch
        return SchoolResult(school, error=f"{type(exc).__name__}: {exc}")
    return SchoolResult(school, {k: str(v) for k, v in built.paths.items()}, built.seconds)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def build_all(db_url: str, schools: list[str], year: int, wanted: list[str], out_dir: Path,
              workers: int | None = None, user: object = None, generated_at: object = None,
              on_done: Callable[[SchoolResult], None] | None = None) -> list[SchoolResult]:
    """Build the reports of ``schools`` with a pool of ``workers`` processes; call ``on_done`` as each finishes."""
    results = []
    for result in iter_all(db_url, schools, year, wanted, out_dir, workers, user, generated_at):
        results.append(result)
        if on_done is not None:
            on_done(result)
    return sorted(results, key=lambda r: r.school_id)


def iter_all(db_url: str, schools: list[str], year: int, wanted: list[str], out_dir: Path,
             workers: int | None = None, user: object = None, generated_at: object = None) -> Iterator[SchoolResult]:
    """Results in the order the schools finish."""
    workers = min(workers or default_workers(), max(len(schools), 1))
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited engine or browser
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                             initargs=(db_url, user, generated_at)) as pool:
        futures = [pool.submit(_one, s, year, wanted, str(out_dir)) for s in schools]
        for future in as_completed(futures):
            yield future.result()
