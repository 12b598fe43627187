"""school narratives: the school's own text of each section of its self-diagnosis report, per school-year

One row per school, year and section (学校概况, 诊改工作开展情况, 目标链与标准链, 问题与原因, 改进措施与成效,
特色与创新, 下一步计划: ``diagnostics.workflow.narratives.SECTIONS``), written through the scoped door with
optimistic locking (``version``) and an audit row per change, like the other workflow tables.

Revision ID: 0007_narratives
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_narratives'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('school_narratives',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_narratives')),
    sa.UniqueConstraint('school_id', 'year', 'section', name='uq_school_narratives_key')
    )


def downgrade() -> None:
    op.drop_table('school_narratives')
