"""Each post's matching terms, stored whenever it is written (app/matching/terms.py)."""

from app.floor.kinds import PostKind
from app.floor.posts import PostData, edit_post


def test_a_new_post_stores_its_terms(trading_fair, make_participant, make_post):
    assert make_post(make_participant(), "Potrzebne krzesła", details="dla 40 osób").match_terms == \
        "krzesło"


def test_an_edit_stores_the_new_terms(trading_fair, make_participant, make_post, category):
    post = make_post(make_participant(), "Sala")
    edit_post(post.author, trading_fair.id, post.id,
              PostData(kind=PostKind.OFFER, category_id=category("rooms"), title="Rzutniki"))
    assert post.match_terms == "rzutnik"
