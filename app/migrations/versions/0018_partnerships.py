"""partnerships: standing agreements of two or more network members for a shared purpose, with a
lead member, each partner's role and contribution, a number per calendar year (PA/2026/001), a
public verification code and frozen content; a fair's group deal may become one

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0018'
down_revision: str | None = '0017'  # re-pointed to 0017 when merged after it
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ('draft', 'active', 'ended')


def upgrade() -> None:
    op.create_table(
        'partnerships',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq_no', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('public_code', sa.String(length=32), nullable=False),
        sa.Column('purpose', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('state', sa.Enum(*STATES, name='partnershipstate', native_enum=False, create_constraint=True,
                                   length=32), nullable=False),
        sa.Column('lead_member_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('ended_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.Column('end_reason', sa.String(length=500), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.Column('frozen_content', sa.Text(), nullable=True),
        sa.Column('source_agreement_id', sa.Integer(), nullable=True),
        sa.Column('form_key', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['lead_member_id'], ['members.id'],
                                name=op.f('fk_partnerships_lead_member_id_members')),
        sa.ForeignKeyConstraint(['created_by_id'], ['participants.id'],
                                name=op.f('fk_partnerships_created_by_id_participants')),
        sa.ForeignKeyConstraint(['ended_by_id'], ['participants.id'],
                                name=op.f('fk_partnerships_ended_by_id_participants')),
        sa.ForeignKeyConstraint(['source_agreement_id'], ['agreements.id'], ondelete='SET NULL',
                                name=op.f('fk_partnerships_source_agreement_id_agreements')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partnerships')),
        sa.UniqueConstraint('year', 'seq_no', name=op.f('uq_partnerships_year_seq_no')),
        sa.UniqueConstraint('number', name=op.f('uq_partnerships_number')),
        sa.UniqueConstraint('public_code', name=op.f('uq_partnerships_public_code')),
        sa.UniqueConstraint('source_agreement_id', name=op.f('uq_partnerships_source_agreement_id')),
        sa.UniqueConstraint('form_key', name=op.f('uq_partnerships_form_key')),
    )
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.create_index('ix_partnerships_state_starts', ['state', 'starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnerships_lead_member_id'), ['lead_member_id'], unique=False)
    op.create_table(
        'partnership_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=300), nullable=False),
        sa.Column('contribution', sa.Text(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], ondelete='CASCADE',
                                name=op.f('fk_partnership_members_partnership_id_partnerships')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_partnership_members_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_members')),
        sa.UniqueConstraint('partnership_id', 'member_id', name=op.f('uq_partnership_members_partnership_id_member_id')),
    )
    with op.batch_alter_table('partnership_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_members_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partnership_members_member_id'), ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_table('partnership_members')
    op.drop_table('partnerships')
