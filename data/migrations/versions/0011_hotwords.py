"""words of case summaries for hot words (热词): words, case_words, word_counts, words_stamp

Revision ID: 0011_hotwords
Revises: 0010_rising
Create Date: 2026-12-03 13:00:00

Derived data, filled by queries.case_words.refresh in the write path's
transaction whenever cases change. Empty after this migration, so hot words
are counted from the summaries (as before) until the next case write, or
until ``bench`` rebuilds them.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0011_hotwords'
down_revision: Union[str, Sequence[str], None] = '0010_rising'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('words',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('is_place', sa.Boolean(), nullable=False),
    sa.Column('is_name', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('word')
    )
    # One B-tree keyed by case on SQLite (no rowid table beside it).
    op.create_table('case_words',
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('word_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month_number', sa.Integer(), nullable=False),
    sa.Column('petitioner_key', sa.BigInteger(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('case_id', 'word_id', name='pk_case_words'),
    sqlite_with_rowid=False
    )
    op.create_table('word_counts',
    sa.Column('month_number', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('word_id', sa.Integer(), nullable=False),
    sa.Column('petitioners', sa.Integer(), nullable=False),
    sa.Column('visible_petitioners', sa.Integer(), nullable=False)
    )
    with op.batch_alter_table('word_counts', schema=None) as batch_op:
        batch_op.create_index('ix_word_counts_month', ['month_number', 'township_id', 'word_id'], unique=False)

    op.create_table('words_stamp',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data_version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('words_stamp')
    with op.batch_alter_table('word_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_word_counts_month')
    op.drop_table('word_counts')
    op.drop_table('case_words')
    op.drop_table('words')
