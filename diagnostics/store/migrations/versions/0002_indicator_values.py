"""computed indicator values: compute runs, computed school-years, values

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('compute_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compute_runs'))
    )
    op.create_table('computed_school_years',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('data_version_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['data_version_id'], ['data_versions.id'], name=op.f('fk_computed_school_years_data_version_id_data_versions')),
    sa.ForeignKeyConstraint(['run_id'], ['compute_runs.id'], name=op.f('fk_computed_school_years_run_id_compute_runs')),
    sa.PrimaryKeyConstraint('run_id', 'school_id', 'year', name=op.f('pk_computed_school_years'))
    )
    with op.batch_alter_table('computed_school_years', schema=None) as batch_op:
        batch_op.create_index('ix_computed_school_years_school_year', ['school_id', 'year', 'run_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('layer', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=64), nullable=False),
    sa.Column('indicator_id', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('numerator', sa.Float(), nullable=True),
    sa.Column('denominator', sa.Float(), nullable=True),
    sa.Column('n', sa.BigInteger(), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('data_version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['data_version_id'], ['data_versions.id'], name=op.f('fk_indicator_values_data_version_id_data_versions')),
    sa.ForeignKeyConstraint(['run_id'], ['compute_runs.id'], name=op.f('fk_indicator_values_run_id_compute_runs')),
    sa.PrimaryKeyConstraint('run_id', 'school_id', 'year', 'layer', 'unit', 'indicator_id', name=op.f('pk_indicator_values'))
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_values_school_year', ['school_id', 'year', 'run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_values_school_year')

    op.drop_table('indicator_values')
    with op.batch_alter_table('computed_school_years', schema=None) as batch_op:
        batch_op.drop_index('ix_computed_school_years_school_year')

    op.drop_table('computed_school_years')
    op.drop_table('compute_runs')
