"""Engine factory, default locations and schema migrations.

Default database: a SQLite file ``$ZHENGAI_HOME/zhengai.db`` (``ZHENGAI_HOME``
defaults to ``~/.zhengai``).  ``--db URL`` or ``ZHENGAI_DB_URL`` selects
another database, e.g. ``postgresql+psycopg://user@host:5432/dbname``.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

from .files import FILE_MODE, private_dir, private_file

MIGRATIONS = Path(__file__).with_name("migrations")


def home() -> Path:
    """The folder holding the default database and the ID-hash secret."""
    path = Path(os.environ.get("ZHENGAI_HOME", Path.home() / ".zhengai")).expanduser()
    return private_dir(path)  # 0700: the database, the key and the cache are personal data


def default_url() -> str:
    return os.environ.get("ZHENGAI_DB_URL") or f"sqlite:///{home() / 'zhengai.db'}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _private_sqlite_file(url: str) -> None:
    """Create a SQLite database file as 0600 before SQLite does (its -wal and -shm files take the
    database file's mode), and tighten an existing one of ours."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    if not path.parent.is_dir():
        return  # SQLite says so itself
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    except OSError:
        return  # a folder we may not write: SQLite says so itself
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            private_file(part)
        except OSError:  # a read-only file system: nothing to tighten there
            pass


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`default_url`)."""
    url = url or default_url()
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def init_db(engine: Engine) -> str:
    """Create or upgrade the schema to the newest migration; return the revision."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if conn.dialect.name == "postgresql":  # tables added by the migrations get the scope policy too
            from .privileges import refresh_policies, restricted

            if not restricted(conn):  # the owner; a user's own role neither migrates nor grants
                refresh_policies(conn)
    return current_revision(engine)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def ensure_current(engine: Engine) -> None:
    """Refuse to work on a database whose schema is not at the newest migration."""
    rev = current_revision(engine)
    if rev != head_revision():
        raise RuntimeError(
            f"数据库结构版本 {rev} 不是最新 {head_revision()}，请先运行 `zhengai init`。 / "
            f"database schema is at {rev}, not {head_revision()}: run `zhengai init` first."
        )
