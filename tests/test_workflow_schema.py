"""Migration 0003 matches the workflow tables declared in code, and can be undone and redone."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from diagnostics.store import init_db, metadata
from diagnostics.store.db import alembic_config, head_revision
from diagnostics.store.workflow_schema import WORKFLOW_TABLES


def test_migration_0003_creates_exactly_the_declared_workflow_tables(engine):
    names = {t.name for t in WORKFLOW_TABLES}
    assert names <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    ours = [d for d in diffs if any(f"'{name}'" in repr(d) for name in names)]
    assert ours == []


def test_migration_0003_downgrades_and_upgrades_again(engine):
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert not {t.name for t in WORKFLOW_TABLES} & set(inspect(engine).get_table_names())
    assert init_db(engine) == head_revision()
    assert {t.name for t in WORKFLOW_TABLES} <= set(inspect(engine).get_table_names())
