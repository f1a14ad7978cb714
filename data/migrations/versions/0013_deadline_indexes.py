"""summary_open_cases: indexes by each rule set's deadline, for the outcomes page's deadline lists and counts

Revision ID: 0013_deadline_indexes
Revises: 0012_outcomes
Create Date: 2026-12-03 16:10:00

The lists show the first 1,000 open cases of a month's end by deadline
(overdue, and due within 7 days), under the statutory and the 3-7-21 rules;
their counts are of all. Without these indexes every call read the month's
rows (28,000 at 1,000,000 demo cases) four times and sorted them; with them
each list reads its first rows in order and stops, and each count is a range.
Only indexes (and the table's statistics, ANALYZE): the summary's rows are
unchanged, nothing needs rebuilding.
"""

from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0013_deadline_indexes'
down_revision: Union[str, Sequence[str], None] = '0012_outcomes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('summary_open_cases', schema=None) as batch_op:
        batch_op.create_index('ix_summary_open_cases_statutory_due', ['month_number', 'statutory_due_on', 'case_id'],
                              unique=False)
        batch_op.create_index('ix_summary_open_cases_due_3_7_21', ['month_number', 'due_3_7_21_on', 'case_id'],
                              unique=False)
    # The planner's statistics for the new indexes (the summary's refresh keeps them after). Without
    # them SQLite took an index it knew nothing of for every read of a month's rows (the backlog's
    # flows: 35 ms became 210-550 ms, each row looked up through the index).
    op.execute("ANALYZE summary_open_cases")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('summary_open_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_summary_open_cases_due_3_7_21')
        batch_op.drop_index('ix_summary_open_cases_statutory_due')
