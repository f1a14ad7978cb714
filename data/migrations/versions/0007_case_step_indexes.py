"""cases: indexes for the outcomes page (办理成效): open at a date, and each step's date

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00

The outcomes page asks, for any filter, which cases are open at a date and
which steps were taken in a period. Without these, each question scans the
whole table (1-1.5 s apiece at 1,000,000 cases on SQLite):

- ``(concluded_on, received_on)``: "open at D" (received by D, not concluded
  by D) is two ranges of it, never concluded and concluded after D, each with
  ``received_on <= D`` read from the index itself. It replaces the index on
  ``concluded_on`` alone, which it covers.
- ``accepted_on``, ``first_meeting_on``, ``feedback_on``: the pipeline's steps
  taken in a period (receipt and conclusion had theirs).
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index('ix_cases_concluded_received', 'cases', ['concluded_on', 'received_on'], unique=False)
    op.drop_index('ix_cases_concluded_on', table_name='cases')
    op.create_index('ix_cases_accepted_on', 'cases', ['accepted_on'], unique=False)
    op.create_index('ix_cases_first_meeting_on', 'cases', ['first_meeting_on'], unique=False)
    op.create_index('ix_cases_feedback_on', 'cases', ['feedback_on'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_cases_feedback_on', table_name='cases')
    op.drop_index('ix_cases_first_meeting_on', table_name='cases')
    op.drop_index('ix_cases_accepted_on', table_name='cases')
    op.create_index('ix_cases_concluded_on', 'cases', ['concluded_on'], unique=False)
    op.drop_index('ix_cases_concluded_received', table_name='cases')
