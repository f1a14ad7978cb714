"""rising issues: an index of summary_events by park, and the precomputed views

Revision ID: 0010_rising
Revises: 0009
Create Date: 2026-12-03 13:00:00

Rising issues (queries/rising.py) read every category's monthly count in
each park from ``summary_events`` (the coarse roll-up has no park). Only the
rows with a park matter (8% of the table at 1,000,000 demo cases), but
without ``ix_summary_events_park`` SQLite reached them through the month
index, reading the whole table row by row (80 ms of the 110 ms statement);
with it, 14 ms.

The ``rising_*`` tables hold the rising issues of the latest months for the
views a page opens on, computed in the write path after the summary
(``queries.rising.store_views``) and stamped like it, so that the first
load of the trends page's rising tab and of the review read stored rows
instead of fitting 230 series (and importing SciPy). Derived data: no
foreign keys, replaced wholesale.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0010_rising'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _view_key() -> list[sa.Column]:
    return [
        sa.Column('month_number', sa.Integer(), nullable=False),
        sa.Column('scope_township_id', sa.Integer(), nullable=True),
        sa.Column('see_accusations', sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_summary_events_park', 'summary_events', ['park_id', 'month_number'], unique=False)
    op.create_table(
        'rising_stamp',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('data_version', sa.Integer(), nullable=False),
        sa.Column('rule_format', sa.Integer(), nullable=False),
        sa.Column('geography', sa.Text(), nullable=False),
        sa.Column('built_at', sa.DateTime(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'rising_views',
        *_view_key(),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('history_months', sa.Integer(), nullable=False),
    )
    op.create_table(
        'rising_view_issues',
        *_view_key(),
        sa.Column('series_id', sa.String(length=64), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('township_id', sa.Integer(), nullable=True),
        sa.Column('park_id', sa.Integer(), nullable=True),
        sa.Column('received', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False)
          for name in ('expected', 'lower', 'upper', 'p_value', 'strength', 'excess')),
        sa.Column('rising_months', sa.Integer(), nullable=True),
        sa.Column('is_rising', sa.Boolean(), nullable=False),
        sa.Column('model', sa.String(length=16), nullable=False),
    )
    op.create_index('ix_rising_view_issues_view', 'rising_view_issues', ['month_number', 'scope_township_id'])
    op.create_table(
        'rising_view_evidence',
        *_view_key(),
        sa.Column('series_id', sa.String(length=64), nullable=False),
        sa.Column('evidence_month', sa.Integer(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=False) for name in ('expected', 'lower', 'upper')),
        sa.Column('is_target', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_rising_view_evidence_view', 'rising_view_evidence', ['month_number', 'scope_township_id'])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_rising_view_evidence_view', table_name='rising_view_evidence')
    op.drop_table('rising_view_evidence')
    op.drop_index('ix_rising_view_issues_view', table_name='rising_view_issues')
    op.drop_table('rising_view_issues')
    op.drop_table('rising_views')
    op.drop_table('rising_stamp')
    op.drop_index('ix_summary_events_park', table_name='summary_events')
