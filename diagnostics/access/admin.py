"""Users and the audit log through the scoped door."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from ..store.workflow_schema import audit_log, user_schools, users
from . import audit
from .base import AccessBase, Row, action
from .roles import Role, User


def _user_row(conn: Connection, name: str) -> Row | None:
    row = conn.execute(select(users).where(users.c.user_name == name)).mappings().first()
    if row is None:
        return None
    assigned = conn.execute(select(user_schools.c.school_id).where(user_schools.c.user_name == name)
                            .order_by(user_schools.c.school_id)).scalars()
    return {**row, "schools": ",".join(assigned)}


class AdminMixin(AccessBase):
    """Users (province officers only) and the audit log (per school)."""

    @action("admin", "read")
    def users(self) -> pd.DataFrame:
        """Every registered user with role, school, city and (experts) assigned schools."""
        with self.engine.connect() as conn:
            names = conn.execute(select(users.c.user_name).order_by(users.c.user_name)).scalars().all()
            rows = [_user_row(conn, n) for n in names]
        return pd.DataFrame(rows, columns=[*users.columns.keys(), "schools"])

    @action("admin", "write")
    def add_user(self, name: str, role: str, school_id: str | None = None, city: str | None = None,
                 schools: Iterable[str] = (), display_name: str | None = None, active: bool = True) -> Row:
        """Register a user, or change a registered one (role, school, city, assigned schools)."""
        person = User(name.strip(), Role(role), school_id or None, city or None, frozenset(schools))
        values = {"role": person.role.value, "school_id": person.school_id, "city": person.city,
                  "display_name": display_name, "active": active}
        with self.engine.begin() as conn:
            before = _user_row(conn, person.name)
            if before is None:
                conn.execute(insert(users).values(user_name=person.name, **values, **self._stamp(create=True)))
            else:
                conn.execute(update(users).where(users.c.user_name == person.name)
                             .values(**values, **self._stamp(), version=before["version"] + 1))
                conn.execute(delete(user_schools).where(user_schools.c.user_name == person.name))
            if person.schools:
                conn.execute(insert(user_schools), [{"user_name": person.name, "school_id": s}
                                                    for s in sorted(person.schools)])
            after = _user_row(conn, person.name)
            audit.record(conn, self.user.name, "create" if before is None else "update", "user", person.name,
                         person.school_id, None, before, after)
        return after

    @action("admin", "write")
    def set_password(self, name: str, password: str) -> None:
        """Set the sign-in password of a registered user (a bcrypt hash; the audit log says only that it changed)."""
        from .errors import InvalidChange
        from .passwords import store_password

        with self.engine.begin() as conn:
            row = _user_row(conn, name)
            if row is None:
                raise InvalidChange(f"用户 {name} 未登记，请先运行 zhengai user add",
                                    f"user {name} is not registered: run `zhengai user add` first")
            store_password(name, password)
            audit.record(conn, self.user.name, "update", "password", name, row["school_id"], None, None,
                         {"password": "已更改 / changed"})

    @action("read_audit", "read")
    def audit(self, school: str | None = None, entity: str | None = None, limit: int | None = 1000) -> pd.DataFrame:
        """The audit log of the schools in scope, newest first (``before``/``after`` are JSON text)."""
        with self.engine.connect() as conn:
            ids = self._schools_for(conn, school)
            query = select(audit_log).where(self._in(audit_log.c.school_id, ids))
            if entity is not None:
                query = query.where(audit_log.c.entity == entity)
            query = query.order_by(audit_log.c.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return self._frame(conn, pd.read_sql(query, conn))
