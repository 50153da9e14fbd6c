"""the network's members and people: every fair's organisation names the member it stands for,
every participant the person they are; organisations of different fairs with the same name or
e-mail address become one member, participants with the same e-mail address (or the same name
on behalf of the same member) one person

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.core.storage.db

from app.core.textkeys import person_keys, search_key

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTORS = ('ngo', 'public', 'business', 'social_cooperative', 'informal_group', 'resident')
BRANCHES = ('catering', 'tourism', 'care', 'education', 'culture', 'cleaning', 'construction', 'greenery',
            'crafts', 'printing', 'it', 'transport', 'trade', 'production', 'social_services',
            'business_services', 'other')


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _when_set(column: str) -> sa.TextClause:
    return sa.text(f"merged_into_id IS NULL AND {column} != ''")


def upgrade() -> None:
    op.create_table(
        'members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_key', sa.String(length=200), nullable=False),
        sa.Column('search_text', sa.Text(), server_default='', nullable=False),
        sa.Column('sector', _enum(SECTORS, 'sector'), nullable=False),
        sa.Column('branch', _enum(BRANCHES, 'branch'), nullable=True),
        sa.Column('city', sa.String(length=100), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('email_key', sa.String(length=254), server_default='', nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('website', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('nip', sa.String(length=10), server_default='', nullable=False),
        sa.Column('krs', sa.String(length=10), server_default='', nullable=False),
        sa.Column('regon', sa.String(length=14), server_default='', nullable=False),
        sa.Column('public_profile', sa.Boolean(), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('merged_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['merged_into_id'], ['members.id'], name=op.f('fk_members_merged_into_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_email_key', ['email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index('ix_members_name_key', ['name_key'], unique=False)
        for column in ('nip', 'krs', 'regon'):
            batch_op.create_index(f'uq_members_{column}', [column], unique=True, sqlite_where=_when_set(column),
                                  postgresql_where=_when_set(column))
    op.create_table(
        'persons',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_name', sa.String(length=100), nullable=False),
        sa.Column('last_name', sa.String(length=100), nullable=False),
        sa.Column('name_key', sa.String(length=201), nullable=False),
        sa.Column('sort_key', sa.String(length=402), server_default='', nullable=False),
        sa.Column('search_text', sa.Text(), server_default='', nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('email_key', sa.String(length=254), server_default='', nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('merged_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['merged_into_id'], ['persons.id'], name=op.f('fk_persons_merged_into_id_persons')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index('ix_persons_name_key', ['name_key'], unique=False)
        batch_op.create_index('uq_persons_email_key', ['email_key'], unique=True,
                              sqlite_where=_when_set('email_key'), postgresql_where=_when_set('email_key'))
    op.create_table(
        'member_possible_duplicates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('created_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', app.core.storage.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision', sa.String(length=16), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['candidate_id'], ['members.id'],
                                name=op.f('fk_member_possible_duplicates_candidate_id_members')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['participants.id'],
                                name=op.f('fk_member_possible_duplicates_decided_by_id_participants')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'],
                                name=op.f('fk_member_possible_duplicates_member_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_possible_duplicates')),
        sa.UniqueConstraint('member_id', 'candidate_id',
                            name=op.f('uq_member_possible_duplicates_member_id_candidate_id')),
    )
    with op.batch_alter_table('member_possible_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_possible_duplicates_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_possible_duplicates_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    _members(conn)
    _persons(conn)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.alter_column('member_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_organisations_member_id'), ['member_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organisations_member_id_members'), 'members', ['member_id'], ['id'])
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_participants_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_participants_person_id_persons'), 'persons', ['person_id'], ['id'])


class _Groups:
    """Union-find over row ids: rows that share a key end up in one group."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _group(rows: list[tuple[int, tuple[str, ...]]]) -> dict[int, int]:
    """Each row id's group (its smallest id): rows sharing any non-empty key are one."""
    groups, first_with = _Groups(), {}
    for row_id, keys in rows:
        groups.find(row_id)
        for key in keys:
            if key:
                if key in first_with:
                    groups.join(first_with[key], row_id)
                else:
                    first_with[key] = row_id
    return {row_id: groups.find(row_id) for row_id, _keys in rows}


