"""Pass one of an import: read every table piece by piece, validate it, protect the
ID numbers, and keep the typed pieces with each school-year's content hash.

Nothing is written to the store here.  Pieces are kept in memory for small
inputs and pickled to a private temporary folder for big ones, so that a
province's data is never in memory at once.  Checks that need a whole table —
key uniqueness, the wrong-ID-column check — are made over all pieces.  The tables of a big folder or
workbook are staged side by side in forked worker processes (each table in one process, its pieces
in the shared temporary folder); issues come out in the tables' order, as one process gives them.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from ..store.content import GroupHasher
from ..store.schema import schools as schools_table
from ..store.schema import stored_columns
from ..store.writer import TableInput
from .coerce import parse_column
from .errors import ImportIssue
from .personal import IdTally, protect_students
from .read import Sheet
from .sources import RESTART, Source, find_sources, pieces, whole_sheet
from .targets import check_targets
from .validate import Parsed, check_school_refs, check_sheet, duplicate_key_issue, no_tables_issue

SPILL_BYTES = 64 * 2**20  # inputs bigger than this keep their typed pieces on disk
WORKERS = min(4, os.cpu_count() or 1)  # processes staging the tables of a big folder or workbook


class PieceStore:
    """Typed pieces of each table, in memory or pickled to a temporary folder."""

    def __init__(self, on_disk: bool, folder: Path | None = None) -> None:
        self.folder = folder or (Path(tempfile.mkdtemp(prefix="zhengai-import-")) if on_disk else None)
        self._pieces: dict[str, list] = {}

    def paths(self, table: str) -> list[Path]:
        """The files of a table's pieces (a store on disk)."""
        return list(self._pieces.get(table, []))

    def adopt(self, table: str, paths: list[Path]) -> None:
        """Take over the pieces another process wrote into this store's folder."""
        self._pieces[table] = list(paths)

    def put(self, table: str, frame: pd.DataFrame, sheet: Sheet) -> None:
        entry = (frame, sheet.rows)
        if self.folder is not None:
            path = self.folder / f"{table}-{len(self._pieces.get(table, []))}.pkl"
            pd.to_pickle(entry, path)
            entry = path
        self._pieces.setdefault(table, []).append(entry)

    def drop(self, table: str) -> None:
        self._pieces.pop(table, None)

    def entries(self, table: str) -> Iterator[tuple[pd.DataFrame, pd.Series]]:
        for entry in self._pieces.get(table, []):
            yield pd.read_pickle(entry) if isinstance(entry, Path) else entry

    def frames(self, table: str) -> Iterator[pd.DataFrame]:
        for frame, _ in self.entries(table):
            yield frame

    def close(self) -> None:
        self._pieces.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class KeyIndex:
    """A 64-bit hash of every row's key over all pieces of a table, to find duplicates across pieces.

    Only the hashes are kept; the rare candidates are read again and compared exactly.
    """

    def __init__(self) -> None:
        self.hashes: list[np.ndarray] = []
        self.complete: list[np.ndarray] = []

    def add(self, frame: pd.DataFrame, key: tuple[str, ...]) -> None:
        keys = frame[list(key)]
        self.hashes.append(pd.util.hash_pandas_object(keys, index=False).to_numpy())
        self.complete.append(keys.notna().all(axis=1).to_numpy(dtype=bool))

    def candidates(self) -> dict[int, np.ndarray]:
        """Positions of the rows whose key hash another complete row also has, by piece number."""
        if not self.hashes:
            return {}
        complete = np.flatnonzero(np.concatenate(self.complete))
        dup = np.zeros(sum(len(h) for h in self.hashes), bool)
        dup[complete] = pd.Series(np.concatenate(self.hashes)[complete]).duplicated(keep=False).to_numpy()
        bounds = np.cumsum([0] + [len(h) for h in self.hashes])
        return {i: np.flatnonzero(dup[bounds[i]:bounds[i + 1]]) for i in range(len(self.hashes))
                if dup[bounds[i]:bounds[i + 1]].any()}

    def issues(self, source: Source) -> list[ImportIssue]:
        where = self.candidates()
        if not where:
            return []
        table = source.table
        found: dict[tuple, list[tuple[Sheet, int]]] = {}
        number = 0
        for piece in pieces(source, []):  # the same pieces again; other issues were reported the first time
            if piece is RESTART:
                number, found = 0, {}
                continue
            at = where.get(number, np.array([], dtype=int))
            typed = [parse_column(table.field(k), piece.frame[k].iloc[at])[0].tolist() for k in table.key]
            for pos, key in zip(at, zip(*typed)):
                found.setdefault(key, []).append((piece, int(pos)))
            number += 1
        last = table.key[-1]
        return [duplicate_key_issue(sheet, pos, sheet.frame[last].iloc[pos])
                for rows in found.values() if len(rows) > 1 for sheet, pos in rows]


@dataclass
class Staged:
    """The outcome of pass one: every issue, or everything the writer needs."""

    issues: list[ImportIssue] = field(default_factory=list)
    notes: list[ImportIssue] = field(default_factory=list)  # plausibility warnings: imported, and reported
    sha256: str = ""
    schools: pd.DataFrame | None = None
    tables: dict[str, TableInput] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    store: PieceStore | None = None
    rows: int = 0

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()


