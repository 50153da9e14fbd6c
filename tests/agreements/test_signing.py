"""Signing (app/agreements/signing.py): the notary, numbering, freezing, shared phones, and two
people signing at once."""

import threading

import pytest

from app.agreements.access import get_agreement
from app.agreements.drafting import cancel_agreement, start_agreement
from app.agreements.models import Agreement, AgreementState, SignatureMethod
from app.agreements.signing import notarise, record_paper_agreement, sign_agreement, sign_on_shared_device, verify
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import events_since
from app.fairs.models import Fair


def no_notary(fair):
    from app.core.storage.transactions import transaction

    with transaction():
        db.session.get(Fair, fair.id).notary_required = False


def test_both_sign_then_notary_completes(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    signed = sign_agreement(b, trading_fair.id, d.id, d.version)
    assert signed.state == AgreementState.AWAITING_SIGNATURES and signed.number is None
    done = notarise(notary, trading_fair.id, d.id, d.version)
    assert done.state == AgreementState.SIGNED
    assert done.number == f"GZ/{trading_fair.slug}/001" and len(done.content_hash) == 64
    assert verify(done)


def test_without_notary_rule_two_signatures_complete(trading_fair, make_participant, make_draft):
    no_notary(trading_fair)
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    assert sign_agreement(b, trading_fair.id, d.id, d.version).state == AgreementState.SIGNED


def test_numbers_increase_per_fair(trading_fair, make_participant, make_draft):
    no_notary(trading_fair)
    numbers = []
    for _ in range(2):
        a, b = make_participant(), make_participant()
        d = make_draft(a, b)
        sign_agreement(a, trading_fair.id, d.id, d.version)
        numbers.append(sign_agreement(b, trading_fair.id, d.id, d.version).number)
    assert numbers == [f"GZ/{trading_fair.slug}/001", f"GZ/{trading_fair.slug}/002"]


def test_double_tap_signs_once(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    again = sign_agreement(a, trading_fair.id, d.id, d.version)
    assert len(again.current_signatures()) == 1


def test_signing_a_changed_version_fails(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        sign_agreement(a, trading_fair.id, d.id, d.version - 1)
    assert err.value.code == "agreement_changed"


def test_agreement_without_obligations_refused(trading_fair, make_participant):
    a, b = make_participant(), make_participant()
    d = start_agreement(a, trading_fair.id, b.id)
    with pytest.raises(DomainError) as err:
        sign_agreement(a, trading_fair.id, d.id, d.version)
    assert err.value.code == "no_obligations"


def test_outsider_cannot_sign(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        sign_agreement(make_participant(), trading_fair.id, d.id, d.version)
    assert err.value.code == "not_a_party"


def test_notary_before_parties_refused(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        notarise(notary, trading_fair.id, d.id, d.version)
    assert err.value.code == "parties_not_signed"


def test_participant_cannot_notarise(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        notarise(a, trading_fair.id, d.id, d.version)
    assert err.value.code == "forbidden_role"


def test_second_party_signs_on_first_phone_with_pin(trading_fair, make_participant, make_draft):
    no_notary(trading_fair)
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    sign_agreement(a, trading_fair.id, d.id, d.version)
    done = sign_on_shared_device(a, trading_fair.id, d.id, d.version, badge_code=b.badge_code, pin=b.pin)
    assert done.state == AgreementState.SIGNED
    assert {s.method for s in done.current_signatures()} == {SignatureMethod.OWN_DEVICE,
                                                            SignatureMethod.SHARED_DEVICE_PIN}


def test_second_party_signs_with_private_qr(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    s = sign_on_shared_device(a, trading_fair.id, d.id, d.version, scanned=f"http://gielda.test/f/{trading_fair.slug}/login/{b.login_secret}")
    assert s.current_signatures()[0].participant_id == b.id


def test_shared_device_badge_qr_scanned_by_mistake_is_explained(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        sign_on_shared_device(a, trading_fair.id, d.id, d.version, scanned=f"http://gielda.test/p/{b.badge_code}")
    assert err.value.code == "badge_scanned"


def test_shared_device_wrong_pin_refused(trading_fair, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    wrong = "000000" if b.pin != "000000" else "111111"
    with pytest.raises(DomainError) as err:
        sign_on_shared_device(a, trading_fair.id, d.id, d.version, badge_code=b.badge_code, pin=wrong)
    assert err.value.code == "invalid_pin"
    assert get_agreement(trading_fair.id, d.id).current_signatures() == []


def test_shared_device_credential_of_outsider_refused(trading_fair, make_participant, make_draft):
    a, b, c = make_participant(), make_participant(), make_participant()
    d = make_draft(a, b)
    with pytest.raises(DomainError) as err:
        sign_on_shared_device(a, trading_fair.id, d.id, d.version, scanned=c.login_secret)
    assert err.value.code == "not_a_party"


def test_paper_agreement_recorded_by_notary(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    done = record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    assert done.state == AgreementState.SIGNED and done.on_paper and done.notary_id == notary.id
    assert {s.method for s in done.current_signatures()} == {SignatureMethod.PAPER}


def test_signed_agreement_is_frozen(trading_fair, notary, make_participant, make_draft):
    from app.agreements.drafting import AgreementData, PartyData, save_draft

    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    with pytest.raises(DomainError) as err:
        save_draft(a, trading_fair.id, d.id, AgreementData([PartyData(a.organisation_id, a.id),
                                                            PartyData(b.organisation_id, b.id)]))
    assert err.value.code == "agreement_frozen"
    with pytest.raises(DomainError) as err:
        cancel_agreement(a, trading_fair.id, d.id)
    assert err.value.code == "cancel_signed"


def test_signed_event_is_public_with_sectors(trading_fair, notary, make_participant, make_draft):
    from app.network.sectors import Sector

    a, b = make_participant(sector=Sector.BUSINESS), make_participant(sector=Sector.NGO)
    d = make_draft(a, b)
    record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    evt = [e for e in events_since(trading_fair.id, 0, None) if e.type == "agreement.signed"][-1]
    assert evt.participant_id is None and evt.payload["points"] == 70
    assert {p["sector"] for p in evt.payload["parties"]} == {"business", "ngo"}


def test_tampered_content_does_not_verify(trading_fair, notary, make_participant, make_draft):
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    done = record_paper_agreement(notary, trading_fair.id, d.id, d.version)
    done.frozen_content = done.frozen_content.replace("Sala", "Hala")
    assert not verify(done)
    db.session.rollback()


def test_two_people_signing_at_once_make_one_agreement_with_one_number(app, trading_fair, make_participant,
                                                                       make_draft):
    no_notary(trading_fair)
    a, b = make_participant(), make_participant()
    d = make_draft(a, b)
    barrier = threading.Barrier(4)
    errors = []

    def sign(pid, times=1):
        with app.app_context():
            try:
                from app.people.models import Participant

                person = db.session.get(Participant, pid)
                barrier.wait()
                for _ in range(times):
                    sign_agreement(person, trading_fair.id, d.id, d.version)
            except Exception as exc:
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sign, args=(pid,)) for pid in (a.id, b.id, a.id, b.id)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    db.session.rollback()
    done = db.session.get(Agreement, d.id)
    db.session.refresh(done)
    assert done.state == AgreementState.SIGNED and done.number == f"GZ/{trading_fair.slug}/001"
    assert len(done.current_signatures()) == 2
    signed_events = [e for e in events_since(trading_fair.id, 0, None) if e.type == "agreement.signed"]
    assert len(signed_events) == 1


def test_an_agreement_between_fairs_is_numbered_in_the_networks_series(make_participant, make_signed_agreement):
    """In the network's space: no notary, and the series SW/<year>/0001, SW/<year>/0002…"""
    from app.between.space import enter_network_space
    from app.core.i18n import LOCAL_ZONE
    from app.core.storage.db import utcnow

    a, b = (enter_network_space(make_participant(organisation=name))
            for name in ("Fundacja Pszczoła", "Spółdzielnia Socjalna Smak"))
    year = utcnow().astimezone(LOCAL_ZONE).year
    first = make_signed_agreement(a, b, fair=a.fair, notarise_it=False)
    second = make_signed_agreement(b, a, fair=a.fair, notarise_it=False)
    assert (first.number, second.number) == (f"SW/{year}/0001", f"SW/{year}/0002")
    assert first.state.value == "signed" and first.notary_id is None
