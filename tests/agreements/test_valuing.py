"""Each obligation's social value (app/agreements/valuing.py): previewed on a draft, frozen with
the content at signing, on the page and the PDF as an estimate."""

from __future__ import annotations

import json

from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
from app.agreements.models import Agreement
from app.agreements.pdf import ensure_pdf
from app.agreements.signing import verify
from app.agreements.valuing import agreement_value, estimates
from app.core.extensions import db
from app.floor.kinds import Unit
from app.valuation.kinds import DEFAULT_RATES, RateKey, ValueBasis
from app.valuation.rates import set_rates
from tests.pdfs import pdf_text, save


def _room_and_training(a, b, category, **training):
    return [
        ObligationData(a.organisation_id, b.organisation_id, "Sala konferencyjna na 30 osób",
                       category_id=category("rooms"), quantity=3, unit=Unit.HOURS, points=30),
        ObligationData(b.organisation_id, a.organisation_id, "Szkolenie z pisania wniosków",
                       category_id=category("trainings"), hours=4, points=40, **training),
    ]


def _edit_form(draft, a, b, **obligation):
    """The draft editor as sent: the two parties and one obligation from a to b."""
    return {"version": draft.version, "action": "save",
            "parties-0-organisation_id": a.organisation_id, "parties-0-representative_id": a.id,
            "parties-1-organisation_id": b.organisation_id, "parties-1-representative_id": b.id,
            "obligations-0-giver": a.organisation_id, "obligations-0-receiver": b.organisation_id,
            **{f"obligations-0-{k}": v for k, v in obligation.items()}}


def test_signing_freezes_each_obligations_value(make_signed_agreement, make_participant, category):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    room, training = agreement.obligations
    assert (room.value_basis, room.value_units, room.value_rate, room.social_value) == (
        "room", 3, DEFAULT_RATES[RateKey.ROOM_HOUR], 3 * DEFAULT_RATES[RateKey.ROOM_HOUR])
    assert (training.value_basis, training.social_value) == (
        "work_professional", 4 * DEFAULT_RATES[RateKey.WORK_PROFESSIONAL_HOUR])
    assert agreement_value(agreement) == room.social_value + training.social_value


def test_the_value_is_part_of_what_is_signed(make_signed_agreement, make_participant, category):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    frozen = json.loads(agreement.frozen_content)
    assert [o["social_value"] for o in frozen["obligations"]] == [15000, 30000]
    assert verify(agreement)


def test_rates_changed_after_signing_leave_the_value_as_signed(make_signed_agreement, make_participant,
                                                               category, organiser, trading_fair):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    set_rates(organiser, trading_fair.id, {RateKey.ROOM_HOUR: 99900})
    db.session.expire_all()
    assert db.session.get_one(Agreement, agreement.id).obligations[0].social_value == 15000


def test_the_fairs_rates_at_signing_are_used(make_signed_agreement, make_participant, category,
                                             organiser, trading_fair):
    set_rates(organiser, trading_fair.id, {RateKey.ROOM_HOUR: 7000})
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    assert agreement.obligations[0].social_value == 21000


def test_the_parties_choice_of_basis_wins_over_the_category(make_signed_agreement, make_participant, category):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(
        a, b, category, value_basis=ValueBasis.WORK_BASIC))
    assert agreement.obligations[1].social_value == 4 * DEFAULT_RATES[RateKey.WORK_BASIC_HOUR]


def test_an_obligation_not_to_be_valued_has_no_value(make_signed_agreement, make_participant, category):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category, value_basis=ValueBasis.NONE))
    training = agreement.obligations[1]
    assert (training.value_basis, training.social_value) == ("none", None)


def test_a_draft_previews_at_todays_rates_and_stores_nothing(trading_fair, make_participant, category):
    a, b = make_participant(), make_participant()
    draft = start_agreement(a, trading_fair.id, b.id)
    data = AgreementData(parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (a, b)],
                         obligations=_room_and_training(a, b, category))
    draft = save_draft(a, trading_fair.id, draft.id, data, version=draft.version)
    previews = estimates(draft)
    assert sorted(e.value for e in previews.values()) == [15000, 30000]
    assert all(ob.social_value is None for ob in draft.obligations)


def test_the_pdf_says_the_value_is_an_estimate(make_signed_agreement, make_participant, category, tmp_path):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    text = " ".join(pdf_text(save(tmp_path, "a.pdf", ensure_pdf(agreement.id))).split())
    assert "Szacunkowa wartość społeczna: 150,00 zł (3 h × 50,00 zł)" in text
    assert "Szacunkowa wartość społeczna razem: 450,00 zł" in text
    assert "nie cena" in text


def test_the_page_shows_the_value_and_the_editor_the_choice(client, make_signed_agreement, make_participant,
                                                             category, login, trading_fair):
    a, b = make_participant(), make_participant()
    agreement = make_signed_agreement(a, b, obligations=_room_and_training(a, b, category))
    login(a)
    page = client.get(f"/f/{trading_fair.slug}/agreements/{agreement.id}").get_data(as_text=True)
    assert "Szacunkowa wartość społeczna" in page and "150,00 zł" in page and "450,00 zł" in page


def test_the_editor_keeps_the_chosen_basis(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/edit", data=_edit_form(
        d, a, b, description="Bus z kierowcą", unit="hours", quantity="5", value_basis="vehicle"))
    assert r.status_code == 303
    db.session.expire_all()
    ob = db.session.get_one(Agreement, d.id).obligations[0]
    assert ob.value_basis == "vehicle"
    page = client.get(f"/f/{trading_fair.slug}/agreements/{d.id}").get_data(as_text=True)
    assert "300,00 zł" in page and "zamrożona przy podpisaniu" in page


def test_an_unknown_basis_is_refused_and_nothing_saved(client, trading_fair, make_participant, make_draft, login):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    login(a)
    r = client.post(f"/f/{trading_fair.slug}/agreements/{d.id}/edit", data=_edit_form(
        d, a, b, description="Coś innego", unit="", value_basis="price"))
    assert r.status_code in (200, 422)
    db.session.expire_all()
    assert db.session.get_one(Agreement, d.id).obligations[0].description != "Coś innego"
