"""database roles: least privilege on PostgreSQL (issue 12)

``db_roles`` (login role -> zhengai user), the ``SECURITY DEFINER`` scope functions and
``zhengai_apply_rls()``, which gives every table with a ``school_id`` column (enumerated from the live
schema) the row-level-security policy ``zhengai_scope``; see :mod:`diagnostics.store.rls_sql`.
SQLite (the single-user store) has no roles: nothing to do there.

Revision ID: 0009_database_roles
Revises: 0007_narratives
"""
import sqlalchemy as sa
from alembic import op

from diagnostics.store.rls_sql import DROP, install, run_script

revision = '0009_database_roles'
down_revision = '0008_school_master_history'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in install(schema):
        run_script(bind, statement)
    run_script(bind, "SELECT zhengai_apply_rls()")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    run_script(bind,
        "DO $$DECLARE t record; BEGIN FOR t IN SELECT tablename, policyname FROM pg_policies "
        "WHERE schemaname = current_schema() AND policyname IN ('zhengai_scope', 'zhengai_self') LOOP "
        "EXECUTE format('DROP POLICY %I ON %I', t.policyname, t.tablename); "
        "EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t.tablename); END LOOP; END$$")
    run_script(bind, DROP)
