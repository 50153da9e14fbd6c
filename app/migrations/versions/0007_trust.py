"""trust in the hall: PIN attempts leave the participants table (they are counted in the
rate-limit storage, per client address and per badge); the network coordinator flag; each
participant's private events numbered in a stream of their own (so that the fair's public
stream has no gaps a public client could mistake for a loss)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

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
        batch_op.add_column(sa.Column('event_seq', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_events_fair_seq')
    # Private events keep their order, renumbered 1, 2, 3… per participant; public ones keep
    # their numbers (and the fair's counter goes on from where it was).
    op.execute("""
        UPDATE domain_events SET seq = (
            SELECT count(*) FROM domain_events AS earlier
            WHERE earlier.participant_id = domain_events.participant_id AND earlier.id <= domain_events.id)
        WHERE participant_id IS NOT NULL""")
    op.execute("""
        UPDATE participants SET event_seq = COALESCE(
            (SELECT max(seq) FROM domain_events WHERE domain_events.participant_id = participants.id), 0)""")
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.create_index('uq_domain_events_public_seq', ['fair_id', 'seq'], unique=True,
                              sqlite_where=sa.text('participant_id IS NULL'),
                              postgresql_where=sa.text('participant_id IS NULL'))
        batch_op.create_index('uq_domain_events_private_seq', ['participant_id', 'seq'], unique=True,
                              sqlite_where=sa.text('participant_id IS NOT NULL'),
                              postgresql_where=sa.text('participant_id IS NOT NULL'))


def downgrade() -> None:
    # Private events go back into the fair's stream, after its public ones.
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.drop_index('uq_domain_events_private_seq')
        batch_op.drop_index('uq_domain_events_public_seq')
    op.execute("""
        UPDATE domain_events SET seq = (
            SELECT f.event_seq FROM fairs AS f WHERE f.id = domain_events.fair_id) + (
            SELECT count(*) FROM domain_events AS earlier
            WHERE earlier.fair_id = domain_events.fair_id AND earlier.participant_id IS NOT NULL
              AND earlier.id <= domain_events.id)
        WHERE participant_id IS NOT NULL""")
    op.execute("""
        UPDATE fairs SET event_seq = COALESCE((SELECT max(seq) FROM domain_events
                                               WHERE domain_events.fair_id = fairs.id), 0)""")
    with op.batch_alter_table('domain_events', schema=None) as batch_op:
        batch_op.create_index('ix_domain_events_fair_seq', ['fair_id', 'seq'], unique=True)
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('event_seq')
        batch_op.drop_column('network_coordinator')
        batch_op.add_column(sa.Column('pin_failures', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('pin_locked_until', app.core.storage.db.UTCDateTime(timezone=True), nullable=True))
