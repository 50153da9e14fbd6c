"""The board (app/floor/board.py): filters, diacritic-insensitive search, the old matching rule's words."""

from app.floor.board import BoardFilter, board, paged_board, words
from app.floor.kinds import PostKind
from app.floor.posts import withdraw_post
from app.network.sectors import Sector


def titles(posts):
    return [p.title for p in posts]


def test_search_ignores_diacritics_and_case(trading_fair, make_participant, make_post):
    make_post(make_participant(), "Żółw do terapii")
    make_post(make_participant(), "Sala")
    assert titles(board(trading_fair.id, BoardFilter(q="zolw"))) == ["Żółw do terapii"]
    assert titles(board(trading_fair.id, BoardFilter(q="ŻÓŁW"))) == ["Żółw do terapii"]


def test_search_matches_organisation_name(trading_fair, make_participant, make_post):
    make_post(make_participant(organisation="Spółdzielnia Gościniec"), "Catering na 50 osób",
              category_key="catering")
    assert titles(board(trading_fair.id, BoardFilter(q="goscin"))) == ["Catering na 50 osób"]


def test_search_treats_percent_literally(trading_fair, make_participant, make_post):
    make_post(make_participant(), "Rabat 100% czasu")
    make_post(make_participant(), "Coś innego")
    assert titles(board(trading_fair.id, BoardFilter(q="100%"))) == ["Rabat 100% czasu"]


def test_filters(trading_fair, make_participant, make_post, category):
    biz = make_participant(sector=Sector.BUSINESS)
    ngo = make_participant(sector=Sector.NGO)
    make_post(biz, "Rzutnik", category_key="equipment")
    make_post(ngo, "Wolontariusze", kind=PostKind.NEED, category_key="volunteers")
    assert titles(board(trading_fair.id, BoardFilter(kind=PostKind.NEED))) == ["Wolontariusze"]
    assert titles(board(trading_fair.id, BoardFilter(sector=Sector.BUSINESS))) == ["Rzutnik"]
    assert titles(board(trading_fair.id, BoardFilter(category_id=category("equipment")))) == ["Rzutnik"]


def test_withdrawn_posts_leave_the_board(trading_fair, make_participant, make_post):
    a = make_participant()
    post = make_post(a, "Znika")
    withdraw_post(a, trading_fair.id, post.id)
    assert titles(board(trading_fair.id, BoardFilter())) == []


def test_the_board_is_paged_newest_first(trading_fair, make_participant, make_post):
    author = make_participant()
    for n in range(7):
        make_post(author, f"Oferta {n}")
    first = paged_board(trading_fair.id, BoardFilter(), 1, page_size=3)
    second = paged_board(trading_fair.id, BoardFilter(), 2, page_size=3)
    last = paged_board(trading_fair.id, BoardFilter(), 3, page_size=3)
    assert titles(first.posts) == ["Oferta 6", "Oferta 5", "Oferta 4"] and first.has_older
    assert titles(second.posts) == ["Oferta 3", "Oferta 2", "Oferta 1"] and second.has_older
    assert titles(last.posts) == ["Oferta 0"] and not last.has_older
    assert paged_board(trading_fair.id, BoardFilter(), 0, page_size=3).page == 1  # no page before the first


def test_paging_keeps_the_filter(trading_fair, make_participant, make_post):
    author = make_participant()
    for n in range(4):
        make_post(author, f"Sala {n}")
        make_post(author, f"Rzutnik {n}")
    page = paged_board(trading_fair.id, BoardFilter(q="sala"), 2, page_size=3)
    assert titles(page.posts) == ["Sala 0"] and not page.has_older


def test_words_fold_and_stem():
    assert words("Szkolenia z RODO dla NGO") == {"szkol", "rodo", "ngo"}
    assert words("szkolenie") == words("Szkolenia") == {"szkol"}
    assert words("Łódź") == {"lodz"}
