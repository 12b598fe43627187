"""indicator values: their two foreign keys checked once per statement, not once per row (issue 12)

On PostgreSQL the foreign keys ``indicator_values.run_id`` → ``compute_runs`` and
``indicator_values.data_version_id`` → ``data_versions`` are replaced by statement-level triggers that
keep the same guarantee a set at a time (a 300-school run writes 1.3 million values; the row-by-row
checks were 15 s of the 26.6 s it took to store them).  See :mod:`diagnostics.store.refcheck_sql`.
SQLite keeps its declared foreign keys.

Revision ID: 0014_values_set_checked
Revises: 0013_batch_scope
"""
import sqlalchemy as sa
from alembic import op

from diagnostics.store.refcheck_sql import install, uninstall
from diagnostics.store.rls_sql import run_script

revision = '0014_values_set_checked'
down_revision = '0013_batch_scope'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in install(schema):
        run_script(bind, statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in uninstall():
        run_script(bind, statement)
