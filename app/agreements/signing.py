"""Signing: each party on its own phone (or both on one device, the second confirming with their
private QR or PIN), the notary's countersignature, numbering and freezing the content."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.agreements.access import actor_party, get_agreement, require_version
from app.agreements.content import agreement_content, canonical_json, content_hash
from app.agreements.events import announce_public, notify_parties
from app.agreements.models import Agreement, AgreementParty, AgreementState, Signature, SignatureMethod
from app.agreements.valuing import freeze_values
from app.core.errors import Conflict, Forbidden, ValidationError
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.core.storage.transactions import service
from app.core.web.inputs import same_secret
from app.core.web.sent_actions import earlier_action, record_action
from app.fairs.models import Fair
from app.fairs.roles import Role, require_role
from app.people.credentials import (
    invalid_link,
    login_secret_from_scan,
    login_with_pin,
    login_with_secret,
    uses_password,
)
from app.people.models import Participant


def _require_signable(agreement: Agreement) -> None:
    if agreement.state not in (AgreementState.DRAFT, AgreementState.AWAITING_SIGNATURES):
        raise Conflict(_l("This agreement can no longer be signed."), code="not_signable")
    if not agreement.obligations:
        raise ValidationError(_l("An agreement must say what at least one party gives."),
                              code="no_obligations")


def _signed_parties(agreement: Agreement) -> set[int]:
    return {s.party_id for s in agreement.current_signatures()}


def _already_signed(agreement: Agreement, party: AgreementParty, version: int) -> bool:
    return version == agreement.version and party.id in _signed_parties(agreement)


def all_parties_signed(agreement: Agreement) -> bool:
    return {p.id for p in agreement.parties} <= _signed_parties(agreement)


def _add_signature(agreement: Agreement, party: AgreementParty, person: Participant,
                   method: SignatureMethod) -> None:
    if party.id in _signed_parties(agreement):
        return  # a double tap signs once
    # Complete here (party, person, time), not left to the flush: the frozen content reads them.
    agreement.signatures.append(Signature(party_id=party.id, party=party, participant_id=person.id,
                                          participant=person, version=agreement.version, method=method,
                                          signed_at=utcnow()))


def add_own_signature(agreement: Agreement, actor: Participant) -> None:
    """Inside a service that holds the agreement (locked, or made in this transaction): the actor
    signs its current version for their own party, on their own device. It completes nothing: the
    caller goes on as its flow needs (a proposal waits for the other party)."""
    _add_signature(agreement, actor_party(actor, agreement), actor, SignatureMethod.OWN_DEVICE)


NETWORK_SERIES = "SW"  # "Sieć wymiany": agreements between fairs


def agreement_number(fair: Fair, seq_no: int) -> str:
    """A fair's agreements are numbered GZ/<fair>/001…; those between fairs (the network's space)
    in the network's own series, SW/<year>/0001…, the year the one it was signed in."""
    if fair.is_network:
        return f"{NETWORK_SERIES}/{utcnow().astimezone(LOCAL_ZONE).year}/{seq_no:04d}"
    return f"GZ/{fair.slug}/{seq_no:03d}"


def _complete_if_ready(agreement: Agreement, actor: Participant) -> None:
    """Signed by every party (and the notary, where the fair wants one): number and freeze it;
    otherwise it awaits the others' signatures. Its state is set once, here, so that the row is
    updated once."""
    if not all_parties_signed(agreement):
        agreement.state = AgreementState.AWAITING_SIGNATURES
        notify_parties(agreement, "agreement.signature_added", exclude=actor.id)
        return
    # Locked before the rule is read and the number given: numbering is serialised by this lock.
    fair = db.session.get_one(Fair, agreement.fair_id, with_for_update=True, populate_existing=True)
    if fair.notary_required and agreement.notary_id is None:
        agreement.state = AgreementState.AWAITING_SIGNATURES
        notify_parties(agreement, "agreement.awaiting_notary", exclude=actor.id)
        return
    last = db.session.scalar(select(func.max(Agreement.seq_no)).where(Agreement.fair_id == fair.id))
    agreement.seq_no = (last or 0) + 1
    agreement.number = agreement_number(fair, agreement.seq_no)
    agreement.state = AgreementState.SIGNED
    agreement.signed_at = utcnow()
    freeze_values(agreement)
    # What this session holds is what is signed: the agreement was read under its lock, and the
    # signature just added is in its list; nothing needs reading again before the content freezes.
    agreement.frozen_content = canonical_json(agreement_content(agreement))
    agreement.content_hash = content_hash(agreement.frozen_content)
    notify_parties(agreement, "agreement.signed_for_you")
    announce_public(agreement, "agreement.signed")


SIGN = "agreement.sign"  # the action's name in sent_actions


