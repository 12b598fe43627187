"""Status data, indicator values and imports through the scoped door."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, Engine, select

from ..contract import BY_NAME
from ..store.schema import schools, stored_columns
from ..store.writer import WriteSummary
from . import audit
from .base import AccessBase, action
from .errors import InvalidChange, PermissionDenied

if TYPE_CHECKING:
    from ..io.importer import ImportResult

ValuesSource = Callable[..., pd.DataFrame]  # (engine, school=id|ids, year=, layer=) -> indicator values
VALUE_COLUMNS = ["school_id", "year", "layer", "unit", "indicator_id", "value", "numerator", "denominator",
                 "n", "level"]


def engine_values() -> ValuesSource:
    """The indicator engine's ``current_values`` (the default source of values)."""
    try:
        from ..engine import current_values
    except ImportError as exc:  # pragma: no cover - the engine is part of the package
        raise RuntimeError("指标引擎不可用 / the indicator engine (diagnostics.engine) is not available") from exc
    return current_values


class InTransaction:
    """An engine stand-in whose ``begin()`` and ``connect()`` give the caller's open connection.

    The importer run on it writes inside the caller's transaction, so the import
    and its audit rows commit together, or not at all.  ``Access(InTransaction(conn),
    user)`` likewise runs every call inside one outer transaction (a what-if view, a test).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        yield self._conn

    connect = begin

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        return getattr(self._conn.engine, name)


class DataMixin(AccessBase):
    """Schools, status-data tables, indicator values, imports."""

    values_source: ValuesSource | None = None

    @action("read", "read")
    def schools(self) -> pd.DataFrame:
        """The schools in scope (researchers: codes instead of ids and names)."""
        with self.engine.connect() as conn:
            ids = self._schools_for(conn, None)
            query = select(schools).where(self._in(schools.c.school_id, ids)).order_by(schools.c.school_id)
            return self._frame(conn, pd.read_sql(query, conn).drop(columns=["batch_id"]))

    @action("read", "read")
    def reported_school_years(self, school: str | None = None) -> pd.DataFrame:
        """``school_id, year`` of every school-year in scope that has status data (a current version)."""
        from ..store.schema import data_versions

        with self.engine.connect() as conn:
            ids = self._schools_for(conn, school)
            query = (select(data_versions.c.school_id, data_versions.c.year)
                     .where(data_versions.c.is_current.is_(True), self._in(data_versions.c.school_id, ids))
                     .order_by(data_versions.c.school_id, data_versions.c.year))
            return self._frame(conn, pd.read_sql(query, conn))

    @action("read", "read")
    def status_table(self, name: str, school: str | None = None, year: int | None = None) -> pd.DataFrame:
        """One status-data table (current versions) for the schools in scope."""
        with self.engine.connect() as conn:
            return self._frame(conn, self._table(name, self._schools_for(conn, school), year))

    def _table(self, name: str, school_ids: list[str] | None, year: int | None = None) -> pd.DataFrame:
        """A status-data table of these schools (None: all), not yet scoped for output."""
        from ..io.export import current_table

        if name not in BY_NAME:
            raise InvalidChange(f"没有数据表 {name!r}", f"no status-data table {name!r}")
        parts = [current_table(self.engine, name, s) for s in (school_ids if school_ids is not None else [None])]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=stored_columns(name))
        if year is not None and "year" in frame:
            frame = frame[pd.to_numeric(frame["year"]) == int(year)]
        return frame

    def _values(self, school_ids: list[str] | None, year: int | None = None,
                layer: str | None = None) -> pd.DataFrame:
        if school_ids == []:
            return pd.DataFrame(columns=VALUE_COLUMNS)
        source = self.values_source or engine_values()
        return source(self.engine, school=school_ids, year=year, layer=layer)

    @action("read", "read")
    def indicator_values(self, school: str | None = None, year: int | None = None,
                         layer: str | None = None) -> pd.DataFrame:
        """Current indicator values of the schools in scope."""
        with self.engine.connect() as conn:
            return self._frame(conn, self._values(self._schools_for(conn, school), year, layer))

    @action("import", "write")
    def import_data(self, path: str | Path, dry_run: bool = False, allow_hidden: bool = False) -> ImportResult:
        """Validate and import status data; school staff may only write their own school.

        Returns the importer's ``ImportResult``.  The import, its scope check and
        its audit rows are one transaction: a refused or interrupted import leaves
        the store as it was.
        """
        from sqlalchemy.exc import IntegrityError

        from ..io.errors import IssueTable
        from ..io.importer import concurrent_import_conflict, concurrent_import_result

        try:
            return self._import(Path(path), dry_run, allow_hidden)
        except _Refused as refused:  # master data a school user may not change: rolled back, located
            return type(refused.result)(refused.result.path, IssueTable(refused.issues),
                                        rows_read=refused.result.rows_read)
        except IntegrityError as exc:  # a simultaneous import of the same school-year committed first
            if not concurrent_import_conflict(exc):
                raise
            return concurrent_import_result(Path(path))

    def _import(self, path: Path, dry_run: bool, allow_hidden: bool) -> ImportResult:
        from ..store.bulkload import vacuum_loaded

        result = self._import_in_transaction(path, dry_run, allow_hidden)
        if result.summary is not None and not dry_run:  # committed: the upkeep of a bulk load
            vacuum_loaded(self.engine, result.summary.bulk_loaded)
        return result

    def _import_in_transaction(self, path: Path, dry_run: bool, allow_hidden: bool) -> ImportResult:
        from ..io.importer import import_path
        from .master import refusals

        with self.engine.begin() as conn:
            scope = self._scope(conn)

            def check(touched: set[str]) -> None:  # the scope first: never "unchanged" for data one may not read
                outside = sorted(touched - scope) if scope is not None else []
                if outside:
                    raise PermissionDenied(f"导入含有权限范围外的学校 {', '.join(outside)}，未导入任何数据",
                                           f"the import holds schools outside your scope ({', '.join(outside)}); "
                                           "nothing was imported")

            result = import_path(InTransaction(conn), Path(path), imported_by=self.user.name, dry_run=dry_run,
                                 check_schools=check, allow_hidden=allow_hidden)
            summary = result.summary
            if summary is None:  # invalid input: nothing was written
                return result
            touched = {s for s, _, _ in summary.new_versions} | set(summary.schools_added)
            check(touched | set(summary.schools_updated) | {s for s, _ in summary.unchanged})
            refused = refusals(self.user, summary, path.name)
            if refused:
                raise _Refused(result, refused)
            if not dry_run:
                self._audit_import(conn, Path(path).name, summary)
            return result

    def _audit_import(self, conn: Connection, source: str, summary: WriteSummary) -> None:
        batch = summary.batch_id
        for school_id, year, version_no in summary.new_versions:
            before = {"version_no": version_no - 1} if version_no > 1 else None
            audit.record(conn, self.user.name, "import", "data", batch, school_id, year, before,
                         {"version_no": version_no, "batch_id": batch, "source": source})
        for kind, ids in (("added", summary.schools_added), ("updated", summary.schools_updated)):
            for school_id in ids:
                old = {f: o for s, f, o, _ in summary.school_changes if s == school_id and o is not None}
                new = {f: str(n) for s, f, o, n in summary.school_changes if s == school_id and o is not None}
                audit.record(conn, self.user.name, "import", "school", batch, school_id, None,
                             {k: str(v) for k, v in old.items()} or None,
                             {"school": kind, "batch_id": batch, "source": source, **new})


class _Refused(Exception):
    """An import to roll back, with the located issues that refuse it."""

    def __init__(self, result: ImportResult, issues: list) -> None:
        super().__init__("refused")
        self.result, self.issues = result, issues


def make_values_source(values: pd.DataFrame) -> ValuesSource:
    """A values source serving a fixed frame (hand-made values, tests, what-if views)."""

    def source(_engine: Engine, school: str | list[str] | None = None, year: int | None = None,
               layer: str | None = None) -> pd.DataFrame:
        out = values
        for col, want in (("school_id", school), ("year", year), ("layer", layer)):
            if want is not None:
                out = out[out[col].isin(want if isinstance(want, list) else [want])]
        return out.reset_index(drop=True)

    return source
