"""warning flags, the peer groups schools choose, three indexes on students for the data checks

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('flags',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('layer', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('indicator_id', sa.String(length=100), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('observed', sa.Float(), nullable=True),
    sa.Column('expected', sa.Text(), nullable=True),
    sa.Column('n', sa.BigInteger(), nullable=True),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['compute_runs.id'], name=op.f('fk_flags_run_id_compute_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_method', ['method', 'severity'], unique=False)
        batch_op.create_index('ix_flags_run', ['run_id'], unique=False)
        batch_op.create_index('ix_flags_school_year', ['school_id', 'year'], unique=False)

    op.create_table('peer_groups',
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('peer_school_id', sa.String(length=64), nullable=False),
    sa.Column('chosen_by', sa.String(length=200), nullable=False),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('school_id', 'peer_school_id', name=op.f('pk_peer_groups'))
    )
    with op.batch_alter_table('students', schema=None) as batch_op:
        batch_op.create_index('ix_students_person', ['id_hash', 'year'], unique=False)
        batch_op.create_index('ix_students_id_problem', ['id_problem'], unique=False)
        batch_op.create_index('ix_students_program', ['version_id', 'program_code', 'entry_year', 'year'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('students', schema=None) as batch_op:
        batch_op.drop_index('ix_students_program')
        batch_op.drop_index('ix_students_id_problem')
        batch_op.drop_index('ix_students_person')

    op.drop_table('peer_groups')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_school_year')
        batch_op.drop_index('ix_flags_run')
        batch_op.drop_index('ix_flags_method')

    op.drop_table('flags')
