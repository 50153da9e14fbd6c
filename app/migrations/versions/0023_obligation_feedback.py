"""obligation feedback: when confirming an obligation the receiving party may rate it (1–5) and
leave a few words, which reports quote only with its consent

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every obligation there is keeps its row: no rating, no words, no consent.
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('testimonial', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('quote_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('feedback_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_obligations_rating_1_to_5'), sa.text('rating BETWEEN 1 AND 5'))


def downgrade() -> None:
    # The feedback goes; the obligations stay as they were before it.
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_obligations_rating_1_to_5'), type_='check')
        batch_op.drop_column('feedback_at')
        batch_op.drop_column('quote_consent')
        batch_op.drop_column('testimonial')
        batch_op.drop_column('rating')
