"""matching: each post's matching terms (lemmas of its title and details, filled here for the
posts there are) and a fair's synonym groups

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from app.matching.analysis import post_terms  # the analysis of today's code: what a write would store

    with op.batch_alter_table('posts') as batch:
        batch.add_column(sa.Column('match_terms', sa.Text(), nullable=True))
    op.create_table(
        'synonym_groups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('members', sa.String(length=500), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], name=op.f('fk_synonym_groups_fair_id_fairs'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_synonym_groups')),
    )
    op.create_index(op.f('ix_synonym_groups_fair_id'), 'synonym_groups', ['fair_id'], unique=False)
    posts = sa.table('posts', sa.column('id', sa.Integer()), sa.column('title', sa.String()),
                     sa.column('details', sa.Text()), sa.column('match_terms', sa.Text()))
    conn = op.get_bind()
    rows = conn.execute(sa.select(posts.c.id, posts.c.title, posts.c.details)).all()
    for start in range(0, len(rows), 1000):
        conn.execute(posts.update().where(posts.c.id == sa.bindparam('pid')).values(match_terms=sa.bindparam('terms')),
                     [{'pid': r.id, 'terms': post_terms(r.title, r.details or '')} for r in rows[start:start + 1000]])


def downgrade() -> None:
    op.drop_index(op.f('ix_synonym_groups_fair_id'), table_name='synonym_groups')
    op.drop_table('synonym_groups')
    with op.batch_alter_table('posts') as batch:
        batch.drop_column('match_terms')