@service
def sign_agreement(actor: Participant, fair_id: int, agreement_id: int, version: int,
                   key: str | None = None) -> Agreement:
    """The actor signs for their organisation the version they read.

    `key`: the phone's one-time key for this signature (app/core/web/sent_actions.py). A second
    send with the same key signs nothing and returns the agreement as it is now — also after the
    agreement has changed since the first send (the first send's signature is what that key
    did). A signature refused (the version read is no longer the agreement's) records nothing."""
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    party = actor_party(actor, agreement)
    if earlier_action(actor.id, fair_id, key, SIGN, agreement.id):
        return agreement
    if _already_signed(agreement, party, version):
        return agreement  # a double tap, even one arriving after the last signature, signs once
    _require_signable(agreement)
    require_version(agreement, version)
    _add_signature(agreement, party, actor, SignatureMethod.OWN_DEVICE)
    record_action(actor.id, fair_id, key, SIGN, agreement.id)
    _complete_if_ready(agreement, actor)
    return agreement


def _require_party_badge(actor: Participant, fair_id: int, agreement_id: int, badge_code: str) -> None:
    """Before any PIN is checked: the badge must be another party's. Badge codes and parties are
    public, so this answer tells nothing about the PIN (and a right PIN of a non-party gets it
    exactly as a wrong one does)."""
    agreement = get_agreement(fair_id, agreement_id)
    actor_party(actor, agreement)
    code = badge_code.strip().upper()[:16]
    person = db.session.scalar(select(Participant).where(Participant.fair_id == fair_id,
                                                         Participant.badge_code == code))
    if person is not None and person.id == actor.id:
        raise ValidationError(_l("Sign with your own button; this is for the other party."),
                              code="same_person")
    if person is None or agreement.party_for(person.organisation_id) is None:
        raise Forbidden(_l("This badge is not a party's to this agreement."), code="not_a_party")


def _credential_owner(actor: Participant, fair_id: int, agreement_id: int, badge_code: str | None,
                      pin: str | None, scanned: str | None, client: str) -> tuple[Participant, SignatureMethod]:

    if scanned and scanned.strip():
        person = login_with_secret(fair_id, login_secret_from_scan(scanned))
        if uses_password(person):  # staff have no slip: their secret is never handed out
            raise invalid_link()
        return person, SignatureMethod.SHARED_DEVICE_QR
    if badge_code and pin:
        _require_party_badge(actor, fair_id, agreement_id, badge_code)
        return login_with_pin(fair_id, badge_code, pin, client), SignatureMethod.SHARED_DEVICE_PIN
    raise ValidationError(_l("Scan your private QR code or enter your badge code and PIN."),
                          code="credential_missing")


def sign_on_shared_device(actor: Participant, fair_id: int, agreement_id: int, version: int,
                          badge_code: str | None = None, pin: str | None = None,
                          scanned: str | None = None, client: str = "") -> Agreement:
    """The second party signs on the first one's phone, proving who they are with their private
    QR (`scanned`: the login link or its secret) or badge code + PIN, checked through the one
    rate-limited PIN path (per `client` address and per badge)."""
    person, method = _credential_owner(actor, fair_id, agreement_id, badge_code, pin, scanned, client)
    return _sign_as(actor, person, method, fair_id, agreement_id, version)


@service
def _sign_as(actor: Participant, person: Participant, method: SignatureMethod, fair_id: int,
             agreement_id: int, version: int) -> Agreement:
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    actor_party(actor, agreement)
    party = agreement.party_for(person.organisation_id)
    if party is None:
        raise Forbidden(_l("This person does not represent a party to this agreement."), code="not_a_party")
    if person.id == actor.id:
        raise ValidationError(_l("Sign with your own button; this is for the other party."),
                              code="same_person")
    if _already_signed(agreement, party, version):
        return agreement
    _require_signable(agreement)
    require_version(agreement, version)
    _add_signature(agreement, party, person, method)
    _complete_if_ready(agreement, actor)
    return agreement


@service
def notarise(actor: Participant, fair_id: int, agreement_id: int, version: int) -> Agreement:
    """The notary checks the agreement and countersigns it once every party has signed."""
    require_role(actor, fair_id, Role.NOTARY, Role.ORGANISER)
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    if agreement.notary_id is not None and agreement.is_complete:
        return agreement
    _require_signable(agreement)
    require_version(agreement, version)
    if not all_parties_signed(agreement):
        raise Conflict(_l("Every party must sign before the notary countersigns."),
                       code="parties_not_signed")
    agreement.notary_id = actor.id
    agreement.notarised_at = utcnow()
    _complete_if_ready(agreement, actor)
    return agreement


@service
def record_paper_agreement(actor: Participant, fair_id: int, agreement_id: int, version: int) -> Agreement:
    """A notary records a draft whose paper copy every party has signed by hand."""
    require_role(actor, fair_id, Role.NOTARY, Role.ORGANISER)
    agreement = get_agreement(fair_id, agreement_id, lock=True)
    _require_signable(agreement)
    require_version(agreement, version)
    for party in agreement.parties:
        _add_signature(agreement, party, party.representative, SignatureMethod.PAPER)
    agreement.on_paper = True
    agreement.notary_id = actor.id
    agreement.notarised_at = utcnow()
    _complete_if_ready(agreement, actor)
    return agreement


def verify(agreement: Agreement) -> bool:
    """Does the stored content still hash to the stored hash?"""
    if not agreement.frozen_content or not agreement.content_hash:
        return False
    return same_secret(content_hash(agreement.frozen_content), agreement.content_hash)
