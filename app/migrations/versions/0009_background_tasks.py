"""background tasks: e-mails queued with a sent marker, which worker is sending a reminder

Adds a table and columns only: every record is kept. Existing reminders get no reply-to
address (their messages are built already) and no claim.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 01:12:14
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mail_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('from_name', sa.String(length=200), nullable=False),
    sa.Column('reply_to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='mailstate', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('transport', sa.String(length=16), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('claimed_by', sa.String(length=160), nullable=True),
    sa.Column('claimed_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failed_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], name=op.f('fk_mail_messages_fair_id_fairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_mail_messages_message_id'))
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_messages_fair_id'), ['fair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_state'), ['state'], unique=False)

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('reply_to')

    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_messages_state'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_fair_id'))

    op.drop_table('mail_messages')
