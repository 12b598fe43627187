"""drop ix_indicator_values_school_year: the primary key (run_id, school_id, year, ...) serves the same lookups

Every read of indicator_values joins on (run_id, school_id, year), a prefix of the
primary key; the extra index only cost a second B-tree write per stored value
(about a third of the write time of a compute on SQLite).

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_indicator_values_school_year', table_name='indicator_values')


def downgrade() -> None:
    op.create_index('ix_indicator_values_school_year', 'indicator_values', ['school_id', 'year', 'run_id'],
                    unique=False)
