"""Shared fixtures: a fresh store on SQLite and on the PostgreSQL server.

Every test run gets its own PostgreSQL database (``zhengai_t_<pid>_<n>``) created
on the server at ``ZHENGAI_TEST_PG`` (default: 127.0.0.1:5432, trust auth,
maintenance database ``test``) and dropped afterwards.  A missing PostgreSQL is
a failure, never a skip.
"""

from __future__ import annotations

import itertools
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from diagnostics.store import init_db, make_engine

PG_ADMIN_URL = os.environ.get("ZHENGAI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_counter = itertools.count()


def _pg_admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


class PgDatabase:
    """A throw-away PostgreSQL database for one test."""

    def __init__(self) -> None:
        self.name = f"zhengai_t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        admin = _pg_admin()
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"PostgreSQL is required for the tests and not reachable at {PG_ADMIN_URL}: {exc}")
        finally:
            admin.dispose()
        self.url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self.name}"

    def drop(self) -> None:
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Each test has its own ZHENGAI_HOME (secret, default database)."""
    home = tmp_path_factory.mktemp("zhengai_home")
    monkeypatch.setenv("ZHENGAI_HOME", str(home))
    monkeypatch.delenv("ZHENGAI_DB_URL", raising=False)
    return home


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The URL of an empty, migrated store; runs each test on both back ends."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        engine = make_engine(url)
        init_db(engine)
        engine.dispose()
        yield url
        return
    pg = PgDatabase()
    engine = make_engine(pg.url)
    init_db(engine)
    engine.dispose()
    yield pg.url
    pg.drop()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def pg():
    """An engine on a fresh PostgreSQL store of its own (migrated), dropped afterwards."""
    database = PgDatabase()
    engine = make_engine(database.url)
    init_db(engine)
    yield engine
    engine.dispose()
    database.drop()


@pytest.fixture
def sqlite_engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]
