"""Database roles of a shared PostgreSQL deployment (``zhengai db grant``).

One login role per registered zhengai user, member of one group role per zhengai role::

    <db>_school  <db>_city  <db>_province  <db>_expert  <db>_researcher

(``<db>``: the database's name, so two stores on one server keep apart; roles are server-wide).
Staff and experts read the store's tables; row-level security (migration 0009,
:mod:`.rls_sql`) lets each see only the rows of the schools in its scope.  Writes are granted only where
the role may write (school staff and province: everything; city officers: follow-ups; experts: reviews;
all: the audit log, insert only by its triggers).  Researchers reach nothing of the schema but
``research``: pseudonymised, k-anonymised copies (:mod:`diagnostics.access.kanon`) refreshed by each
``zhengai db grant``.  The store's owner (the credential of ``zhengai init``, imports by the platform
and ``compute``) is not subject to the policies and is handed to no user.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from ..workflow.errors import BilingualError
from .rls_sql import BATCH_POLICY, run_script

KINDS = ("school", "city", "province", "expert", "researcher")
# tables each kind may change, besides reading (row-level security decides which rows)
WRITES: dict[str, tuple[str, ...] | None] = {
    "school": None, "province": None,  # None: every table
    "city": ("follow_ups", "follow_up_comments", "audit_log"),
    "expert": ("reviews", "audit_log"),
    "researcher": (),
}
HIDDEN_TABLES = ("db_roles", "db_peer_salt")
#: columns of ``compute_runs`` every staff role reads; its ``scope`` (which schools a run covered and
#: recomputed, i.e. whose data changed when) is read by the province only.  A run has no school of its
#: own for a row policy; writing one needs ``id`` (RETURNING, and the WHERE of marking it finished).
RUN_COLUMNS = ("id", "started_at", "finished_at", "model_version")


class NotPostgres(BilingualError):
    pass


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _prefix(conn: Connection) -> str:
    db = conn.execute(text("SELECT current_database()")).scalar_one()
    return re.sub(r"[^a-z0-9_]", "_", db.lower())[:30]


def group_role(conn: Connection, kind: str) -> str:
    return f"{_prefix(conn)}_{kind}"


def login_role(conn: Connection, user_name: str) -> str:
    """The login role of ``user_name``: ``<db>_u_<name>`` (a hash where the name is not plain ASCII)."""
    safe = re.sub(r"[^a-z0-9_]", "_", user_name.lower())[:20]
    if safe != user_name or len(user_name) > 20:
        safe = f"{safe[:12]}_{hashlib.sha256(user_name.encode()).hexdigest()[:7]}"
    return f"{_prefix(conn)}_u_{safe}"


def _check(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise NotPostgres("数据库角色只用于 PostgreSQL 共享部署（SQLite 为单机单用户）",
                          "database roles are for a shared PostgreSQL deployment (SQLite is single-user)")


def _exists(conn: Connection, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def _tables(conn: Connection, schema: str | None = None) -> list[str]:
    query = ("SELECT tablename FROM pg_tables WHERE schemaname = COALESCE(:s, current_schema()) "
             "ORDER BY tablename")
    return list(conn.execute(text(query), {"s": schema}).scalars())


def refresh_policies(conn: Connection) -> int:
    """Give every table with ``school_id`` (and its children) the scope policy; grant the groups what they
    need on tables added since.  Returns the number of tables under a policy."""
    n = conn.execute(text("SELECT zhengai_apply_rls()")).scalar_one()
    run_script(conn, BATCH_POLICY)
    groups = {kind: group_role(conn, kind) for kind in KINDS}
    if all(_exists(conn, g) for g in groups.values()):
        _grant_groups(conn, groups)
    return int(n)


def _grant_groups(conn: Connection, groups: dict[str, str]) -> None:
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    tables = [t for t in _tables(conn) if t not in HIDDEN_TABLES]
    staff = [groups[k] for k in KINDS if k != "researcher"]
    everyone = ", ".join(map(_q, groups.values()))
    researcher = _q(groups["researcher"])
    sql = [f"GRANT USAGE ON SCHEMA {_q(schema)} TO {everyone}",
           f"GRANT EXECUTE ON FUNCTION zhengai_scope(text), zhengai_sees_all(text), zhengai_user_name(text) "
           f"TO {everyone}",
           f"GRANT EXECUTE ON FUNCTION zhengai_peer_values(text, text) TO {', '.join(map(_q, staff))}",
           f"REVOKE ALL ON ALL TABLES IN SCHEMA {_q(schema)} FROM {researcher}",
           f"GRANT SELECT ON users, user_schools TO {researcher}",  # their own row only (policy zhengai_self)
           f"REVOKE ALL ON db_roles, db_peer_salt FROM {everyone}"]
    for kind in KINDS:
        if kind == "researcher":
            continue
        writable = tables if WRITES[kind] is None else [t for t in WRITES[kind] if t in tables]
        sql += [f"GRANT SELECT ON {_q(t)} TO {_q(groups[kind])}" for t in tables]
        sql += [f"GRANT INSERT, UPDATE, DELETE ON {_q(t)} TO {_q(groups[kind])}" for t in writable]
        if writable:
            sql.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_q(schema)} TO {_q(groups[kind])}")
        if kind != "province" and "compute_runs" in tables:
            sql += [f"REVOKE SELECT ON compute_runs FROM {_q(groups[kind])}",
                    f"GRANT SELECT ({', '.join(RUN_COLUMNS)}) ON compute_runs TO {_q(groups[kind])}"]
    for statement in sql:
        conn.execute(text(statement))


def grant(engine: Engine, passwords: Path | None = None) -> pd.DataFrame:
    """Create or refresh the group roles, one login role per registered user, the policies and the
    researchers' tables.  ``passwords``: a folder to write ``<user>.url`` (a connection URL with a new
    random password, mode 0600) for each user, for the spawner to hand to that user's server only.
    Returns ``user_name, role, kind, login`` per user."""
    _check(engine)
    rows = []
    with engine.begin() as conn:
        groups = {kind: group_role(conn, kind) for kind in KINDS}
        for role in groups.values():
            if not _exists(conn, role):
                conn.execute(text(f"CREATE ROLE {_q(role)} NOLOGIN"))
        refresh_policies(conn)
        users = conn.execute(text("SELECT user_name, role, active FROM users ORDER BY user_name")).all()
        for name, kind, active in users:
            role = login_role(conn, name)
            if not _exists(conn, role):
                conn.execute(text(f"CREATE ROLE {_q(role)} LOGIN"))
            conn.execute(text(f"ALTER ROLE {_q(role)} {'LOGIN' if active else 'NOLOGIN'}"))
            for other in KINDS:
                verb = "GRANT {g} TO {r}" if other == kind else "REVOKE {g} FROM {r}"
                conn.execute(text(verb.format(g=_q(groups[other]), r=_q(role))))
            conn.execute(text("DELETE FROM db_roles WHERE user_name = :u OR role_name = :r"), {"u": name, "r": role})
            if active:
                conn.execute(text("INSERT INTO db_roles (role_name, user_name, kind) VALUES (:r, :u, :k)"),
                             {"r": role, "u": name, "k": kind})
            if passwords is not None and active:
                _write_password(conn, engine, passwords, name, role)
            rows.append({"user_name": name, "role": role, "kind": kind, "login": bool(active)})
    from .research import refresh_research

    refresh_research(engine, groups["researcher"])
    return pd.DataFrame(rows, columns=["user_name", "role", "kind", "login"])


def _write_password(conn: Connection, engine: Engine, folder: Path, name: str, role: str) -> None:
    password = secrets.token_urlsafe(24)
    conn.execute(text(f"ALTER ROLE {_q(role)} PASSWORD {_literal(password)}"))
    url = make_url(engine.url).set(username=role, password=password)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.url"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(url.render_as_string(hide_password=False) + "\n")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def revoke(engine: Engine) -> list[str]:
    """Drop every role ``grant`` made for this database (the login roles and the groups)."""
    _check(engine)
    with engine.begin() as conn:
        groups = [g for g in (group_role(conn, k) for k in KINDS) if _exists(conn, g)]
        members = list(conn.execute(text(
            "SELECT DISTINCT m.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
            "JOIN pg_roles g ON g.oid = a.roleid WHERE g.rolname = ANY(:g) ORDER BY 1"), {"g": groups}).scalars())
        members = [m for m in members if m.startswith(f"{_prefix(conn)}_u_")]
        roles = members + groups  # members first, then the groups
        for role in roles:
            conn.execute(text(f"DROP OWNED BY {_q(role)}"))
            conn.execute(text(f"DROP ROLE {_q(role)}"))
        conn.execute(text("DELETE FROM db_roles"))
    return roles


def restricted(conn: Connection) -> bool:
    """Whether this connection is under the scope policies (a user's role, not the owner nor a superuser)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.execute(text(
        "SELECT NOT (r.rolsuper OR r.rolbypassrls) AND NOT pg_has_role(current_user, t.tableowner, 'USAGE') "
        "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.tablename = 'schools' "
        "AND t.schemaname = current_schema()")).scalar())


def peer_values(conn: Connection, layer: str | None) -> pd.DataFrame:
    """Every school's current values as a restricted role may see them (``zhengai_peer_values``): schools
    outside the scope under opaque keys, with ``school_level, category, city`` where they may be shown."""
    rows = conn.execute(text("SELECT * FROM zhengai_peer_values(current_user::text, :layer)"), {"layer": layer})
    return pd.DataFrame(rows.fetchall(), columns=list(rows.keys()))


def role_table(engine: Engine) -> pd.DataFrame:
    """The login roles and their users (``zhengai db roles``)."""
    _check(engine)
    with engine.connect() as conn:
        return pd.read_sql(text("SELECT user_name, role_name AS role, kind FROM db_roles ORDER BY user_name"), conn)


__all__ = ["grant", "revoke", "refresh_policies", "role_table", "login_role", "group_role", "run_script",
           "restricted", "peer_values"]
