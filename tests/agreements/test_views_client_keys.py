"""Signing and confirming sent by a phone's queue of actions kept while offline
(static/js/offline.js) with `Accept: application/json` and the phone's key
(app/agreements/views.py): the same key twice signs (confirms) once, the answer names the
agreement's page, and a signature whose version went stale while the phone waited is refused
with the reason in the person's language."""

from __future__ import annotations

from sqlalchemy import func, select

from app.agreements.models import Signature
from app.agreements.signing import record_paper_agreement
from app.core.extensions import db
from app.core.web.formkeys import new_key
from app.ledger.models import Entry

JSON = {"Accept": "application/json"}


def signatures(agreement_id: int) -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Signature.id)).where(Signature.agreement_id == agreement_id))
               or 0)


def test_a_signature_replayed_signs_once(client, trading_fair, make_participant, login, make_draft):
    a, b = make_participant(organisation="Fundacja Źdźbło"), make_participant(organisation="Drukarnia Kociewiak")
    draft = make_draft(a, b)
    login(a)
    data = {"version": str(draft.version), "key": new_key()}
    url = f"/f/{trading_fair.slug}/agreements/{draft.id}/sign"
    first, again = client.post(url, data=data, headers=JSON), client.post(url, data=data, headers=JSON)
    assert first.json == again.json == {"ok": True, "category": "success", "message": "Podpisano.",
                                        "location": f"/f/{trading_fair.slug}/agreements/{draft.id}"}
    assert signatures(draft.id) == 1


def test_a_signature_of_a_version_gone_stale_is_refused_with_its_reason(client, trading_fair, make_participant,
                                                                        login, make_draft):
    a, b = make_participant(organisation="Fundacja Źdźbło"), make_participant(organisation="Drukarnia Kociewiak")
    draft = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{draft.id}/sign",
                    data={"version": str(draft.version - 1), "key": new_key()}, headers=JSON)
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert r.json["code"] == "agreement_changed" and r.json["message"].startswith("Umowa zmieniła się")
    assert signatures(draft.id) == 0


def test_a_malformed_key_is_refused(client, trading_fair, make_participant, login, make_draft):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{draft.id}/sign",
                    data={"version": str(draft.version), "key": "not-a-key"}, headers=JSON)
    assert r.status_code == 422 and r.json["code"] == "invalid_form_key"
    assert signatures(draft.id) == 0


def test_a_confirmation_replayed_posts_once(client, trading_fair, notary, make_participant, login, make_draft):
    a, b = make_participant(organisation="Fundacja Żółw"), make_participant(organisation="Firma Gęś")
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    login(b)
    url = f"/f/{trading_fair.slug}/agreements/{d.id}/obligations/{d.obligations[0].id}/confirm"
    data = {"key": new_key()}
    first, again = client.post(url, data=data, headers=JSON), client.post(url, data=data, headers=JSON)
    assert first.json["ok"] and again.json["ok"] and first.json["message"] == "Potwierdzono. Dziękujemy!"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Entry.id))) == 1


def test_the_page_still_signs_with_a_redirect_and_a_flash(client, trading_fair, make_participant, login,
                                                          make_draft):
    """Without JavaScript (no JSON asked for) the form works as it always did."""
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{draft.id}/sign", data={"version": str(draft.version)})
    assert r.status_code == 303 and r.headers["Location"] == f"/f/{trading_fair.slug}/agreements/{draft.id}"
    assert "Podpisano." in client.get(r.headers["Location"]).get_data(as_text=True)
    assert signatures(draft.id) == 1
