"""drop ix_students_id_hash: ix_students_person (id_hash, year) serves every lookup by id_hash

A lookup by keyed ID hash alone uses the leading column of ix_students_person; the single-column
index only cost another B-tree write per imported student (and its build in bulk-load mode).

Revision ID: 0012_id_hash_index
Revises: 0011_surveys
"""
from alembic import op

revision = '0012_id_hash_index'
down_revision = '0011_surveys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_students_id_hash', table_name='students')


def downgrade() -> None:
    op.create_index('ix_students_id_hash', 'students', ['id_hash'], unique=False)
