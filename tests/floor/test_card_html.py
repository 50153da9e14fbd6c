"""A post's card is rendered once and reused while nothing on it changes (app/floor/card_html.py)."""

from __future__ import annotations

from flask_babel import force_locale

from app.floor.board import BoardFilter, board, paged_board
from app.floor.card_html import board_cards_html, forget_cards, post_card_html
from app.floor.kinds import PostKind, Unit
from app.floor.posts import PostData, edit_post
from app.people.organisations import OrganisationData, update_organisation


def _card(app, fair, post, names=None):
    with app.test_request_context("/"):
        return str(post_card_html(post, fair, names))


def test_the_same_card_comes_from_the_cache(app, trading_fair, make_participant, make_post):
    forget_cards()
    post = make_post(make_participant(), "Sala na 30 osób")
    with app.test_request_context("/"):
        first = post_card_html(post, trading_fair)
        assert post_card_html(post, trading_fair) is first  # not rendered again
    assert "Sala na 30 osób" in first and f"/f/{trading_fair.slug}/posts/{post.id}" in first


def test_an_edited_post_gets_a_new_card(app, trading_fair, make_participant, make_post, category):
    forget_cards()
    author = make_participant()
    post = make_post(author, "Sala na 30 osób")
    before = _card(app, trading_fair, post)
    edited = edit_post(author, trading_fair.id, post.id, PostData(kind=PostKind.OFFER, category_id=category("rooms"),
                                                                 title="Sala na 50 osób"), version=post.version)
    after = _card(app, trading_fair, edited)
    assert "Sala na 50 osób" in after and "Sala na 50 osób" not in before


def test_a_renamed_organisation_or_category_label_gets_a_new_card(app, trading_fair, organiser, make_participant,
                                                                  make_post):
    forget_cards()
    author = make_participant(organisation="Fundacja Żółw")
    post = make_post(author, "Rzutnik")
    assert "Fundacja Żółw" in _card(app, trading_fair, post)
    update_organisation(organiser, trading_fair.id, author.organisation_id,
                        OrganisationData("Fundacja Żółw i Przyjaciele", author.organisation.sector))
    assert "Fundacja Żółw i Przyjaciele" in _card(app, trading_fair, post)
    renamed = {post.category_id: "Sale i pomieszczenia (nowe)"}
    assert "Sale i pomieszczenia (nowe)" in _card(app, trading_fair, post, renamed)


def test_the_language_is_part_of_the_card(app, trading_fair, make_participant, make_post):
    forget_cards()
    post = make_post(make_participant(), "Sala", kind=PostKind.NEED)
    with app.test_request_context("/"), force_locale("pl"):
        polish = str(post_card_html(post, trading_fair))
    with app.test_request_context("/"), force_locale("en"):
        english = str(post_card_html(post, trading_fair))
    assert "Potrzeba" in polish and "Need" in english


def test_the_board_rows_render_the_cards_the_posts_render(app, trading_fair, make_participant, make_post):
    author = make_participant(organisation="Fundacja Żółw")
    make_post(author, "Rzutnik <i>HD</i>", details="Z kablem & pilotem", quantity=2, unit=Unit.PIECES,
              available_when="w sobotę")
    make_post(author, "Wolontariusze", kind=PostKind.NEED, category_key="equipment")
    with app.test_request_context("/"):
        forget_cards()
        from_posts = "".join(str(post_card_html(p, trading_fair)) for p in board(trading_fair.id, BoardFilter()))
        forget_cards()
        from_rows = str(board_cards_html(trading_fair, paged_board(trading_fair.id, BoardFilter()).posts))
    assert from_rows == from_posts and "Rzutnik &lt;i&gt;HD&lt;/i&gt;" in from_rows


def test_a_board_row_finds_the_card_its_post_rendered(app, trading_fair, make_participant, make_post):
    from app.floor import card_html

    post = make_post(make_participant(organisation="Fundacja Żółw"), "Rzutnik", unit=Unit.PIECES, quantity=1)
    with app.test_request_context("/"):
        forget_cards()
        card = post_card_html(post, trading_fair)
        rows = paged_board(trading_fair.id, BoardFilter()).posts
        assert str(board_cards_html(trading_fair, rows)) == str(card)
        assert len(card_html._cards) == 1  # the same key: not rendered a second time
