"""Stores for the dashboard tests: a small generated province for the model tests, the committed
sample for the browser tests, each imported and computed once per session and copied per test.

``ZHENGAI_APP_TEST_DB`` may name a prepared SQLite file (imported and computed) to copy instead
of building the browser tests' store (a developer's shortcut; CI builds it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from diagnostics.access import Access, Role, User
from diagnostics.app.context import AppContext
from diagnostics.engine import compute
from diagnostics.io.importer import import_path
from diagnostics.models import load_models
from diagnostics.sample import ANSWER_KEY, generate
from diagnostics.store import init_db, make_engine
from diagnostics.warnings import run_warnings

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
PROVINCE = User("prov", Role.PROVINCE)


def sample_folder(out: Path, small: bool) -> Path:
    """The committed sample (browser tests), or a small generated province (model tests).

    Without a committed sample, the default sample province is generated (same generator).
    """
    if not small and (SAMPLE / "schools.csv").is_file():
        return SAMPLE
    folder = out / "sample"
    if small:
        generate(folder, schools=8, years=3, seed=7, scale=0.1)
    else:
        generate(folder)
    (folder / ANSWER_KEY).unlink(missing_ok=True)
    return folder


def build_store(path: Path, small: bool, home: Path) -> Path:
    """A SQLite store at ``path`` with the sample imported, computed and warned."""
    old = os.environ.get("ZHENGAI_HOME")
    os.environ["ZHENGAI_HOME"] = str(home)
    try:
        engine = make_engine(f"sqlite:///{path}")
        init_db(engine)
        folder = sample_folder(path.parent, small)
        result = import_path(engine, folder)
        if not result.ok:
            pytest.fail("the sample does not import:\n" + result.to_text())
        models, _ = load_models()
        compute(engine, models)
        run_warnings(engine, models=models)
        engine.dispose()
    finally:
        if old is None:
            os.environ.pop("ZHENGAI_HOME", None)
        else:
            os.environ["ZHENGAI_HOME"] = old
    with sqlite3.connect(path) as conn:  # one self-contained file to copy
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copy_store(source: Path, target: Path) -> str:
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def context(url: str, user: User = PROVINCE) -> AppContext:
    engine = make_engine(url)
    models, issues = load_models()
    return AppContext(engine, user, models, issues, url)


def register(url: str, name: str, role: str, **kwargs: object) -> User:
    """Register a user through the door (as the province officer) and return it."""
    engine = make_engine(url)
    Access(engine, PROVINCE).add_user(name, role, **kwargs)
    engine.dispose()
    return User(name, Role(role), kwargs.get("school_id"), kwargs.get("city"),  # type: ignore[arg-type]
                frozenset(kwargs.get("schools", ())))  # type: ignore[arg-type]


_built: dict[str, Path] = {}


def store_once(kind: str, factory: pytest.TempPathFactory) -> Path:
    """The session's store of ``kind`` (``small`` or ``sample``), built on first use."""
    if kind not in _built:
        prepared = os.environ.get("ZHENGAI_APP_TEST_DB") if kind == "sample" else None
        folder = factory.mktemp(f"app_{kind}")
        if prepared:
            _built[kind] = Path(shutil.copyfile(prepared, folder / "store.db"))
        else:
            _built[kind] = build_store(folder / "store.db", kind == "small", folder / "home")
    return _built[kind]


@pytest.fixture
def small_url(tmp_path_factory, tmp_path) -> str:
    """A private copy of the small computed province (a test may write to it)."""
    return copy_store(store_once("small", tmp_path_factory), tmp_path / "store.db")


@pytest.fixture
def ctx(small_url) -> AppContext:
    context_ = context(small_url)
    yield context_
    context_.engine.dispose()
