"""spot checks: the samples drawn (seed, parameters, method) and the records checked in each

Revision ID: 0010_spot_checks
Revises: 0007_narratives
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_spot_checks'
down_revision = '0009_database_roles'
branch_labels = None
depends_on = None


def _stamps() -> list:
    return [sa.Column('created_by', sa.String(length=200), nullable=False),
            sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('updated_by', sa.String(length=200), nullable=False),
            sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('version', sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table('spot_samples',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('drawn_by', sa.String(length=200), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spot_samples'))
    )
    op.create_table('spot_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('record_key', sa.String(length=200), nullable=False),
    sa.Column('stratum', sa.String(length=200), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['sample_id'], ['spot_samples.id'], name=op.f('fk_spot_records_sample_id_spot_samples')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spot_records'))
    )
    op.create_index('ix_spot_records_sample', 'spot_records', ['sample_id', 'school_id', 'kind'], unique=False)
    op.create_index('ix_spot_records_school', 'spot_records', ['school_id', 'year'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_spot_records_school', table_name='spot_records')
    op.drop_index('ix_spot_records_sample', table_name='spot_records')
    op.drop_table('spot_records')
    op.drop_table('spot_samples')