def _members(conn: sa.Connection) -> None:
    """One member per group of organisations with the same name (case ignored) or e-mail, its
    details from the group's newest organisation."""
    orgs = sa.table('organisations', sa.column('id'), sa.column('name'), sa.column('name_key'),
                    sa.column('sector'), sa.column('city'), sa.column('email'), sa.column('phone'),
                    sa.column('website'), sa.column('description'), sa.column('created_at'),
                    sa.column('member_id'))
    rows = conn.execute(sa.select(orgs).order_by(orgs.c.id)).mappings().all()
    group = _group([(r['id'], ('name:' + r['name_key'], 'email:' + (r['email'] or '').strip().lower()
                               if r['email'] else '')) for r in rows])
    newest = {group[r['id']]: r for r in rows}  # ordered by id: the last one wins
    first = {}
    for r in rows:
        first.setdefault(group[r['id']], r)
    members = sa.table('members', *(sa.column(c) for c in (
        'id', 'name', 'name_key', 'search_text', 'sector', 'branch', 'city', 'email', 'email_key', 'phone',
        'website', 'description', 'nip', 'krs', 'regon', 'public_profile', 'created_at')))
    member_of = {}
    for key, r in newest.items():
        email = (r['email'] or '').strip().lower()
        member_of[key] = conn.execute(members.insert().values(
            name=r['name'], name_key=r['name_key'], search_text=search_key(r['name']), sector=r['sector'],
            branch=None, city=r['city'] or '', email=email, email_key=email, phone=r['phone'] or '',
            website=r['website'] or '', description=r['description'] or '', nip='', krs='', regon='',
            public_profile=False, created_at=first[key]['created_at'])
            .returning(members.c.id)).scalar_one()
    for r in rows:
        conn.execute(orgs.update().where(orgs.c.id == r['id']).values(member_id=member_of[group[r['id']]]))


def _persons(conn: sa.Connection) -> None:
    """One person per group of participants with the same e-mail address, or the same name on
    behalf of the same member."""
    people = sa.table('participants', sa.column('id'), sa.column('organisation_id'), sa.column('first_name'),
                      sa.column('last_name'), sa.column('name_key'), sa.column('email'), sa.column('email_key'),
                      sa.column('phone'), sa.column('created_at'), sa.column('person_id'))
    orgs = sa.table('organisations', sa.column('id'), sa.column('member_id'))
    rows = conn.execute(sa.select(people, orgs.c.member_id).join(orgs, orgs.c.id == people.c.organisation_id)
                        .order_by(people.c.id)).mappings().all()
    group = _group([(r['id'], ('email:' + r['email_key'] if r['email_key'] else '',
                               f"name:{r['member_id']}:{r['name_key']}")) for r in rows])
    newest = {group[r['id']]: r for r in rows}
    first = {}
    for r in rows:
        first.setdefault(group[r['id']], r)
    persons = sa.table('persons', *(sa.column(c) for c in (
        'id', 'first_name', 'last_name', 'name_key', 'sort_key', 'search_text', 'email', 'email_key', 'phone',
        'created_at')))
    with_email = {group[r['id']]: r for r in rows if r['email_key']}  # the newest who gave one
    person_of = {}
    for key, r in newest.items():
        email = with_email.get(key, r)
        sort, text = person_keys(r['first_name'], r['last_name'], email['email'] or '', '')
        person_of[key] = conn.execute(persons.insert().values(
            first_name=r['first_name'], last_name=r['last_name'], name_key=r['name_key'], sort_key=sort,
            search_text=text,
            email=email['email'] or '', email_key=email['email_key'] or '', phone=r['phone'] or '',
            created_at=first[key]['created_at']).returning(persons.c.id)).scalar_one()
    for r in rows:
        conn.execute(people.update().where(people.c.id == r['id']).values(person_id=person_of[group[r['id']]]))


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_person_id_persons'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participants_person_id'))
        batch_op.drop_column('person_id')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisations_member_id_members'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organisations_member_id'))
        batch_op.drop_column('member_id')
    op.drop_table('member_possible_duplicates')
    op.drop_table('persons')
    op.drop_table('members')