def stage(path: Path, engine: Engine | None = None, allow_hidden: bool = False) -> Staged:
    """Read and validate the input at ``path`` completely; write nothing.

    ``allow_hidden`` takes hidden workbook sheets, rows and columns (named in the notes).
    """
    staged = Staged()
    issues = staged.issues
    digest = hashlib.sha256()
    sources = find_sources(Path(path), issues, digest, allow_hidden, staged.notes)
    staged.sha256 = digest.hexdigest()
    staged.sources = {s.table.name: s for s in sources}
    staged.store = PieceStore(on_disk=sum(s.size for s in sources) > SPILL_BYTES)
    # a zip's members are read through one open file: its position would be shared by the processes
    side_by_side = staged.store.folder is not None and Path(path).suffix.lower() != ".zip"
    try:
        _stage_sources(sources, staged, engine, side_by_side)
    except BaseException:
        staged.store.close()  # no temporary pieces left behind
        raise
    if not sources and not issues:
        issues.append(no_tables_issue(str(path)))
    return staged


def _stage_sources(sources: list[Source], staged: Staged, engine: Engine | None, side_by_side: bool) -> None:
    known: set[str] = set()
    if engine is not None:
        with engine.connect() as conn:
            known = set(conn.execute(select(schools_table.c.school_id)).scalars())
    schools_ok = True
    others = [s for s in sources if s.table.name != "schools"]
    for source in sources:
        if source.table.name == "schools":  # first: the other tables refer to its schools
            frame = _stage_schools(source, staged.issues)
            schools_ok = frame is not None
            if frame is not None:
                staged.schools = frame
                staged.rows += len(frame)
                known |= set(frame["school_id"].dropna())
    schools = known if schools_ok else None
    workers = min(WORKERS, len(others))
    if side_by_side and workers > 1 and not multiprocessing.current_process().daemon:
        _stage_side_by_side(others, staged, schools, workers)
        return
    for source in others:
        staged.rows += _stage_table(source, staged, schools)


@dataclass
class _Part:
    """What a worker process found in one table: its issues and notes, hashes, rows and piece files."""

    issues: list[ImportIssue]
    notes: list[ImportIssue]
    hashes: dict[tuple[str, int], str]
    rows: int
    paths: list[Path]


_JOB: tuple[list[Source], Path, set[str] | None] | None = None  # what forked workers read: set before the fork


def _stage_alone(i: int) -> _Part:
    """Stage table ``i`` of the job in a worker process; its pieces go to the shared folder."""
    assert _JOB is not None
    sources, folder, schools = _JOB
    name = sources[i].table.name
    part = Staged(store=PieceStore(on_disk=True, folder=folder))  # never closed here: the parent owns the folder
    rows = _stage_table(sources[i], part, schools)
    return _Part(part.issues, part.notes, part.tables[name].hashes, rows, part.store.paths(name))


def _stage_side_by_side(others: list[Source], staged: Staged, schools: set[str] | None, workers: int) -> None:
    """Stage the tables in forked worker processes, biggest first; issues are kept in the tables' order,
    as one process would report them."""
    global _JOB
    store = staged.store
    _JOB = (others, store.folder, schools)
    order = sorted(range(len(others)), key=lambda i: -others[i].size)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = dict(zip(order, pool.map(_stage_alone, order, chunksize=1)))
    finally:
        _JOB = None
    for i, source in enumerate(others):
        part, name = parts[i], source.table.name
        staged.issues.extend(part.issues)
        staged.notes.extend(part.notes)
        store.adopt(name, part.paths)
        staged.tables[name] = TableInput(name, part.hashes, lambda name=name: store.frames(name), part.rows)
        staged.rows += part.rows


def _stage_schools(source: Source, issues: list[ImportIssue]) -> pd.DataFrame | None:
    sheet = whole_sheet(source, issues)
    if sheet is None:
        return None
    frame, ok = check_sheet(sheet, issues)
    return frame if ok else None


def _stage_table(source: Source, staged: Staged, schools: set[str] | None) -> int:
    """Validate one table piece by piece; keep its clean typed pieces and content hashes."""
    name, issues, store = source.table.name, staged.issues, staged.store
    hasher = GroupHasher(stored_columns(name))
    keys, tally = KeyIndex(), IdTally()
    rows = 0
    for piece in pieces(source, issues):
        if piece is RESTART:
            store.drop(name)
            hasher, keys, tally, rows = GroupHasher(stored_columns(name)), KeyIndex(), IdTally(), 0
            continue
        frame, ok = check_sheet(piece, issues, check_keys=False)
        if name == "targets":  # indicator names resolved to ids before keys are compared
            frame = check_targets(piece, frame, issues, staged.notes)
        keys.add(frame, source.table.key)
        if schools is not None:
            check_school_refs(piece, frame, schools, issues)
        if name == "students":
            protect_students(Parsed(source.table, frame, piece), issues, tally)
        rows += len(frame)
        if ok and not issues:  # once anything is wrong nothing will be written: stop keeping pieces
            hasher.add(frame)
            store.put(name, frame, piece)
    issues.extend(keys.issues(source))
    if (issue := tally.issue()) is not None:
        issues.append(issue)
    staged.tables[name] = TableInput(name, hasher.hashes(), lambda: store.frames(name), rows)
    return rows
