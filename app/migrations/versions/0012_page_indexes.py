"""indexes for the queries the pages run at a big fair: the board's newest live posts (and the
control room's oldest unanswered needs) read in the order of posts(fair_id, created_at) instead of
sorting every post of the fair; the control room's latest check-ins likewise by
check_ins(fair_id, checked_in_at)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 04:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_fair_created', ['fair_id', 'created_at'], unique=False)
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.create_index('ix_check_ins_fair_at', ['fair_id', 'checked_in_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_check_ins_fair_at')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_fair_created')
