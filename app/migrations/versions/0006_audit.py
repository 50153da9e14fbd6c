"""audit log, a fair's target number of agreements, the broker role

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ('participant', 'notary', 'organiser')
ROLES_WITH_BROKER = (*ROLES, 'broker')


def _role_check(roles: tuple[str, ...]) -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_participants_role'), type_='check')
        batch_op.create_check_constraint('role', sa.column('role').in_(roles))


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fair_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('target', sa.String(length=80), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['participants.id'], name=op.f('fk_audit_events_actor_id_participants')),
    sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], name=op.f('fk_audit_events_fair_id_fairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_fair_at', ['fair_id', 'at'], unique=False)
    with op.batch_alter_table('fairs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_agreements', sa.Integer(), nullable=True))
    _role_check(ROLES_WITH_BROKER)


def downgrade() -> None:
    op.execute("UPDATE participants SET role = 'participant' WHERE role = 'broker'")
    _role_check(ROLES)
    with op.batch_alter_table('fairs', schema=None) as batch_op:
        batch_op.drop_column('target_agreements')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_fair_at')
    op.drop_table('audit_events')
