"""The machinery every part of :class:`~diagnostics.access.Access` shares.

Scope: which schools the user reaches, checked on every row read or written.
Locking: a save names the version it was based on; ``UPDATE ... WHERE id = ?
AND version = ?`` changes nothing when someone saved first, and the caller gets
a :class:`ConflictError` with the current row.  Audit: each change writes an
audit row in the same transaction; a refused (stale) save is recorded too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Select, Table, insert, select, true, update
from sqlalchemy.exc import IntegrityError

from ..store.schema import schools
from . import audit
from .errors import ConflictError, InvalidChange, NotFound, PermissionDenied, denied
from .kanon import research_frame
from .pseudonym import Pseudonymiser
from .roles import CAPABILITIES, Role, User

F = TypeVar("F", bound=Callable[..., Any])
Row = dict[str, Any]


def action(capability: str, kind: str) -> Callable[[F], F]:
    """Declare a public method of :class:`Access`: what it needs and whether it reads or writes.

    Every public method carries this mark; the scope tests enumerate the marked
    methods, so a new method without a scope test case fails the suite.
    """
    if capability not in CAPABILITIES or kind not in ("read", "write"):
        raise ValueError(f"unknown capability {capability!r} or kind {kind!r}")

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def checked(self: AccessBase, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            if not self.user.can(capability):
                raise denied(f"执行此操作（{fn.__name__}，角色 {self.user.role}）",
                             f"{fn.__name__} as {self.user.role}")
            return fn(self, *args, **kwargs)

        checked.access_kind = kind  # type: ignore[attr-defined]
        checked.capability = capability  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap


@dataclass(frozen=True)
class Entity:
    """An editable kind of row: its audit name, table, Chinese name and editable fields."""

    name: str
    table: Table
    zh: str
    editable: frozenset[str]


class AccessBase:
    """Holds the engine and the user; scope, output, transactions, locking, audit."""

    def __init__(self, engine: Engine, user: User) -> None:
        self.engine = engine
        self.user = user

    # ---- scope ---------------------------------------------------------------------------------
    def _scope(self, conn: Connection) -> frozenset[str] | None:
        """The school ids this user reaches, or None for every school."""
        role = self.user.role
        if role in (Role.PROVINCE, Role.RESEARCHER):
            return None
        if role == Role.SCHOOL:
            return frozenset({self.user.school_id})
        if role == Role.CITY:
            return frozenset(conn.execute(select(schools.c.school_id)
                                          .where(schools.c.city == self.user.city)).scalars())
        return self.user.schools

    def _check_school(self, conn: Connection, school_id: str) -> None:
        scope = self._scope(conn)
        if scope is not None and school_id not in scope:
            raise PermissionDenied(f"学校 {school_id} 不在您的权限范围内",
                                   f"school {school_id} is outside your scope")

    def _schools_for(self, conn: Connection, school: str | None) -> list[str] | None:
        """The schools a read covers: ``[school]`` (checked), else the scope (None = all)."""
        if school is not None:
            self._check_school(conn, school)
            return [school]
        scope = self._scope(conn)
        return None if scope is None else sorted(scope)

    @staticmethod
    def _in(column: ColumnElement, school_ids: list[str] | None) -> ColumnElement[bool]:
        return true() if school_ids is None else column.in_(school_ids)

    @classmethod
    def _select(cls, table: Table, school_ids: list[str] | None, year: int | None = None,
                *extra: ColumnElement) -> Select:
        """The rows of ``table`` of these schools (None: all), optionally of one year."""
        query = select(table, *extra).where(cls._in(table.c.school_id, school_ids))
        return query if year is None else query.where(table.c.year == int(year))

    # ---- output --------------------------------------------------------------------------------
    def _pseudonymiser(self, conn: Connection) -> Pseudonymiser:
        from ..io.idnumber import load_secret

        names = {sid: name for sid, name in conn.execute(select(schools.c.school_id, schools.c.name))}
        return Pseudonymiser(names, load_secret())

    def _frame(self, conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
        """Every frame leaves through here: rows outside the scope dropped, researchers pseudonymised."""
        scope = self._scope(conn)
        if "school_id" in frame.columns:
            if scope is not None:
                frame = frame[frame["school_id"].astype(str).isin(scope)]
            frame = frame.reset_index(drop=True)
        if self.user.role == Role.RESEARCHER:
            from ..io.idnumber import load_secret

            frame = research_frame(frame, load_secret(), self.user.name)
            frame = self._pseudonymiser(conn).frame(frame)
        return frame

    def _row(self, conn: Connection, row: Mapping[str, Any]) -> Row:
        """Every single row leaves through here (scope checked, researchers pseudonymised)."""
        if "school_id" in row:
            self._check_school(conn, row["school_id"])
        if self.user.role == Role.RESEARCHER:
            return self._pseudonymiser(conn).row(row)
        return dict(row)

    # ---- rows, transactions, locking -----------------------------------------------------------
    @staticmethod
    def _get(conn: Connection, entity: Entity, row_id: int) -> Row:
        row = conn.execute(select(entity.table).where(entity.table.c.id == row_id)).mappings().first()
        if row is None:
            raise NotFound(f"{entity.zh} {row_id} 不存在", f"no {entity.name} {row_id}")
        return dict(row)

    def _read_one(self, entity: Entity, row_id: int) -> Row:
        with self.engine.connect() as conn:
            return self._row(conn, self._get(conn, entity, row_id))

    def _stamp(self, create: bool = False) -> Row:
        at = audit.now()
        stamp = {"updated_by": self.user.name, "updated_at": at}
        return {**stamp, "created_by": self.user.name, "created_at": at, "version": 1} if create else stamp

    def _run(self, entity: Entity, action_name: str, work: Callable[[Connection], Any]) -> Any:  # noqa: ANN401
        """Run ``work`` in one transaction; a stale save rolls back, then is audited, then raised."""
        try:
            with self.engine.begin() as conn:
                return work(conn)
        except ConflictError as err:
            self._record_conflict(entity, action_name, err)
            raise

    def _record_conflict(self, entity: Entity, action_name: str, err: ConflictError) -> None:
        """The refused attempt goes into the audit log, in a transaction of its own."""
        cur = err.current
        with self.engine.begin() as conn:
            audit.record(conn, self.user.name, action_name, entity.name, cur.get("id"), cur.get("school_id"),
                         cur.get("year"), cur, {**err.attempted, "expected_version": err.expected_version},
                         outcome=audit.CONFLICT, message=str(err))

    def _create(self, conn: Connection, entity: Entity, values: Row, action_name: str = "create") -> Row:
        """Insert a row (version 1) and audit it, inside the caller's transaction."""
        self._check_school(conn, values["school_id"])
        table = entity.table
        row_id = conn.execute(insert(table).values(**values, **self._stamp(create=True))
                              .returning(table.c.id)).scalar_one()
        after = self._get(conn, entity, row_id)
        audit.record(conn, self.user.name, action_name, entity.name, row_id, after["school_id"], after["year"],
                     None, after)
        return after

    def _update(self, conn: Connection, entity: Entity, row_id: int, expected_version: int | None,
                changes: Row, action_name: str = "update",
                check: Callable[[Row, Row], Row] | None = None) -> Row:
        """Change a row if it is still at ``expected_version``; audit before and after."""
        before = self._get(conn, entity, row_id)
        self._check_school(conn, before["school_id"])
        values = check(before, changes) if check else dict(changes)
        if expected_version is None or before["version"] != expected_version:
            raise ConflictError(entity.zh, before, values, expected_version)
        table = entity.table
        done = conn.execute(update(table).where(table.c.id == row_id, table.c.version == expected_version)
                            .values(**values, **self._stamp(), version=expected_version + 1)).rowcount
        if done != 1:  # someone saved between our read and our write
            raise ConflictError(entity.zh, self._get(conn, entity, row_id), values, expected_version)
        after = self._get(conn, entity, row_id)
        audit.record(conn, self.user.name, action_name, entity.name, row_id, after["school_id"], after["year"],
                     before, after)
        return after

    def _edit(self, entity: Entity, row_id: int, expected_version: int | None, changes: Row,
              action_name: str = "update", check: Callable[[Row, Row], Row] | None = None) -> Row:
        """One locked, audited change in its own transaction."""
        return self._run(entity, action_name, lambda conn: self._update(
            conn, entity, row_id, expected_version, changes, action_name, check))

    def _save_keyed(self, entity: Entity, key: Row, values: Row, expected_version: int | None) -> Row:
        """Create the row of ``key``, or change it if it exists (then ``expected_version`` must match)."""
        table = entity.table
        where = [table.c[k] == v for k, v in key.items()]

        def work(conn: Connection) -> Row:
            self._check_school(conn, key["school_id"])
            row_id = conn.execute(select(table.c.id).where(*where)).scalar()
            if row_id is None:
                return self._create(conn, entity, {**key, **values})
            return self._update(conn, entity, row_id, expected_version, values, "save")

        try:
            return self._run(entity, "save", work)
        except IntegrityError:  # someone created the same key at the same moment?
            with self.engine.connect() as conn:
                current = conn.execute(select(table).where(*where)).mappings().first()
            if current is None:
                raise
            err = ConflictError(entity.zh, dict(current), values, expected_version)
            self._record_conflict(entity, "save", err)
            raise err from None

    @staticmethod
    def _editable(entity: Entity, changes: Iterable[str]) -> None:
        unknown = sorted(set(changes) - entity.editable)
        if unknown:
            raise InvalidChange(f"{entity.zh}不能修改字段 {', '.join(unknown)}",
                                f"{entity.name} fields not editable: {', '.join(unknown)}")
