"""one ledger for the network: an account per member and per person; every fair's organisation
and person accounts from before stay, closed, with their balances carried into the member's or
person's account by linked entries (the ledger is append-only: no posting is rewritten)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 19:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import app.core.storage.db
from app.ledger.posting import fingerprint

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('member', 'individual', 'system', 'organisation', 'person')
OLD_KINDS = ('organisation', 'person', 'system')
HOLDER_MATCHES_KIND = (
    "(kind = 'member' AND member_id IS NOT NULL AND person_id IS NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'individual' AND person_id IS NOT NULL AND member_id IS NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'organisation' AND organisation_id IS NOT NULL AND participant_id IS NULL"
    " AND member_id IS NULL AND person_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'person' AND participant_id IS NOT NULL AND organisation_id IS NULL"
    " AND member_id IS NULL AND person_id IS NULL AND system_key IS NULL)"
    " OR (kind = 'system' AND system_key IS NOT NULL AND organisation_id IS NULL"
    " AND participant_id IS NULL AND member_id IS NULL AND person_id IS NULL)")
CARRY_MEMO = "Carried into the network account"
CARRY_ACTOR = "migration 0016 (one ledger for the network)"
COLUMNS = ('id', 'kind', 'organisation_id', 'participant_id', 'system_key', 'fair_id', 'name', 'floor', 'ceiling',
           'balance', 'created_at')


def _accounts(meta: sa.MetaData, name: str) -> sa.Table:
    """ledger_accounts as it is from this revision on (constraint names those of the final table)."""
    return sa.Table(
        name, meta,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='ledger_accountkind', native_enum=False, create_constraint=True,
                                  length=32), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('system_key', sa.String(length=32), nullable=True),
        sa.Column('fair_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=250), nullable=False),
        sa.Column('floor', sa.Integer(), nullable=True),
        sa.Column('ceiling', sa.Integer(), nullable=True),
        sa.Column('balance', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('carried_to_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(HOLDER_MATCHES_KIND, name='ck_ledger_accounts_holder_matches_kind'),
        sa.CheckConstraint('floor IS NULL OR ceiling IS NULL OR floor <= ceiling',
                           name='ck_ledger_accounts_floor_below_ceiling'),
        sa.ForeignKeyConstraint(['fair_id'], ['fairs.id'], name='fk_ledger_accounts_fair_id_fairs'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name='fk_ledger_accounts_organisation_id_organisations'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name='fk_ledger_accounts_participant_id_participants'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name='fk_ledger_accounts_member_id_members'),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name='fk_ledger_accounts_person_id_persons'),
        sa.ForeignKeyConstraint(['carried_to_id'], ['ledger_accounts.id'],
                                name='fk_ledger_accounts_carried_to_id_ledger_accounts'),
        sa.PrimaryKeyConstraint('id', name='pk_ledger_accounts'),
        sa.UniqueConstraint('organisation_id', name='uq_ledger_accounts_organisation_id'),
        sa.UniqueConstraint('participant_id', name='uq_ledger_accounts_participant_id'),
        sa.UniqueConstraint('system_key', name='uq_ledger_accounts_system_key'),
        sa.UniqueConstraint('member_id', name='uq_ledger_accounts_member_id'),
        sa.UniqueConstraint('person_id', name='uq_ledger_accounts_person_id'),
    )


def _reshape_sqlite() -> None:
    # SQLite alters no constraint in place: build the new table, copy, swap (foreign keys are
    # off during migrations and checked at their end, app/migrations/env.py).
    meta = sa.MetaData()
    for referenced in ('fairs', 'organisations', 'participants', 'members', 'persons', 'ledger_accounts'):
        sa.Table(referenced, meta, sa.Column('id', sa.Integer(), primary_key=True))  # what the keys name
    new = _accounts(meta, '_ledger_accounts_new')
    # Its self-reference names its final table, as the renamed table will be called.
    new.create(op.get_bind())
    columns = ', '.join(COLUMNS)
    op.execute(f'INSERT INTO _ledger_accounts_new ({columns}) SELECT {columns} FROM ledger_accounts')
    op.drop_index('ix_ledger_accounts_fair_id', table_name='ledger_accounts')
    op.drop_table('ledger_accounts')
    op.rename_table('_ledger_accounts_new', 'ledger_accounts')
    op.create_index('ix_ledger_accounts_fair_id', 'ledger_accounts', ['fair_id'], unique=False)


def _reshape_postgresql() -> None:
    op.add_column('ledger_accounts', sa.Column('member_id', sa.Integer(), nullable=True))
    op.add_column('ledger_accounts', sa.Column('person_id', sa.Integer(), nullable=True))
    op.add_column('ledger_accounts', sa.Column('closed_at', app.core.storage.db.UTCDateTime(timezone=True),
                                               nullable=True))
    op.add_column('ledger_accounts', sa.Column('carried_to_id', sa.Integer(), nullable=True))
    op.create_unique_constraint(op.f('uq_ledger_accounts_member_id'), 'ledger_accounts', ['member_id'])
    op.create_unique_constraint(op.f('uq_ledger_accounts_person_id'), 'ledger_accounts', ['person_id'])
    op.create_foreign_key(op.f('fk_ledger_accounts_member_id_members'), 'ledger_accounts', 'members', ['member_id'],
                          ['id'])
    op.create_foreign_key(op.f('fk_ledger_accounts_person_id_persons'), 'ledger_accounts', 'persons', ['person_id'],
                          ['id'])
    op.create_foreign_key(op.f('fk_ledger_accounts_carried_to_id_ledger_accounts'), 'ledger_accounts',
                          'ledger_accounts', ['carried_to_id'], ['id'])
    op.drop_constraint(op.f('ck_ledger_accounts_holder_matches_kind'), 'ledger_accounts', type_='check')
    op.create_check_constraint(op.f('ck_ledger_accounts_holder_matches_kind'), 'ledger_accounts',
                               sa.text(HOLDER_MATCHES_KIND))
    op.drop_constraint(op.f('ck_ledger_accounts_ledger_accountkind'), 'ledger_accounts', type_='check')
    op.create_check_constraint(op.f('ck_ledger_accounts_ledger_accountkind'), 'ledger_accounts',
                               sa.text('kind IN (' + ', '.join(f"'{k}'" for k in KINDS) + ')'))


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _reshape_sqlite()
    else:
        _reshape_postgresql()
    _carry(op.get_bind())


def _carry(conn: sa.Connection) -> None:
    """Every per-fair account closes; a non-zero balance moves to the holder's network account by
    one transfer entry (source: carry, the closed account's id), in the old account's fair."""
    now = datetime.now(UTC)
    accounts = sa.table('ledger_accounts', *(sa.column(c) for c in (
        'id', 'kind', 'member_id', 'person_id', 'organisation_id', 'participant_id', 'fair_id', 'name', 'balance',
        'created_at', 'closed_at', 'carried_to_id')))
    entries = sa.table('ledger_entries', *(sa.column(c) for c in (
        'id', 'kind', 'idempotency_key', 'fingerprint', 'memo', 'actor_id', 'actor_label', 'fair_id', 'source_kind',
        'source_id', 'reverses_id', 'created_at')))
    postings = sa.table('ledger_postings', sa.column('id'), sa.column('entry_id'), sa.column('account_id'),
                        sa.column('points'))
    members = sa.table('members', sa.column('id'), sa.column('name'))
    persons = sa.table('persons', sa.column('id'), sa.column('first_name'), sa.column('last_name'))
    orgs = sa.table('organisations', sa.column('id'), sa.column('member_id'))
    people = sa.table('participants', sa.column('id'), sa.column('person_id'))

    legacy = conn.execute(
        sa.select(accounts.c.id, accounts.c.kind, accounts.c.fair_id, accounts.c.balance, orgs.c.member_id,
                  people.c.person_id)
        .outerjoin(orgs, orgs.c.id == accounts.c.organisation_id)
        .outerjoin(people, people.c.id == accounts.c.participant_id)
        .where(accounts.c.kind.in_(('organisation', 'person'))).order_by(accounts.c.id)).all()
    opened: dict[tuple[str, int], int] = {}

    def network_account(kind: str, holder: int) -> int:
        if (kind, holder) in opened:
            return opened[(kind, holder)]
        if kind == 'member':
            name = conn.execute(sa.select(members.c.name).where(members.c.id == holder)).scalar_one()
            values = {'member_id': holder}
        else:
            first, last = conn.execute(sa.select(persons.c.first_name, persons.c.last_name)
                                       .where(persons.c.id == holder)).one()
            name, values = f'{first} {last}'.strip(), {'person_id': holder}
        opened[(kind, holder)] = conn.execute(accounts.insert().values(
            kind=kind, name=name, balance=0, created_at=now, **values).returning(accounts.c.id)).scalar_one()
        return opened[(kind, holder)]

    for account_id, kind, fair_id, balance, member_id, person_id in legacy:
        target = network_account('member', member_id) if kind == 'organisation' else \
            network_account('individual', person_id)
        if balance:
            legs = [(account_id, -balance), (target, balance)]
            entry_id = conn.execute(entries.insert().values(
                kind='transfer', idempotency_key=f'carry:{account_id}', memo=CARRY_MEMO, actor_id=None,
                actor_label=CARRY_ACTOR, fair_id=fair_id, source_kind='carry', source_id=account_id,
                reverses_id=None, created_at=now,
                fingerprint=fingerprint('transfer', legs, CARRY_MEMO, fair_id, 'carry', account_id, None))
                .returning(entries.c.id)).scalar_one()
            for leg_account, points in legs:
                conn.execute(postings.insert().values(entry_id=entry_id, account_id=leg_account, points=points))
            conn.execute(accounts.update().where(accounts.c.id == target)
                         .values(balance=accounts.c.balance + balance))
        conn.execute(accounts.update().where(accounts.c.id == account_id)
                     .values(balance=0, closed_at=now, carried_to_id=target))


def downgrade() -> None:
    raise NotImplementedError("the network's ledger cannot be split back into fairs: restore a backup")
