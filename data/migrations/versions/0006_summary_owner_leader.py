"""monthly summary: the owner leader (包案领导) as a dimension of summary_events, _cohorts and _states

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00

Lets the metrics engine answer a leader filter (CaseFilter.leader_ids) and a
per-leader league table from the summary. The stamp is cleared, so a database
upgraded from 0004 answers from cases until its summary is rebuilt (the
summary format in the stamp changed as well).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ('summary_events', 'summary_cohorts', 'summary_states')


def upgrade() -> None:
    """Upgrade schema."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('owner_leader_id', sa.Integer(), nullable=True))
    # The existing rows carry no leader: stop the engine reading them.
    op.execute("DELETE FROM summary_stamp")


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM summary_stamp")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('owner_leader_id')
