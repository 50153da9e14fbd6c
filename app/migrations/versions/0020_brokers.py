"""brokers: introductions a broker made between two people (optionally over a post of each), and
the suggestion runs that push a new post's best matches to the poster and the brokers once

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'introductions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=False),
        sa.Column('broker_id', sa.Integer(), nullable=False),
        sa.Column('first_id', sa.Integer(), nullable=False),
        sa.Column('second_id', sa.Integer(), nullable=False),
        sa.Column('first_post_id', sa.Integer(), nullable=True),
        sa.Column('second_post_id', sa.Integer(), nullable=True),
        sa.Column('form_key', sa.String(length=64), nullable=True),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ondelete='CASCADE',
                                name=op.f('fk_introductions_fair_id_fairs')),
        sa.ForeignKeyConstraint(['broker_id'], ['participants.id'],
                                name=op.f('fk_introductions_broker_id_participants')),
        sa.ForeignKeyConstraint(['first_id'], ['participants.id'],
                                name=op.f('fk_introductions_first_id_participants')),
        sa.ForeignKeyConstraint(['second_id'], ['participants.id'],
                                name=op.f('fk_introductions_second_id_participants')),
        sa.ForeignKeyConstraint(['first_post_id'], ['posts.id'], ondelete='SET NULL',
                                name=op.f('fk_introductions_first_post_id_posts')),
        sa.ForeignKeyConstraint(['second_post_id'], ['posts.id'], ondelete='SET NULL',
                                name=op.f('fk_introductions_second_post_id_posts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions')),
        sa.UniqueConstraint('fair_id', 'form_key', name=op.f('uq_introductions_fair_id_form_key')),
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index('ix_introductions_fair_created', ['fair_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introductions_second_id'), ['second_id'], unique=False)
    op.create_table(
        'suggestion_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('fair_id', sa.Integer(), nullable=False),
        sa.Column('post_id', sa.Integer(), nullable=False),
        sa.Column('post_version', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('found', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], ondelete='CASCADE',
                                name=op.f('fk_suggestion_runs_fair_id_fairs')),
        sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE',
                                name=op.f('fk_suggestion_runs_post_id_posts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_runs')),
        sa.UniqueConstraint('post_id', 'post_version', name=op.f('uq_suggestion_runs_post_id_post_version')),
    )
    with op.batch_alter_table('suggestion_runs', schema=None) as batch_op:
        batch_op.create_index('ix_suggestion_runs_pending', ['delivered_at', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_table('suggestion_runs')
    op.drop_table('introductions')
