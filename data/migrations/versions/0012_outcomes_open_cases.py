"""monthly summary: the cases open at each month's end (summary_open_cases), the steps taken (summary_steps)

Revision ID: 0012_outcomes
Revises: 0011_hotwords
Create Date: 2026-12-03 13:00:00

The outcomes page (stuck cases, deadline lists, the backlog's flows and age
bands) and the map's click panel (overdue and backlog case lists) ask which
cases are open at a month's end, and where each stands then. Read from
``cases`` that meant every case concluded after that day: seconds for a month
far back at 1,000,000 cases. ``summary_open_cases`` keeps those cases, one row
per (month, case), rebuilt with the rest of the summary by
queries.summary.refresh_summary, which joins each case to its months as a
range of the new unique index on ``summary_months.month_end``; the stamp's
``data_through`` says up to which month it holds them. ``summary_steps``
counts the pipeline's steps by month and days from the previous step, for
the same months. The stamp is cleared (as in 0006), so a
database upgraded from 0011_hotwords answers from cases until its summary is rebuilt.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012_outcomes'
down_revision: Union[str, Sequence[str], None] = '0011_hotwords'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('summary_open_cases',
    sa.Column('month_number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('case_number', sa.String(length=64), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('park_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('accuses_official', sa.Boolean(), nullable=False),
    sa.Column('owner_leader_id', sa.Integer(), nullable=True),
    sa.Column('stuck_step', sa.String(length=16), nullable=False),
    sa.Column('statutory_due_on', sa.Date(), nullable=False),
    sa.Column('step_3_7_21', sa.String(length=16), nullable=True),
    sa.Column('due_3_7_21_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('month_number', 'case_id'),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('summary_open_cases', schema=None) as batch_op:
        batch_op.create_index('ix_summary_open_cases_township', ['month_number', 'township_id', 'received_on'],
                              unique=False)
        batch_op.create_index('ix_summary_open_cases_park', ['month_number', 'park_id', 'received_on'], unique=False)
    op.create_table('summary_steps',
    sa.Column('month_number', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('accuses_official', sa.Boolean(), nullable=False),
    sa.Column('owner_leader_id', sa.Integer(), nullable=True),
    sa.Column('taken', sa.Integer(), nullable=False)
    )
    with op.batch_alter_table('summary_steps', schema=None) as batch_op:
        batch_op.create_index('ix_summary_steps_month', ['month_number'], unique=False)
    with op.batch_alter_table('summary_stamp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_through', sa.Date(), nullable=True))
    with op.batch_alter_table('summary_months', schema=None) as batch_op:
        batch_op.create_index('ix_summary_months_end', ['month_end'], unique=True)
    # The existing summary has no open cases: stop the engine reading it until it is rebuilt.
    op.execute("DELETE FROM summary_stamp")


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM summary_stamp")
    with op.batch_alter_table('summary_months', schema=None) as batch_op:
        batch_op.drop_index('ix_summary_months_end')
    with op.batch_alter_table('summary_stamp', schema=None) as batch_op:
        batch_op.drop_column('data_through')
    with op.batch_alter_table('summary_open_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_summary_open_cases_park')
        batch_op.drop_index('ix_summary_open_cases_township')
    op.drop_table('summary_open_cases')
    with op.batch_alter_table('summary_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_summary_steps_month')
    op.drop_table('summary_steps')
