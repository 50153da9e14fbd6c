"""indexes the fair's counters are read from (the stats API, the big screen, the control room,
the results): posts(fair_id, state, hidden_at, category_id, kind), which replaces
posts(fair_id, state) and answers "live offers and needs per category" from the index alone;
participants(fair_id, removed_at, organisation_id) for "people per organisation", likewise

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 07:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_fair_state_counts', ['fair_id', 'state', 'hidden_at', 'category_id', 'kind'],
                              unique=False)
        batch_op.drop_index('ix_posts_fair_state')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index('ix_participants_fair_removed_org', ['fair_id', 'removed_at', 'organisation_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_fair_removed_org')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_fair_state', ['fair_id', 'state'], unique=False)
        batch_op.drop_index('ix_posts_fair_state_counts')
