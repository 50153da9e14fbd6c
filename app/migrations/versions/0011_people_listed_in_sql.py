"""folded sort and search keys on participants and organisations: the organiser's list of people
is sorted, searched and paged in SQL

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.textkeys import person_keys, search_key

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.String(length=402), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
        batch_op.create_index('ix_participants_fair_sort', ['fair_id', 'sort_key'], unique=False)
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    # Every existing row gets its keys (the same folding the services use from now on).
    conn = op.get_bind()
    people = sa.table('participants', sa.column('id'), sa.column('first_name'), sa.column('last_name'),
                      sa.column('email'), sa.column('badge_code'), sa.column('sort_key'), sa.column('search_text'))
    for pid, first, last, email, badge in conn.execute(sa.select(
            people.c.id, people.c.first_name, people.c.last_name, people.c.email, people.c.badge_code)).all():
        sort, text = person_keys(first, last, email or '', badge)
        conn.execute(people.update().where(people.c.id == pid).values(sort_key=sort, search_text=text))
    orgs = sa.table('organisations', sa.column('id'), sa.column('name'), sa.column('search_text'))
    for oid, name in conn.execute(sa.select(orgs.c.id, orgs.c.name)).all():
        conn.execute(orgs.update().where(orgs.c.id == oid).values(search_text=search_key(name)))


def downgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('search_text')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_fair_sort')
        batch_op.drop_column('search_text')
        batch_op.drop_column('sort_key')
