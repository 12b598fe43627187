"""contract fields the verified definitions need: language-lab seats, employer staff, internship kind and post
staff, graduates' study mode and employment half a year after graduation

* facilities.language_lab_seats — 百名学生配多媒体教室和语音实验室座位数 counts language-lab seats too
  (教发〔2004〕2号, the indicator's name);
* partners.employees, internships.kind, internships.post_employees — the 2021 internship rules
  (教职成〔2021〕4号 第二条, 第十一条): 岗位实习 interns ≤ 10% of an employer's staff, ≤ 20% of a post's;
* graduates.study_mode, graduates.employed_half_year — the quality-report scorecard's employment rate is
  measured half a year after graduation, over full-time graduates.

Existing rows get the contract's defaults (岗位实习, 全日制) or stay empty (not reported).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_NEW = (
    ('facilities', sa.Column('language_lab_seats', sa.BigInteger(), nullable=True)),
    ('partners', sa.Column('employees', sa.BigInteger(), nullable=True)),
    ('internships', sa.Column('kind', sa.String(length=16), nullable=False, server_default='岗位实习')),
    ('internships', sa.Column('post_employees', sa.BigInteger(), nullable=True)),
    ('graduates', sa.Column('study_mode', sa.String(length=16), nullable=False, server_default='全日制')),
    ('graduates', sa.Column('employed_half_year', sa.Boolean(), nullable=True)),
)


def upgrade() -> None:
    for table, column in _NEW:
        with op.batch_alter_table(table) as batch:
            batch.add_column(column)


def downgrade() -> None:
    for table, column in reversed(_NEW):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column.name)
