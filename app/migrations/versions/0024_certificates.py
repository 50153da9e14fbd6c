"""certificates of in-kind contribution: for a member and a period, what it gave and received in
signed agreements (at one fair, or anywhere in the network), numbered per calendar year
(ZW/2026/0001), with a public verification code, frozen content and its hash, the PDF kept at its
first download; reissued (the one it replaces), never edited

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0024'
down_revision: str | None = '0023'  # re-pointed when merged after 0023
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq_no', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('public_code', sa.String(length=32), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=True),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('frozen_content', sa.Text(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('replaces_id', sa.Integer(), nullable=True),
        sa.Column('superseded_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('form_key', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_certificates_member_id_members')),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ondelete='CASCADE',
                                name=op.f('fk_certificates_fair_id_fairs')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['participants.id'],
                                name=op.f('fk_certificates_issued_by_id_participants')),
        sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'],
                                name=op.f('fk_certificates_replaces_id_certificates')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
        sa.UniqueConstraint('year', 'seq_no', name=op.f('uq_certificates_year_seq_no')),
        sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
        sa.UniqueConstraint('public_code', name=op.f('uq_certificates_public_code')),
        sa.UniqueConstraint('replaces_id', name=op.f('uq_certificates_replaces_id')),
        sa.UniqueConstraint('form_key', name=op.f('uq_certificates_form_key')),
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_certificates_fair_issued', ['fair_id', 'issued_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_fair_issued')
        batch_op.drop_index(batch_op.f('ix_certificates_member_id'))
    op.drop_table('certificates')
