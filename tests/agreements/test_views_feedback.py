"""The receiver's feedback on the agreement's page (app/agreements/views.py,
templates/agreements/_feedback.html): the confirmation's form has five stars that are radio
buttons with labels, a few words and the consent to quote them; once confirmed, both parties see
the feedback and the receiver can change it. A refused rating or text is shown by its field, in
Polish, and nothing is confirmed; a phone's queue (JSON) sends the same fields."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.agreements.models import Obligation, ObligationState
from app.agreements.signing import record_paper_agreement
from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.ledger.models import Entry

WORDS = "Sala czysta, rzutnik działał — polecamy „Fundację Żółw”!"
JSON = {"Accept": "application/json"}


@pytest.fixture
def deal(trading_fair, notary, make_participant, make_draft):
    """a gives b a room (obligations[0]), b gives a a training."""
    a = make_participant("Łucja", "Żółkiewska", organisation="Fundacja Żółw")
    b = make_participant("Grzegorz", "Brzęczyszczykiewicz", organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    return a, b, d


def page_url(fair, d) -> str:
    return f"/f/{fair.slug}/agreements/{d.id}"


def action_url(fair, d, action: str, ob_index: int = 0) -> str:
    return f"{page_url(fair, d)}/obligations/{d.obligations[ob_index].id}/{action}"


def fresh(obligation_id: int) -> Obligation:
    db.session.rollback()
    return db.session.get_one(Obligation, obligation_id)


def entries() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Entry.id))) or 0)


def text_of(html: str) -> str:
    """The page's words (each tag a space)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def form_of(html: str, action: str) -> str:
    match = re.search(rf'<form [^>]*action="{re.escape(action)}".*?</form>', html, re.S)
    assert match, f"no form to {action}"
    return match.group(0)


