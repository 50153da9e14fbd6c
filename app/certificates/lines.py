"""What a certificate lists: every obligation of a signed (or fulfilled) agreement, signed in the
period (in Warsaw's time), where the member's organisation at a fair gives or receives. Read from
the agreements as they are now: issuing freezes it (app/certificates/content.py).

A member has an organisation at each fair it attended (`Organisation.member_id`; a merge moves them
to the member it became). The scope is one fair's agreements, or every agreement of the network
(every fair's and those signed between fairs, in the network's space).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app.agreements.models import Agreement, AgreementParty, AgreementState, Obligation, ObligationState
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.fairs.models import Fair
from app.people.models import Organisation

GAVE, RECEIVED = "gave", "received"
PLEDGED, CONFIRMED = "pledged", "confirmed"  # confirmed by the receiver: realised
COUNTED = (AgreementState.SIGNED, AgreementState.FULFILLED)  # cancelled and annulled ones never count


@dataclass(frozen=True)
class Line:
    """One obligation as the certificate says it (plain values, as frozen)."""

    direction: str  # GAVE | RECEIVED
    agreement: str  # its number
    fair: str  # the fair's name (the network's space for agreements between fairs)
    signed_on: date
    counterpart: str
    counterpart_sector: str
    description: str
    quantity: int | None
    unit: str | None
    hours: int | None
    value_basis: str | None
    value_rate_key: str | None
    value_units: int | None
    value_rate: int | None
    social_value: int | None  # grosze; None: not valued (signed before valuation, or not to be)
    state: str  # PLEDGED | CONFIRMED


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first and last days, whole, in Warsaw's time: [from, until) in UTC."""
    lo = datetime.combine(start, time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=LOCAL_ZONE).astimezone(UTC)
    return lo, hi


def collect_lines(member_id: int, fair_id: int | None, start: date, end: date) -> list[Line]:
    """The member's lines in the period, oldest agreement first (then as each agreement lists
    them). `fair_id`: that fair's agreements only; None: the whole network's."""
    lo, hi = period_bounds(start, end)
    giver_party, receiver_party = aliased(AgreementParty), aliased(AgreementParty)
    giver, receiver = aliased(Organisation), aliased(Organisation)
    query = (select(Obligation, Agreement.number, Agreement.signed_at, Fair.name, giver, receiver)
             .join(Agreement, Agreement.id == Obligation.agreement_id)
             .join(Fair, Fair.id == Agreement.fair_id)
             .join(giver_party, giver_party.id == Obligation.giver_party_id)
             .join(receiver_party, receiver_party.id == Obligation.receiver_party_id)
             .join(giver, giver.id == giver_party.organisation_id)
             .join(receiver, receiver.id == receiver_party.organisation_id)
             .where(Agreement.state.in_(COUNTED), Agreement.signed_at >= lo, Agreement.signed_at < hi,
                    or_(giver.member_id == member_id, receiver.member_id == member_id))
             .order_by(Agreement.signed_at, Agreement.id, Obligation.position, Obligation.id))
    if fair_id is not None:
        query = query.where(Agreement.fair_id == fair_id)
    lines = []
    for ob, number, signed_at, fair_name, gives, gets in db.session.execute(query).tuples():
        if gives.member_id == gets.member_id:
            continue  # between two organisations of one member (after a merge): nobody else's gain
        assert signed_at is not None  # a signed agreement's
        gave = gives.member_id == member_id
        other = gets if gave else gives
        lines.append(Line(
            direction=GAVE if gave else RECEIVED, agreement=number or "", fair=fair_name,
            signed_on=signed_at.astimezone(LOCAL_ZONE).date(), counterpart=other.name,
            counterpart_sector=other.sector.value, description=ob.description, quantity=ob.quantity,
            unit=ob.unit.value if ob.unit else None, hours=ob.hours, value_basis=ob.value_basis,
            value_rate_key=ob.value_rate_key, value_units=ob.value_units, value_rate=ob.value_rate,
            social_value=ob.social_value, state=CONFIRMED if ob.state == ObligationState.CONFIRMED else PLEDGED))
    return lines
