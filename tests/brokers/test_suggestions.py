"""A new post's matches pushed to its poster and the fair's brokers (app/brokers/suggestions.py)."""

from flask_babel import force_locale
from sqlalchemy import select

from app.brokers.models import SuggestionRun
from app.brokers.suggestions import BROKER_EVENT, POSTER_EVENT, poster_text, push_suggestions
from app.core.extensions import db
from app.floor.kinds import PostKind
from app.floor.posts import PostData, edit_post
from app.people.models import Participant


def runs_of(post_id):
    return list(db.session.scalars(select(SuggestionRun).where(SuggestionRun.post_id == post_id)
                                   .order_by(SuggestionRun.post_version)))


def test_new_offer_tells_its_poster_how_many_needs_match(make_participant, make_post, notices):
    asker, giver = make_participant(), make_participant()
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    offer = make_post(giver, "Sala konferencyjna na 40 osób")
    [evt] = notices(giver, POSTER_EVENT)
    assert evt.payload["post_id"] == offer.id and evt.payload["count"] == 1
    assert evt.payload["matches"][0]["id"] == need.id
    assert evt.payload["text"]["pl"] == "1 potrzeba pasuje do Twojej oferty"
    assert evt.payload["text"]["en"] == "1 need matches your offer"


def test_poster_text_uses_polish_plurals(app):
    with force_locale("pl"):
        assert poster_text(PostKind.OFFER, 3) == "3 potrzeby pasują do Twojej oferty"
        assert poster_text(PostKind.OFFER, 5) == "5 potrzeb pasuje do Twojej oferty"
        assert poster_text(PostKind.NEED, 2) == "2 oferty pasują do Twojej potrzeby"
        assert poster_text(PostKind.NEED, 1) == "1 oferta pasuje do Twojej potrzeby"


def test_new_need_reaches_every_broker(make_participant, make_post, broker, notices):
    giver, asker = make_participant(), make_participant()
    make_post(giver, "Sala konferencyjna na 40 osób")
    need = make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    [evt] = notices(broker, BROKER_EVENT)
    assert evt.payload["post_id"] == need.id and evt.payload["count"] == 1
    assert evt.payload["author_badge"] == asker.badge_code
    assert evt.payload["text"]["pl"].startswith("Nowa potrzeba „Potrzebna sala konferencyjna”")


def test_post_without_matches_tells_nobody(make_participant, make_post, broker, notices):
    poster = make_participant()
    post = make_post(poster, "Rower cargo na sobotę")
    assert notices(poster, POSTER_EVENT) == [] and notices(broker, BROKER_EVENT) == []
    [run] = runs_of(post.id)
    assert run.delivered_at is not None and run.found == 0


def test_a_run_is_pushed_once(make_participant, make_post, notices):
    asker, giver = make_participant(), make_participant()
    make_post(asker, "Potrzebna sala konferencyjna", kind=PostKind.NEED)
    offer = make_post(giver, "Sala konferencyjna na 40 osób")
    assert push_suggestions(offer.id, offer.version) is None  # already pushed after the post committed
    assert len(notices(giver, POSTER_EVENT)) == 1


def test_substantive_edit_pushes_again(trading_fair, make_participant, make_post, category, notices):
    asker, giver = make_participant(), make_participant()
    make_post(asker, "Potrzebny rzutnik", kind=PostKind.NEED)
    offer = make_post(giver, "Sala konferencyjna")
    assert notices(giver, POSTER_EVENT) == []
    edit_post(giver, trading_fair.id, offer.id, PostData(kind=PostKind.OFFER, category_id=category(),
                                                         title="Sala konferencyjna z rzutnikiem"))
    assert [r.post_version for r in runs_of(offer.id)] == [1, 2]
    assert [e.payload["count"] for e in notices(giver, POSTER_EVENT)] == [1]


def test_edit_of_quantity_only_pushes_nothing(trading_fair, make_participant, make_post, category):
    poster = make_participant()
    offer = make_post(poster, "Sala konferencyjna")
    edit_post(poster, trading_fair.id, offer.id, PostData(kind=PostKind.OFFER, category_id=category(),
                                                          title="Sala konferencyjna", quantity=2))
    assert [r.post_version for r in runs_of(offer.id)] == [1]


def test_edit_that_flushes_before_bumping_the_version_makes_one_run(trading_fair, make_participant, make_post,
                                                                    category):
    poster = make_participant()
    offer = make_post(poster, "Sala konferencyjna")
    fair_id, post_id, rooms, poster_id = trading_fair.id, offer.id, category(), poster.id
    db.session.expunge_all()  # as a fresh request: the post's organisation is loaded mid-edit (an autoflush)
    edit_post(db.session.get(Participant, poster_id), fair_id, post_id, PostData(kind=PostKind.OFFER, category_id=rooms,
                                                 title="Sala konferencyjna z rzutnikiem"))
    assert [r.post_version for r in runs_of(post_id)] == [1, 2]
