"""social value: the rates a fair or the network changed, and each obligation's valuation basis
and the estimate frozen at signing (agreements signed before have none: their content is frozen)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ('value_basis', 'value_rate_key', 'value_units', 'value_rate', 'social_value')


def upgrade() -> None:
    op.create_table(
        'value_rates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('updated_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ondelete='CASCADE',
                                name=op.f('fk_value_rates_fair_id_fairs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_value_rates')),
        sa.UniqueConstraint('fair_id', 'key', name=op.f('uq_value_rates_fair_id_key')),
    )
    with op.batch_alter_table('value_rates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_rates_fair_id'), ['fair_id'], unique=False)
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_basis', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('value_rate_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('value_units', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('value_rate', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('social_value', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        for name in reversed(_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table('value_rates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_value_rates_fair_id'))
    op.drop_table('value_rates')
