"""an index for the notary desk's signed agreements, newest first: read in the order of
agreements(fair_id, state, signed_at) instead of sorting every signed agreement of the fair

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 08:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index('ix_agreements_fair_state_signed', ['fair_id', 'state', 'signed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index('ix_agreements_fair_state_signed')
