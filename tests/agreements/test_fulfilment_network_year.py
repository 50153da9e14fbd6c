"""A scripted year in the network (issue 12): an organisation earns points at one fair, spends them
with another member between fairs and earns again at the next fair, and its one statement shows
all three, each with where it came from."""

from __future__ import annotations

from collections.abc import Callable

from app.agreements.fulfilment import confirm_delivery, mark_delivered
from app.agreements.models import Agreement
from app.between.space import enter_network_space
from app.core.extensions import db
from app.core.i18n import LOCAL_ZONE
from app.core.storage.db import utcnow
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.ledger.accounts import find_organisation_account
from app.ledger.models import Account
from app.ledger.statements import account_statement
from app.ledger.verify import verify_ledger
from app.network.sectors import Sector
from app.people.models import Participant


def test_one_statement_for_a_year_of_fairs(trading_fair: Fair, make_fair: Callable[..., Fair],
                                          make_participant: Callable[..., Participant],
                                          make_signed_agreement: Callable[..., Agreement]) -> None:
    # Spring: Fundacja Żółw lends its room to Stowarzyszenie Łąka; Łąka confirms it.
    zolw = make_participant("Ola", "Nowak", email="ola@zolw.org.pl", organisation="Fundacja Żółw")
    laka = make_participant("Jan", "Gęś", organisation="Stowarzyszenie Łąka")
    spring = make_signed_agreement(zolw, laka, obligations=[(zolw, laka, "Sala na 30 osób, 3 godziny", 30)])
    mark_delivered(zolw, trading_fair.id, spring.obligations[0].id)
    confirm_delivery(laka, trading_fair.id, spring.obligations[0].id)

    # Summer, between fairs: in the network's space, a cooperative caters for Żółw's picnic for 20
    # points; the agreement is signed on two phones (no notary there) and numbered in the network's series.
    catering = make_participant("Ewa", "Kucharska", organisation="Spółdzielnia Socjalna Smak",
                                sector=Sector.SOCIAL_COOPERATIVE)
    zolw_between, smak_between = enter_network_space(zolw), enter_network_space(catering)
    space = zolw_between.fair
    summer = make_signed_agreement(zolw_between, smak_between, fair=space, obligations=[
        (smak_between, zolw_between, "Catering na festyn sąsiedzki", 20)])
    assert summer.number == f"SW/{utcnow().astimezone(LOCAL_ZONE).year}/0001"
    mark_delivered(smak_between, space.id, summer.obligations[0].id)
    confirm_delivery(zolw_between, space.id, summer.obligations[0].id)
    account = find_organisation_account(zolw.organisation_id)
    assert account is not None and find_organisation_account(zolw_between.organisation_id).id == account.id

    # Autumn, the next fair: Ola comes again for Żółw and trains the town hall's staff.
    autumn = make_fair(name="Giełda jesienna")
    open_trading(make_participant("Ala", "Org", role=Role.ORGANISER, fair_id=autumn.id, organisation="Starostwo"),
                 autumn.id, 90)
    notary = make_participant("Nina", "Notariusz", role=Role.NOTARY, fair_id=autumn.id, organisation="Kancelaria")
    ola = make_participant("Ola", "Nowak", email="ola@zolw.org.pl", organisation="Fundacja Żółw", fair_id=autumn.id)
    urzad = make_participant("Piotr", "Urzędnik", organisation="Urząd Miasta", sector=Sector.PUBLIC,
                             fair_id=autumn.id)
    training = make_signed_agreement(ola, urzad, obligations=[(ola, urzad, "Szkolenie z pisania wniosków", 40)],
                                     fair=autumn, notary=notary)
    mark_delivered(ola, autumn.id, training.obligations[0].id)
    confirm_delivery(urzad, autumn.id, training.obligations[0].id)

    assert ola.person_id == zolw.person_id and ola.organisation.member_id == zolw.organisation.member_id
    same = find_organisation_account(ola.organisation_id)
    assert same is not None and same.id == account.id
    statement = account_statement(db.session.get_one(Account, account.id))
    assert [(line.points, line.origin) for line in statement.lines] == [
        (30, trading_fair.name), (-20, "między giełdami"), (40, "Giełda jesienna")]
    assert statement.closing == 50
    assert verify_ledger().ok

