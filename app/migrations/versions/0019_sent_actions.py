"""sent actions: a phone's own one-time keys for what it sends (edit a post, sign, confirm a
delivery), so that an action kept while offline and sent twice is done once

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sent_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ondelete='CASCADE',
                                name=op.f('fk_sent_actions_fair_id_fairs')),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE',
                                name=op.f('fk_sent_actions_participant_id_participants')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_actions')),
        sa.UniqueConstraint('participant_id', 'key', name=op.f('uq_sent_actions_participant_id_key')),
    )


def downgrade() -> None:
    op.drop_table('sent_actions')
