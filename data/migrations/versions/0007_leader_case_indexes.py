"""leader case indexes: cases by owner leader (包案) and by reception session, covering the record's columns

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00

Issue 11, each leader's record (queries/receptions.py, ``leader_records``
and ``leader_backlog``). The monthly summary has no leader dimension, so the
record counts a leader's cases from ``cases``; without an index that is a
full scan (1.5 s at a million cases, on every filter change of the
receptions page). Two partial indexes hold only the cases that have an owner
leader (about 11% of the demo's) or were taken at a session (4%), and carry
every column the record's counts and the sidebar's filters read, so the
database answers from the index alone and skips a leader's long-concluded
cases on (concluded_on, received_on) without reading them.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# After the key: the dates that decide whether a case counts in a period, then
# what the counts and the filters read (queries/receptions.py, queries/scope.py).
COVERED = [
    'concluded_on', 'received_on', 'accepted_on', 'extension_granted', 'outcome', 'satisfaction_office',
    'satisfaction_unit', 'township_id', 'park_id', 'category_id', 'channel', 'unit_id', 'accuses_official',
]


def upgrade() -> None:
    """Upgrade schema."""
    for name, key in (('ix_cases_owner_leader', 'owner_leader_id'),
                      ('ix_cases_reception_session', 'reception_session_id')):
        where = sa.text(f'{key} IS NOT NULL')
        op.create_index(name, 'cases', [key, *COVERED], unique=False, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_cases_reception_session', table_name='cases')
    op.drop_index('ix_cases_owner_leader', table_name='cases')
