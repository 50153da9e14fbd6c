"""one-time form keys on posts and agreements (a double submit creates one)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('posts', 'agreements'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('form_key', sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(op.f(f'uq_{table}_fair_id_form_key'), ['fair_id', 'form_key'])


def downgrade() -> None:
    for table in ('agreements', 'posts'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'uq_{table}_fair_id_form_key'), type_='unique')
            batch_op.drop_column('form_key')