def test_the_confirmation_form_has_stars_words_and_consent(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    form = form_of(client.get(page_url(trading_fair, d)).get_data(as_text=True), action_url(trading_fair, d, "confirm"))
    prefix = f"confirm-{d.obligations[0].id}"
    for n in range(1, 6):  # a real radio button with its label, which names it to a screen reader
        assert re.search(rf'<label class="star" for="{prefix}-rating-{n}"><input type="radio" class="sr-only" '
                         rf'name="rating" value="{n}" id="{prefix}-rating-{n}">.*?<span class="sr-only">{n} z 5</span>'
                         r"</label>", form)
    assert re.search(rf'<input type="radio" name="rating" value="" id="{prefix}-rating-none" checked> Bez oceny', form)
    assert "<legend>Jak oceniasz tę wymianę? (opcjonalnie)</legend>" in form
    assert f'<label for="{prefix}-testimonial">Kilka słów o tej wymianie (opcjonalnie)</label>' in form
    assert re.search(r'<textarea id="[^"]+" name="testimonial" rows="3" maxlength="500"', form)
    assert re.search(rf'<input type="checkbox" name="quote_consent" value="y" id="{prefix}-consent"', form)
    assert "Zgadzam się na cytowanie tej opinii w sprawozdaniach" in form
    assert "data-offline-once" in form and "Potwierdź, że otrzymaliśmy" in form
    # The giver has no such form for this obligation; the receiver has none for the one it gives.
    assert action_url(trading_fair, d, "confirm", 1) not in client.get(page_url(trading_fair, d)).get_data(as_text=True)


def test_confirming_with_a_rating_and_words_shows_them_to_both_parties(client, trading_fair, deal, login):
    a, b, d = deal
    login(b)
    r = client.post(action_url(trading_fair, d, "confirm"),
                    data={"rating": "4", "testimonial": f"  {WORDS} ", "quote_consent": "y"})
    assert r.status_code == 303 and r.headers["Location"] == page_url(trading_fair, d)
    ob = fresh(d.obligations[0].id)
    assert (ob.state, ob.rating, ob.testimonial, ob.quote_consent) == (ObligationState.CONFIRMED, 4, WORDS, True)
    assert entries() == 1
    mine = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Potwierdzono. Dziękujemy!" in mine
    shown = text_of(mine)
    assert f"Opinia odbiorcy (Firma Gęś) : ★★★★☆ 4 z 5 {WORDS}" in shown
    assert "Można ją cytować w sprawozdaniach." in shown
    # The receiver may change it: the form holds what was given.
    edit = form_of(mine, action_url(trading_fair, d, "feedback"))
    assert f'id="feedback-{ob.id}-rating-4" checked' in edit and f">{WORDS}</textarea>" in unescape(edit)
    assert re.search(r'name="quote_consent" value="y" id="[^"]+"\s+aria-describedby="[^"]+" checked', edit)
    assert "Zmień swoją opinię" in mine
    login(a)  # the giver sees it too, and cannot change it
    theirs = client.get(page_url(trading_fair, d)).get_data(as_text=True)
    assert "★★★★☆ 4 z 5" in text_of(theirs) and WORDS in text_of(theirs)
    assert action_url(trading_fair, d, "feedback") not in theirs


def test_words_not_to_be_quoted_are_the_parties_own(client, trading_fair, deal, login, organiser):
    _a, b, d = deal
    login(b)
    client.post(action_url(trading_fair, d, "confirm"), data={"rating": "2", "testimonial": "Spóźnili się."})
    own = text_of(client.get(page_url(trading_fair, d)).get_data(as_text=True))
    assert "Spóźnili się." in own and "Bez zgody na cytowanie w sprawozdaniach." in own
    login(organiser)  # staff see the rating, not words they may not quote
    staff = text_of(client.get(page_url(trading_fair, d)).get_data(as_text=True))
    assert "★★☆☆☆ 2 z 5" in staff and "Spóźnili się." not in staff


def test_a_rating_outside_1_to_5_is_shown_in_polish_and_nothing_is_confirmed(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    r = client.post(action_url(trading_fair, d, "confirm"),
                    data={"rating": "7", "testimonial": WORDS, "quote_consent": "y"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    message = "Wybierz ocenę od 1 do 5 gwiazdek albo zostaw bez oceny."
    prefix = f"confirm-{d.obligations[0].id}"
    assert f'<p class="error" id="{prefix}-rating-error" role="alert">{message}</p>' in html
    assert 'class="flash flash-error"' in html and message in text_of(html)
    form = form_of(html, action_url(trading_fair, d, "confirm"))  # as it was sent, to fix and send again
    assert f">{WORDS}</textarea>" in unescape(form) and 'value="y" id="' + prefix + '-consent"' in form
    ob = fresh(d.obligations[0].id)
    assert (ob.state, ob.confirmed_at, ob.rating, ob.testimonial) == (ObligationState.PENDING, None, None, "")
    assert entries() == 0


def test_words_too_long_are_shown_by_their_field(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    r = client.post(action_url(trading_fair, d, "confirm"), data={"rating": "5", "testimonial": "ż" * 501})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Opinia jest za długa (znaków: 501, a najwyżej 500). Skróć ją, proszę." in text_of(html)
    assert f'id="confirm-{d.obligations[0].id}-testimonial-error" role="alert"' in html
    assert 'aria-invalid="true">' + "ż" * 501 + "</textarea>" in html
    assert f'id="confirm-{d.obligations[0].id}-rating-5" checked' in html  # the rating chosen is kept
    assert fresh(d.obligations[0].id).state == ObligationState.PENDING and entries() == 0


def test_the_giver_cannot_confirm_with_feedback(client, trading_fair, deal, login):
    a, _b, d = deal
    login(a)
    r = client.post(action_url(trading_fair, d, "confirm"), data={"rating": "1", "testimonial": "Zła sala"})
    assert r.status_code == 303
    assert "Może to zrobić tylko zainteresowana strona." in client.get(r.headers["Location"]).get_data(as_text=True)
    assert fresh(d.obligations[0].id).rating is None and entries() == 0


def test_feedback_changed_on_the_page(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    client.post(action_url(trading_fair, d, "confirm"), data={})
    page = client.get(page_url(trading_fair, d)).get_data(as_text=True)
    assert "Oceń tę wymianę" in page and "Opinia odbiorcy" not in page
    r = client.post(action_url(trading_fair, d, "feedback"), data={"rating": "5", "testimonial": WORDS})
    assert r.status_code == 303
    ob = fresh(d.obligations[0].id)
    assert (ob.rating, ob.testimonial, ob.quote_consent) == (5, WORDS, False)
    assert "Dziękujemy za opinię." in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post(action_url(trading_fair, d, "feedback"), data={"rating": "9", "testimonial": "Inaczej"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert f'id="feedback-{ob.id}-rating-error" role="alert"' in html and '<details class="feedback-edit" open>' in html
    assert (fresh(ob.id).rating, fresh(ob.id).testimonial) == (5, WORDS)
    r = client.post(action_url(trading_fair, d, "feedback"), data={"rating": ""})  # taken back
    assert r.status_code == 303 and (fresh(ob.id).rating, fresh(ob.id).testimonial) == (None, "")


def test_feedback_before_the_confirmation_is_refused(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    r = client.post(action_url(trading_fair, d, "feedback"), data={"rating": "5"})
    assert r.status_code == 303
    assert "Opinię można wystawić dopiero po potwierdzeniu" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert fresh(d.obligations[0].id).rating is None


def test_a_phones_queue_sends_the_feedback_with_its_key(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    data = {"rating": "3", "testimonial": WORDS, "quote_consent": "y", "key": new_key()}
    first = client.post(action_url(trading_fair, d, "confirm"), data=data, headers=JSON)
    again = client.post(action_url(trading_fair, d, "confirm"), data={**data, "rating": "1"}, headers=JSON)
    assert first.json["ok"] and again.json["ok"] and first.json["location"] == page_url(trading_fair, d)
    ob = fresh(d.obligations[0].id)
    assert (ob.rating, ob.testimonial, ob.quote_consent) == (3, WORDS, True) and entries() == 1
    changed = client.post(action_url(trading_fair, d, "feedback"), headers=JSON,
                          data={"rating": "4", "testimonial": WORDS, "key": new_key()})
    assert changed.json == {"ok": True, "category": "success", "message": "Dziękujemy za opinię.",
                            "location": page_url(trading_fair, d)}
    assert (fresh(ob.id).rating, fresh(ob.id).quote_consent) == (4, False)


def test_a_phones_queue_gets_a_refused_rating_as_a_problem(client, trading_fair, deal, login):
    _a, b, d = deal
    login(b)
    r = client.post(action_url(trading_fair, d, "confirm"), data={"rating": "six", "key": new_key()}, headers=JSON)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["code"] == "rating_invalid" and r.json["message"].startswith("Wybierz ocenę od 1 do 5")
    assert fresh(d.obligations[0].id).state == ObligationState.PENDING and entries() == 0
