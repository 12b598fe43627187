"""school master history: every change of a school's master data (level, category, city, …), field by field

``schools`` keeps the current values; ``school_history`` keeps who changed which field when, from what
to what, and in which import batch (``diagnostics.store.history_schema``).

Revision ID: 0008_school_master_history
Revises: 0007_narratives
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_school_master_history'
down_revision = '0007_narratives'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('school_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changed_by', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'],
                            name=op.f('fk_school_history_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_history'))
    )
    op.create_index('ix_school_history_school', 'school_history', ['school_id', 'changed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_school_history_school', table_name='school_history')
    op.drop_table('school_history')
