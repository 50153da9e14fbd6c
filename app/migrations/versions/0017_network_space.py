"""the network's own space between fairs: a fair of kind 'network' (always open, its organisers the
network's coordinators); standing offers and needs that expire; a member's last reminder to keep a
current offer. Every coordinator of before (an organiser of a fair marked `network_coordinator`)
gets an organiser's account at the space with the same person, member and password, and the mark
goes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.core.storage.db
from app.core.codes import new_badge_code, new_display_token, new_login_secret, new_pin
from app.core.textkeys import name_key

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPACE_SLUG = 'siec'
SPACE_NAME = 'Sieć wymiany'
CATEGORIES = ('rooms', 'Sale i pomieszczenia'), ('equipment', 'Sprzęt'), ('volunteers', 'Wolontariusze i czas'), \
    ('catering', 'Catering'), ('promotion', 'Promocja'), ('it_service', 'Serwis komputerowy i IT'), \
    ('art_classes', 'Zajęcia artystyczne'), ('trainings', 'Szkolenia'), ('workshops', 'Warsztaty'), \
    ('expertise', 'Wiedza i doradztwo'), ('transport', 'Transport'), ('other', 'Inne')


def upgrade() -> None:
    with op.batch_alter_table('fairs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('fair', 'network', name='fairkind', native_enum=False,
                                                      create_constraint=True, length=16),
                                      server_default='fair', nullable=False))
    op.create_index('uq_fairs_one_network', 'fairs', ['kind'], unique=True,
                    sqlite_where=sa.text("kind = 'network'"), postgresql_where=sa.text("kind = 'network'"))
    op.add_column('posts', sa.Column('expires_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('posts', sa.Column('renewal_reminded_at', app.core.storage.db.UTCDateTime(timezone=True),
                                     nullable=True))
    op.create_index(op.f('ix_posts_expires_at'), 'posts', ['expires_at'], unique=False)
    op.add_column('members', sa.Column('offer_reminded_at', app.core.storage.db.UTCDateTime(timezone=True),
                                       nullable=True))
    _carry_coordinators(op.get_bind())
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE participants DROP COLUMN network_coordinator')
    else:
        op.drop_column('participants', 'network_coordinator')


def _space(conn: sa.Connection, meta: sa.MetaData, now: datetime) -> int:
    fairs = sa.Table('fairs', meta, autoload_with=conn)
    taken = set(conn.scalars(sa.select(fairs.c.slug)))
    slug, n = SPACE_SLUG, 2
    while slug in taken:
        slug, n = f'{SPACE_SLUG}-{n}', n + 1
    space_id = conn.execute(fairs.insert().values(
        slug=slug, name=SPACE_NAME, venue='', state='trading', kind='network', registration_open=False,
        notary_required=False, point_rate=10, display_token=new_display_token(), trading_started_at=now,
        trading_opens_at=now, event_seq=0, created_at=now).returning(fairs.c.id)).scalar_one()
    categories = sa.Table('categories', meta, autoload_with=conn)
    conn.execute(categories.insert(), [
        {'fair_id': space_id, 'key': key, 'name': name, 'name_key': name_key(name), 'position': i, 'archived': False}
        for i, (key, name) in enumerate(CATEGORIES)])
    return space_id


def _carry_coordinators(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    participants = sa.Table('participants', meta, autoload_with=conn)
    organisations = sa.Table('organisations', meta, autoload_with=conn)
    coordinators = conn.execute(sa.select(participants).where(
        participants.c.network_coordinator.is_(True), participants.c.removed_at.is_(None))
        .order_by(participants.c.id)).mappings().all()
    if not coordinators:
        return
    now = datetime.now(UTC)
    space_id = _space(conn, meta, now)
    org_at_space: dict[int, int] = {}
    for person in coordinators:
        source = conn.execute(sa.select(organisations).where(
            organisations.c.id == person['organisation_id'])).mappings().one()
        if source['member_id'] not in org_at_space:
            org = {k: v for k, v in source.items() if k != 'id'} | {'fair_id': space_id, 'created_at': now}
            org_at_space[source['member_id']] = conn.execute(
                organisations.insert().values(**org).returning(organisations.c.id)).scalar_one()
        copy = {k: v for k, v in person.items() if k not in ('id', 'network_coordinator')} | {
            'fair_id': space_id, 'organisation_id': org_at_space[source['member_id']],
            'badge_code': new_badge_code(), 'login_secret': new_login_secret(), 'pin': new_pin(),
            'login_version': 1, 'login_revoked': False, 'event_seq': 0, 'registered_via': 'coordinator',
            'created_at': now}
        conn.execute(participants.insert().values(**copy))


def downgrade() -> None:
    raise NotImplementedError("0017 moves the network's coordinators to the network's space: restore a backup "
                              "taken before it instead of going down.")
