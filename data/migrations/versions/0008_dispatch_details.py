"""dispatch list (交办单): note, township, author and time on dispatch_items; overdue derived, not stored

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00

Issue 13 (monthly review). A dispatch item gains the office's note to the
unit (备注), the township it concerns (None: county-wide), who entered it
and when, and the time of its last edit. "Overdue" is no longer a stored
status: it follows from the due date and the day the status is read for, so
the rows the demo stored as 'overdue' become 'open' (their closed_on is
empty already). The cases taken at a month's reception sessions are found
through migration 0007's partial index on cases.reception_session_id.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('dispatch_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('township_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_dispatch_items_township_id', 'townships', ['township_id'], ['id'])
    op.execute("UPDATE dispatch_items SET status = 'open' WHERE status = 'overdue'")


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('dispatch_items', schema=None) as batch_op:
        batch_op.drop_constraint('fk_dispatch_items_township_id', type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('created_at')
        batch_op.drop_column('created_by')
        batch_op.drop_column('township_id')
        batch_op.drop_column('note')
