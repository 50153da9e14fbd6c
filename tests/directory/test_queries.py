"""Reading the directory (app/directory/queries.py): who is listed, the search and filters, the
order and the pages, a profile's fairs and live posts, and the member counts per year."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.core.errors import NotFound
from app.directory.queries import (
    NO_BRANCH,
    DirectoryFilters,
    member_counts_by_year,
    member_profile,
    network_stats,
    public_members,
    public_places,
    search_members,
    sector_counts,
)
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.floor.kinds import PostKind
from app.floor.posts import hide_post, mark_post_taken, withdraw_post
from app.network.models import Member
from app.network.sectors import Branch, Sector
from app.people.models import Participant
from app.people.organisations import remove_organisation

MakeMember = Callable[..., Member]


def names(filters: DirectoryFilters | None = None) -> list[str]:
    return [m.name for m in search_members(filters or DirectoryFilters()).members]


def test_the_search_ignores_case_and_polish_diacritics(make_member: MakeMember) -> None:
    make_member("Fundacja Żółw")
    make_member("Stowarzyszenie Kot")
    assert names(DirectoryFilters.parse("zolw")) == ["Fundacja Żółw"]
    assert names(DirectoryFilters.parse("ŻÓŁW")) == ["Fundacja Żółw"]
    assert names(DirectoryFilters.parse("fundacja   ZOLW")) == ["Fundacja Żółw"]


def test_every_word_is_found_in_the_name_the_place_or_the_description(make_member: MakeMember) -> None:
    make_member("Klub Rowerowy", city="Łódź", description="Naprawiamy ROWERY i uczymy jeździć")
    make_member("Koło Gospodyń", city="Tczew", description="Pierogi na każdą okazję")
    assert names(DirectoryFilters.parse("lodz")) == ["Klub Rowerowy"]
    assert names(DirectoryFilters.parse("jezdzic")) == ["Klub Rowerowy"]
    assert names(DirectoryFilters.parse("klub łódź rowery")) == ["Klub Rowerowy"]  # each word somewhere
    assert names(DirectoryFilters.parse("klub pierogi")) == []  # every word, not any
    assert names(DirectoryFilters.parse("100%")) == []  # LIKE's wildcards are plain characters


def test_sector_branch_and_place_filter(make_member: MakeMember) -> None:
    make_member("Spółdzielnia Smak", Sector.SOCIAL_COOPERATIVE, branch=Branch.CATERING, city="Gdańsk")
    make_member("Fundacja Obiad", Sector.NGO, branch=Branch.CATERING, city="Tczew")
    make_member("Fundacja Nauka", Sector.NGO, branch=Branch.EDUCATION, city="Gdańsk-Oliwa")
    assert names(DirectoryFilters.parse(sector="ngo")) == ["Fundacja Nauka", "Fundacja Obiad"]
    assert names(DirectoryFilters.parse(branch="catering")) == ["Fundacja Obiad", "Spółdzielnia Smak"]
    assert names(DirectoryFilters.parse(place="GDANSK")) == ["Spółdzielnia Smak"]  # the whole place, folded
    assert names(DirectoryFilters.parse(sector="ngo", branch="catering")) == ["Fundacja Obiad"]
    assert names(DirectoryFilters.parse(sector="ngo", place="tczew")) == ["Fundacja Obiad"]


def test_unknown_filter_values_filter_nothing(make_member: MakeMember) -> None:
    make_member("Fundacja Obiad")
    filters = DirectoryFilters.parse(sector="bank", branch="Catering", place="")
    assert (filters.sector, filters.branch) == (None, None)
    assert names(filters) == ["Fundacja Obiad"]
    assert DirectoryFilters.parse(sector=["ngo"], q=None) == DirectoryFilters()  # not text: nothing


def test_only_public_members_that_were_not_merged_are_listed(make_member: MakeMember, merge) -> None:
    make_member("Fundacja Jawna")
    make_member("Fundacja Ukryta", public=False)
    kept, gone = make_member("Fundacja Główna"), make_member("Fundacja Główna z Tczewa")
    merge(kept, gone)
    assert names() == ["Fundacja Główna", "Fundacja Jawna"]
    assert [m.name for m in public_members(DirectoryFilters())] == ["Fundacja Główna", "Fundacja Jawna"]
    for hidden in ("Ukryta", "Tczewa"):
        assert names(DirectoryFilters.parse(hidden)) == []


def test_the_list_is_by_folded_name_and_paged_in_two_queries(make_member: MakeMember,
                                                             statements: list[str]) -> None:
    for name in ("Żółw", "Zebra", "Ćma", "cel", "Dom"):
        make_member(name)
    statements.clear()
    first = search_members(DirectoryFilters(), page=1, page_size=2)
    assert len(statements) == 2
    assert ([m.name for m in first.members], first.total, first.pages) == (["cel", "Ćma"], 5, 3)
    assert [m.name for m in search_members(DirectoryFilters(), page=3, page_size=2).members] == ["Żółw"]
    assert search_members(DirectoryFilters(), page=4, page_size=2).members == []
    assert search_members(DirectoryFilters(), page=-5, page_size=2).page == 1


def test_counts_by_sector_keep_the_other_filters_but_not_the_sector(make_member: MakeMember) -> None:
    make_member("Fundacja A", Sector.NGO, city="Tczew")
    make_member("Fundacja B", Sector.NGO, city="Gdańsk")
    make_member("Firma C", Sector.BUSINESS, city="Tczew")
    make_member("Firma D", Sector.BUSINESS, city="Tczew", public=False)
    counts = sector_counts(DirectoryFilters.parse(sector="ngo", place="Tczew"))
    assert counts[Sector.NGO] == 1 and counts[Sector.BUSINESS] == 1 and counts[Sector.RESIDENT] == 0
    assert list(counts) == list(Sector)


def test_places_are_listed_once_whatever_the_spelling(make_member: MakeMember) -> None:
    make_member("A", city="Łódź")
    make_member("B", city="łódź")
    make_member("C", city="Tczew")
    make_member("D", city="Gdynia", public=False)
    assert public_places() == ["Łódź", "Tczew"]


# --- a profile ---------------------------------------------------------------------------------


def test_a_profile_lists_the_fairs_attended_but_not_where_the_organisation_was_removed(
        make_member: MakeMember, make_fair: Callable[..., Fair], make_organisation,
        make_participant: Callable[..., Participant], fair: Fair) -> None:
    member = make_member("Fundacja Żółw", city="Tczew")
    autumn = make_fair(slug="jesien", name="Giełda jesienna", starts_at=datetime(2024, 10, 5, 9, tzinfo=UTC))
    left = make_fair(slug="odwolana", name="Giełda odwołana")
    assert make_organisation("Fundacja Żółw", fair_id=autumn.id).member_id == member.id
    org = make_organisation("Fundacja Żółw", fair_id=left.id)
    assert org.member_id == member.id
    remove_organisation(make_participant("Olga", role=Role.ORGANISER, fair_id=left.id), left.id, org.id)
    profile = member_profile(member.id)
    assert [f.slug for f in profile.fairs] == [fair.slug, autumn.slug]  # the latest first
    assert profile.member.id == member.id


def test_a_profile_shows_only_live_posts(make_member: MakeMember, make_participant, make_post, organiser,
                                         trading_fair: Fair, category) -> None:
    member = make_member("Fundacja Żółw")
    ola = make_participant(organisation="Fundacja Żółw")
    assert ola.organisation.member_id == member.id
    room = make_post(ola, "Sala na 30 osób")
    need = make_post(ola, "Rzutnik na sobotę", kind=PostKind.NEED, category_key="equipment")
    hidden = make_post(ola, "Tanie zegarki")
    hide_post(organiser, trading_fair.id, hidden.id, "Reklama")
    withdrawn = make_post(ola, "Wycofana oferta")
    withdraw_post(ola, trading_fair.id, withdrawn.id)
    taken = make_post(ola, "Rozdane krzesła")
    mark_post_taken(ola, trading_fair.id, taken.id)
    make_post(make_participant(organisation="Ktoś Inny"), "Cudza oferta")
    profile = member_profile(member.id)
    assert [p.post.id for p in profile.offers] == [room.id]
    assert [p.post.id for p in profile.needs] == [need.id]
    assert profile.offers[0].fair.slug == trading_fair.slug
    assert profile.needs[0].category == "Sprzęt"  # its label in the language of the page (Polish)


def test_a_member_not_in_the_directory_has_no_profile(make_member: MakeMember, merge) -> None:
    hidden = make_member("Fundacja Ukryta", public=False)
    kept, gone = make_member("Fundacja Główna"), make_member("Fundacja Główna z Tczewa")
    merge(kept, gone)
    for member_id in (hidden.id, gone.id, 2**31 - 1):
        with pytest.raises(NotFound) as refused:
            member_profile(member_id)
        assert refused.value.code == "member_not_found"
    assert member_profile(kept.id).member.name == "Fundacja Główna"


# --- the counts -------------------------------------------------------------------------------


def at(year: int, month: int = 6, day: int = 1, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_member_counts_per_year_are_cumulative_by_sector_and_branch(make_member: MakeMember, merge) -> None:
    make_member("Fundacja A", Sector.NGO, branch=Branch.CULTURE, created_at=at(2021, 3))
    make_member("Firma B", Sector.BUSINESS, created_at=at(2021, 9), public=False)  # counted all the same
    make_member("Fundacja C", Sector.NGO, branch=Branch.CULTURE, created_at=at(2023, 2))
    # 23:30 UTC on New Year's Eve is already 2023 in Poland
    make_member("Spółdzielnia D", Sector.SOCIAL_COOPERATIVE, branch=Branch.CATERING,
                created_at=datetime(2022, 12, 31, 23, 30, tzinfo=UTC))
    kept, gone = (make_member("Koło E", Sector.INFORMAL_GROUP, created_at=at(2024, 1)),
                  make_member("Koło E z Tczewa", Sector.INFORMAL_GROUP, created_at=at(2022, 1)))
    merge(kept, gone)  # the merged record counts no more, in any year
    counts = member_counts_by_year(now=at(2024, 8))
    assert [(c.year, c.total) for c in counts] == [(2021, 2), (2022, 2), (2023, 4), (2024, 5)]
    by_year = {c.year: c for c in counts}
    assert by_year[2021].by_sector[Sector.NGO] == 1 and by_year[2021].by_sector[Sector.BUSINESS] == 1
    assert by_year[2022].by_sector[Sector.SOCIAL_COOPERATIVE] == 0
    assert by_year[2023].by_sector[Sector.SOCIAL_COOPERATIVE] == 1 and by_year[2023].by_sector[Sector.NGO] == 2
    assert by_year[2024].by_sector[Sector.INFORMAL_GROUP] == 1
    assert by_year[2021].by_branch == {**{b.value: 0 for b in Branch}, "culture": 1, NO_BRANCH: 1}
    assert by_year[2024].by_branch["culture"] == 2 and by_year[2024].by_branch["catering"] == 1
    assert by_year[2024].by_branch[NO_BRANCH] == 2
    assert all(sum(c.by_sector.values()) == sum(c.by_branch.values()) == c.total for c in counts)


def test_member_counts_of_one_year_and_of_none(app, make_member: MakeMember, statements: list[str]) -> None:
    assert member_counts_by_year() == []
    make_member("Fundacja A", created_at=at(2024, 2))
    statements.clear()
    counts = member_counts_by_year(now=at(2024, 8))
    assert len(statements) == 2
    assert [(c.year, c.total, c.by_sector[Sector.NGO]) for c in counts] == [(2024, 1, 1)]


def test_network_stats_count_fairs_and_members_that_came_twice(make_member: MakeMember, make_fair, make_organisation,
                                                                fair: Fair) -> None:
    twice = make_member("Fundacja Żółw")
    make_member("Fundacja Raz")
    autumn = make_fair(slug="jesien")
    assert make_organisation("Fundacja Żółw", fair_id=autumn.id).member_id == twice.id
    make_organisation("Fundacja Żółw", fair_id=fair.id)  # the same fair again: no second fair
    stats = network_stats()
    assert stats.fairs == 2
    assert stats.returning_members == 1
    assert stats.now.total == 2 == stats.per_year[-1].total


def test_a_members_standing_posts_between_fairs_are_listed_until_they_end(make_member, make_participant):
    """Its standing offers between fairs show on its page; ended ones and a closed fair's do not;
    the network's space is no fair it attended."""
    from datetime import timedelta

    from sqlalchemy import select

    from app.between.space import enter_network_space
    from app.core.extensions import db
    from app.core.storage.db import utcnow
    from app.core.storage.transactions import transaction
    from app.directory.queries import attended_fairs, live_posts
    from app.fairs.categories import fair_categories
    from app.floor.kinds import PostKind
    from app.floor.models import Post
    from app.floor.posts import PostData, create_post
    from app.people.models import Participant

    member = make_member("Fundacja Pszczoła")
    person = db.session.scalars(select(Participant).join(Participant.organisation)
                                .where(Participant.organisation.has(member_id=member.id))).first()
    between = enter_network_space(person)
    rooms = next(c.id for c in fair_categories(between.fair_id) if c.key == "rooms")
    standing = create_post(between, between.fair_id, PostData(kind=PostKind.OFFER, category_id=rooms,
                                                              title="Sala na 20 osób"))
    ended = create_post(between, between.fair_id, PostData(kind=PostKind.OFFER, category_id=rooms,
                                                           title="Sala na wesele"))
    with transaction():
        db.session.get_one(Post, ended.id).expires_at = utcnow() - timedelta(hours=1)
    assert [p.post.id for p in live_posts(member.id)] == [standing.id]
    assert [f.id for f in attended_fairs(member.id)] == [person.fair_id]
