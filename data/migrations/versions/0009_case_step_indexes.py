"""cases: indexes for the outcomes page (办理成效): open at a date, and each step's date

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00

The outcomes page asks, for any filter, which cases are open at a date and
which steps were taken in a period. Without these, each question scanned the
whole table (1-1.5 s apiece at 1,000,000 cases on SQLite):

- ``ix_cases_open_steps`` (concluded_on, received_on, township_id,
  is_first_time, accepted_on, first_meeting_on, feedback_on,
  extension_granted): "open at D" (received by D, not concluded by D) is two
  ranges of it, never concluded and concluded after D, and everything the
  page asks of an open case -- where it is stuck, its statutory and 3-7-21
  deadlines, the township a township officer sees -- is in the index, so
  those queries never read the table. It replaces the index on
  ``concluded_on`` alone, whose every use it serves.
- one index per step date (accepted_on, first_meeting_on, feedback_on),
  each with the date of the step before it and the township: the pipeline's
  steps taken in a period and the days each took, from the index alone.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_cases_open_steps', 'cases',
                    ['concluded_on', 'received_on', 'township_id', 'is_first_time', 'accepted_on',
                     'first_meeting_on', 'feedback_on', 'extension_granted'], unique=False)
    op.drop_index('ix_cases_concluded_on', table_name='cases')
    op.create_index('ix_cases_accepted_on', 'cases', ['accepted_on', 'received_on', 'township_id'], unique=False)
    op.create_index('ix_cases_first_meeting_on', 'cases',
                    ['first_meeting_on', 'is_first_time', 'accepted_on', 'township_id'], unique=False)
    op.create_index('ix_cases_feedback_on', 'cases',
                    ['feedback_on', 'is_first_time', 'first_meeting_on', 'township_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_cases_feedback_on', table_name='cases')
    op.drop_index('ix_cases_first_meeting_on', table_name='cases')
    op.drop_index('ix_cases_accepted_on', table_name='cases')
    op.create_index('ix_cases_concluded_on', 'cases', ['concluded_on'], unique=False)
    op.drop_index('ix_cases_open_steps', table_name='cases')
