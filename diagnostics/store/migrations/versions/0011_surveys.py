"""online surveys: survey rounds of a school-year, single-use links (hashed tokens), anonymous answers

Revision ID: 0011_surveys
Revises: 0007_narratives
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_surveys'
down_revision = '0010_spot_checks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_rounds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('school_id', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('survey', sa.String(length=32), nullable=False),
    sa.Column('feeds', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('links', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_rounds')),
    sa.UniqueConstraint('school_id', 'year', 'survey', name='uq_survey_rounds_key')
    )
    op.create_table('survey_links',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'],
                            name=op.f('fk_survey_links_round_id_survey_rounds')),
    sa.PrimaryKeyConstraint('token_sha256', name=op.f('pk_survey_links'))
    )
    op.create_index('ix_survey_links_round', 'survey_links', ['round_id'], unique=False)
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=64), nullable=False),
    sa.Column('item', sa.Text(), nullable=False),
    sa.Column('choice', sa.Text(), nullable=False),
    sa.Column('satisfied', sa.Boolean(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'],
                            name=op.f('fk_survey_answers_round_id_survey_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    op.create_index('ix_survey_answers_round', 'survey_answers', ['round_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_survey_answers_round', table_name='survey_answers')
    op.drop_table('survey_answers')
    op.drop_index('ix_survey_links_round', table_name='survey_links')
    op.drop_table('survey_links')
    op.drop_table('survey_rounds')
