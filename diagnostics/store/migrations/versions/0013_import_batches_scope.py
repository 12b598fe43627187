"""import batches under row-level security: a school's role sees only the batches of its schools (issue 12)

A batch names who imported what file with which row counts; it has no ``school_id`` of its own, so
``zhengai_apply_rls()`` left it readable by every role.  The policy ``zhengai_scope`` on it lets a role see
a batch when it sees every school (the province), made it, or sees a school-year or school it wrote;
a role writes only batches in its own name.  See :data:`diagnostics.store.rls_sql.BATCH_POLICY`.
SQLite (the single-user store) has no roles: nothing to do there.

Revision ID: 0013_batch_scope
Revises: 0012_id_hash_index
"""
from alembic import op

from diagnostics.store.rls_sql import BATCH_POLICY, BATCH_POLICY_DROP, run_script

revision = '0013_batch_scope'
down_revision = '0012_id_hash_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        run_script(bind, BATCH_POLICY)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        run_script(bind, BATCH_POLICY_DROP)
