"""The schema migrates on both back ends and holds every contract table."""

from sqlalchemy import inspect

from diagnostics.contract import YEAR_TABLES
from diagnostics.store import init_db
from diagnostics.store.db import current_revision, head_revision


def test_migrations_create_every_contract_table(engine):
    names = set(inspect(engine).get_table_names())
    for table in YEAR_TABLES:
        assert table.name in names
    assert {"schools", "import_batches", "data_versions"} <= names
    assert current_revision(engine) == head_revision()


def test_init_is_idempotent(engine):
    assert init_db(engine) == head_revision()


def test_students_never_hold_a_clear_id_number(engine):
    cols = {c["name"] for c in inspect(engine).get_columns("students")}
    assert "id_number" not in cols
    assert {"id_hash", "id_problem"} <= cols
