"""trust in the hall: PIN attempts leave the participants table (they are counted in the
rate-limit storage, per client address and per badge); the network coordinator flag

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('pin_locked_until')
        batch_op.drop_column('pin_failures')
        batch_op.add_column(sa.Column('network_coordinator', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('network_coordinator')
        batch_op.add_column(sa.Column('pin_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('pin_locked_until', app.db.UTCDateTime(timezone=True), nullable=True))
