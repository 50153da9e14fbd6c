"""The demo fair, shaped like the Tczew Giełda Zasobów: ~157 people from ~78 organisations."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_agreement
from app.agreements.fulfilment import confirm_delivery
from app.agreements.signing import notarise, sign_agreement
from app.core.storage.transactions import service
from app.core.textkeys import search_key
from app.fairs.categories import fair_categories
from app.fairs.fairs import FairData, set_registration_open
from app.fairs.models import Fair
from app.fairs.queries import fair_by_slug
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.floor.posts import PostData, create_post
from app.ledger.coordinators import set_network_coordinator
from app.ledger.permissions import SystemActor
from app.network.sectors import Branch, Sector
from app.people.credentials import set_password_unchecked
from app.people.first_fair import FirstFair, create_fair_with_organiser
from app.people.member_profile import MemberProfile, update_member_profile
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant
from app.people.queries import participants_with_role

ORGANISER_EMAIL = "organizator@tczew.example.org"
NOTARY_EMAIL = "notariusz@tczew.example.org"
BROKER_EMAIL = "makler@tczew.example.org"
DEMO_PASSWORD = "gielda-demo-2026"

FIRST = ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Elżbieta", "Zofia",
         "Joanna", "Magdalena", "Łucja", "Jadwiga", "Grażyna", "Urszula", "Dorota", "Bożena",
         "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Łukasz", "Grzegorz",
         "Marek", "Jarosław", "Wojciech", "Zbigniew", "Jerzy", "Mateusz", "Bartłomiej", "Józef"]
LAST = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
        "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski",
        "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel", "Majewski", "Olszewski",
        "Stępień", "Jaworski", "Malinowski", "Górski", "Rutkowski", "Żółkiewski", "Ślęzak"]

ORGS: dict[Sector, list[str]] = {
    Sector.NGO: [
        "Fundacja Pokolenia", "Stowarzyszenie „Razem dla Tczewa”", "Fundacja Żółwik",
        "Towarzystwo Przyjaciół Wisły", "Stowarzyszenie Kociewskie Źródła",
        "Fundacja Uśmiech Dziecka", "Klub Sportowy Sokół", "Stowarzyszenie Seniorów „Złota Jesień”",
        "Fundacja Zielone Podwórko", "Polski Czerwony Krzyż – oddział Tczew",
        "Stowarzyszenie Na Rzecz Osób Niepełnosprawnych „Ośla Łączka”",
        "Fundacja Edukacji Ekologicznej", "Harcerski Krąg Żurawie", "Stowarzyszenie Młodych Twórców",
        "Fundacja Pomocy Wzajemnej Łańcuch", "Towarzystwo Miłośników Ziemi Kociewskiej",
        "Stowarzyszenie Rodzin Zastępczych", "Fundacja Świetlica Marzeń",
        "Ochotnicza Straż Pożarna w Gniewie", "Stowarzyszenie Kulturalne Żuraw",
        "Fundacja Wolontariat Kociewia", "Stowarzyszenie Teatralne Scena Nad Wisłą",
        "Fundacja Ścieżki Rowerowe", "Stowarzyszenie Sąsiedzkie Zatorze"],
    Sector.PUBLIC: [
        "Starostwo Powiatowe w Tczewie", "Powiatowy Urząd Pracy w Tczewie",
        "Miejska Biblioteka Publiczna im. Aleksandra Skulteckiego", "Centrum Kultury i Sztuki",
        "Ośrodek Pomocy Społecznej w Tczewie", "Zespół Szkół Ekonomicznych",
        "Powiatowe Centrum Pomocy Rodzinie", "Muzeum Wisły", "Szkoła Podstawowa nr 5",
        "Młodzieżowy Dom Kultury", "Urząd Gminy Pelplin", "Poradnia Psychologiczno-Pedagogiczna",
        "Centrum Integracji Społecznej", "Dom Pomocy Społecznej w Ciepłem"],
    Sector.BUSINESS: [
        "Bank Spółdzielczy w Tczewie", "Drukarnia Kociewiak", "Pracownia Komputerowa Bajt",
        "Cukiernia Słodki Kąsek", "Hotel Pod Żurawiem", "Kwiaciarnia Róża", "Studio Graficzne Kreska",
        "Piekarnia Złoty Kłos", "Przewozy Pasażerskie Grześ", "Agencja Reklamowa Łódź Podwodna",
        "Sklep Rowerowy Szprycha", "Catering Smaczny Kąt", "Kancelaria Prawna Wiśniewski i Wspólnicy",
        "Fotografia Światłoczuła", "Firma Budowlana Dąb", "Salon Fryzjerski Grzywka",
        "Księgarnia Przy Rynku", "Pizzeria Ząbek"],
    Sector.SOCIAL_COOPERATIVE: [
        "Spółdzielnia Socjalna Gościniec", "Spółdzielnia Socjalna Pracownia Zieleni",
        "Spółdzielnia Socjalna Szyjemy Razem", "Spółdzielnia Socjalna Pomocna Dłoń",
        "Spółdzielnia Socjalna Kuchnia Kociewska", "Spółdzielnia Socjalna Złota Rączka"],
    Sector.INFORMAL_GROUP: [
        "Grupa Rękodzielnicza Igiełka", "Koło Gospodyń Wiejskich w Rokitkach",
        "Klub Planszówkowy Pionek", "Grupa Biegowa Żwawe Kociewie", "Chór Parafialny Cantilena",
        "Klub Fotograficzny Migawka"],
}
RESIDENTS = 10  # residents come as themselves
TOWNS = ["Tczew", "Pelplin", "Gniew", "Subkowy", "Morzeszczyn", "Swarożyn"]


@dataclass
class DemoLogins:
    fair: Fair
    organiser: Participant
    notary: Participant
    broker: Participant  # "makler": the brokers' worklist, introductions
    participant: Participant  # one of the people who log in by their private link
    password: str
    coordinator: Participant  # the organiser's account at the network's space

    # What the audit log records of the demo's creation: its fair, and its first organiser.
    @property
    def fair_id(self) -> int:
        return self.fair.id

    @property
    def audit_target(self) -> Participant:
        return self.organiser


@service
def create_demo_fair(slug: str = "demo", seed: int = 2010) -> DemoLogins:
    """Create the demo fair in one transaction (one audit entry). Raises if the slug exists."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    organiser = create_fair_with_organiser(FirstFair(
        fair=FairData(
            slug=slug, name="Giełda Zasobów Tczew (demo)",
            venue="Starostwo Powiatowe w Tczewie, ul. Piłsudskiego 2",
            starts_at=now + timedelta(days=1), trading_opens_at=now + timedelta(days=1, hours=1),
            trading_closes_at=now + timedelta(days=1, hours=2, minutes=30)),
        organiser=PersonData("Grażyna", "Żebrowska", ORGANISER_EMAIL, "+48 58 531 00 00", show_email=True),
        organisation=OrganisationData("Starostwo Powiatowe w Tczewie", Sector.PUBLIC, city="Tczew"),
        password=DEMO_PASSWORD))
    fair = organiser.fair
    set_registration_open(organiser, fair.id, True)
    # The network's coordinator: the organiser's own account at the network's space.
    coordinator = set_network_coordinator(SystemActor("demo"), organiser.id, True)
    assert coordinator is not None  # made just now
    notary = create_participant(
        fair.id, PersonData("Jerzy", "Łęcki", NOTARY_EMAIL, role=Role.NOTARY),
        OrganisationData("Fundacja Pokolenia", Sector.NGO, city="Tczew"))
    set_password_unchecked(notary, DEMO_PASSWORD)
    broker = create_participant(
        fair.id, PersonData("Marta", "Wiśniewska", BROKER_EMAIL, role=Role.BROKER),
        OrganisationData("Fundacja Pokolenia", Sector.NGO, city="Tczew"))
    set_password_unchecked(broker, DEMO_PASSWORD)

    used: set[tuple[str, str]] = set()

    def person() -> PersonData:
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if (first.endswith("a") and last.endswith("ski")) or (first.endswith("a") and last.endswith("cki")):
                last = last[:-1] + "a"
            if (first, last) not in used:
                used.add((first, last))
                break
        email = f"{_ascii(first)}.{_ascii(last)}@example.org".lower()
        return PersonData(first, last, email, f"+48 {rng.randint(500, 799)} {rng.randint(100, 999)} "
                          f"{rng.randint(100, 999)}", show_email=rng.random() < 0.6,
                          show_phone=rng.random() < 0.3)

    count = 2
    target = 157
    orgs = [(s, n) for s, names in ORGS.items() for n in names]
    for i, (sector, name) in enumerate(orgs):
        # Larger entities send two or three people, as in Tczew (157 people, 78 entities).
        size = 3 if i % 5 == 0 else 2
        if i >= len(orgs) - 4:
            size = 1
        for _ in range(size):
            if count >= target - RESIDENTS:
                break
            create_participant(fair.id, person(),
                               OrganisationData(name, sector, city=rng.choice(TOWNS)))
            count += 1
    people = [create_participant(fair.id, person(), OrganisationData("", Sector.RESIDENT,
                                                                      city=rng.choice(TOWNS)))
              for _ in range(RESIDENTS)]
    people += participants_with_role(fair.id, Role.PARTICIPANT)
    _seed_profiles(fair.id, people, rng)
    posts = _seed_posts(fair.id, organiser, people, rng)
    _seed_agreements(fair.id, notary, posts, rng)
    return DemoLogins(fair=fair, organiser=organiser, notary=notary, broker=broker, participant=people[0],
                      password=DEMO_PASSWORD, coordinator=coordinator)


# What members say of themselves in the network's directory, by sector: (branch, description).
DEMO_PROFILES: dict[Sector, list[tuple[Branch, str]]] = {
    Sector.NGO: [(Branch.EDUCATION, "Zajęcia dla dzieci i młodzieży, szkolenia dla wolontariuszy."),
                 (Branch.SOCIAL_SERVICES, "Wspieramy seniorów i rodziny w trudnej sytuacji."),
                 (Branch.CULTURE, "Festyny, koncerty i warsztaty rękodzieła.")],
    Sector.PUBLIC: [(Branch.EDUCATION, "Sale na spotkania, biblioteka, zajęcia dla mieszkańców."),
                    (Branch.SOCIAL_SERVICES, "Pomoc społeczna i poradnictwo dla mieszkańców powiatu.")],
    Sector.BUSINESS: [(Branch.PRINTING, "Ulotki, plakaty i banery; projekt graficzny."),
                      (Branch.IT, "Serwis komputerów i strony internetowe."),
                      (Branch.TRANSPORT, "Przewóz osób i rzeczy w promieniu 50 km.")],
    Sector.SOCIAL_COOPERATIVE: [(Branch.CATERING, "Catering na spotkania do 150 osób, obiady dla szkół."),
                                (Branch.CLEANING, "Sprzątanie biur i terenów zielonych.")],
    Sector.INFORMAL_GROUP: [(Branch.CULTURE, "Śpiewamy, gotujemy i organizujemy potańcówki."),
                            (Branch.CRAFTS, "Rękodzieło, szycie i haft.")],
}


# What the Tczew fair exchanged most: rooms, promotion, volunteers, catering, equipment,
# IT service, art classes, trainings, workshops.
DEMO_POSTS: list[tuple[PostKind, str, str, str]] = [
    (PostKind.OFFER, "rooms", "Sala konferencyjna na 40 osób", "Z rzutnikiem i nagłośnieniem, wtorki po 16."),
    (PostKind.OFFER, "rooms", "Pracownia plastyczna w sobotę", "Stoły, sztalugi, umywalka."),
    (PostKind.NEED, "rooms", "Sala na próby chóru", "Raz w tygodniu wieczorem, 25 osób."),
    (PostKind.NEED, "rooms", "Miejsce na zbiórkę darów", "Suche pomieszczenie na dwa tygodnie w grudniu."),
    (PostKind.OFFER, "promotion", "Plakaty i ulotki w naszej drukarni", "Do 200 sztuk A3."),
    (PostKind.OFFER, "promotion", "Post w mediach społecznościowych", "Nasz profil ma 5 tys. obserwujących."),
    (PostKind.NEED, "promotion", "Promocja festynu rodzinnego", "Potrzebujemy zasięgu w mediach lokalnych."),
    (PostKind.OFFER, "volunteers", "Wolontariusze na festyn", "Pięć osób na sobotę, obsługa stoisk."),
    (PostKind.NEED, "volunteers", "Wolontariusze do czytania seniorom", "Dwie godziny w tygodniu."),
    (PostKind.NEED, "volunteers", "Pomoc przy sprzątaniu brzegu Wisły", "Akcja w maju, potrzeba 20 osób."),
    (PostKind.OFFER, "catering", "Catering na spotkanie do 30 osób", "Kanapki, ciasto, kawa i herbata."),
    (PostKind.OFFER, "catering", "Ciasto na festyn", "Dziesięć blach drożdżowego."),
    (PostKind.NEED, "catering", "Poczęstunek na wernisaż", "Około 50 gości."),
    (PostKind.OFFER, "equipment", "Nagłośnienie i mikrofony", "Do wypożyczenia na weekend."),
    (PostKind.OFFER, "equipment", "Namiot 6×3 m", "Z obciążnikami."),
    (PostKind.NEED, "equipment", "Rzutnik multimedialny", "Na warsztaty w świetlicy."),
    (PostKind.NEED, "equipment", "Laptopy do kursu dla seniorów", "Pięć sztuk na dwa tygodnie."),
    (PostKind.OFFER, "it_service", "Serwis komputerów i instalacja oprogramowania", "Dwie godziny pracy informatyka."),
    (PostKind.NEED, "it_service", "Strona internetowa stowarzyszenia", "Prosta strona z kalendarzem wydarzeń."),
    (PostKind.NEED, "it_service", "Pomoc z konfiguracją sieci Wi-Fi", "W świetlicy osiedlowej."),
    (PostKind.OFFER, "art_classes", "Zajęcia plastyczne dla dzieci", "Cztery spotkania po 90 minut."),
    (PostKind.OFFER, "art_classes", "Warsztaty ceramiki", "Glina i wypał w naszym piecu."),
    (PostKind.NEED, "art_classes", "Zajęcia teatralne dla młodzieży", "Grupa 12 osób, wakacje."),
    (PostKind.OFFER, "trainings", "Szkolenie z pisania wniosków grantowych", "Trzy godziny, do 15 osób."),
    (PostKind.OFFER, "trainings", "Szkolenie z pierwszej pomocy", "Z certyfikatem PCK."),
    (PostKind.NEED, "trainings", "Szkolenie z księgowości dla NGO", "Dla zarządu i wolontariuszy."),
    (PostKind.NEED, "trainings", "Szkolenie z RODO", "Krótkie szkolenie dla 8 osób."),
    (PostKind.OFFER, "workshops", "Warsztaty kulinarne kuchni kociewskiej", "Dla 10 osób."),
    (PostKind.NEED, "workshops", "Warsztaty rękodzieła dla seniorów", "Raz w miesiącu."),
    (PostKind.OFFER, "expertise", "Porada prawna dla organizacji", "Godzina konsultacji."),
    (PostKind.NEED, "expertise", "Doradztwo w sprawie założenia spółdzielni", "Dwie konsultacje."),
    (PostKind.OFFER, "transport", "Bus z kierowcą na wycieczkę", "Do 8 osób, w promieniu 50 km."),
    (PostKind.NEED, "transport", "Transport mebli do świetlicy", "Jeden kurs w Tczewie."),
]


def _seed_profiles(fair_id: int, people: list[Participant], rng: random.Random) -> None:
    """Two in three organisations opt in to the network's public directory, with a branch and a
    line of what they do (said by one of their people, as on their page in the network)."""
    done: set[int] = set()
    for person in people:
        org = person.organisation
        if org.id in done or org.sector not in DEMO_PROFILES:
            continue
        done.add(org.id)
        if rng.random() < 2 / 3:
            branch, description = rng.choice(DEMO_PROFILES[org.sector])
            update_member_profile(person, fair_id, MemberProfile(
                public_profile=True, branch=branch, description=description, city=org.city,
                website=f"https://{re.sub('[^a-z0-9]', '', _ascii(org.name))[:30]}.example.org"))


def _seed_posts(fair_id: int, organiser: Participant, people: list[Participant],
                rng: random.Random) -> list[Post]:
    """Open trading (the demo starts mid-fair) and post the offers and needs above."""

    open_trading(organiser, fair_id, 90)
    categories = {c.key: c.id for c in fair_categories(fair_id)}
    authors = rng.sample(people, len(DEMO_POSTS))
    return [create_post(author, fair_id, PostData(kind=kind, category_id=categories[key], title=title,
                                                  details=details))
            for author, (kind, key, title, details) in zip(authors, DEMO_POSTS, strict=True)]


DEMO_AGREEMENTS = 12
DEMO_FOLLOWED_UP = 5  # of them, the first obligation confirmed by its receiver, with feedback
DEMO_FEEDBACK = [
    (5, "Sala była gotowa przed czasem, a gospodarze pomogli ustawić krzesła. Dziękujemy!"),
    (4, "Wszystko zgodnie z umową; następnym razem umówimy się wcześniej na godzinę."),
    (5, "Świetna współpraca, na pewno się jeszcze wymienimy."),
    (3, ""),
    (5, "Profesjonalnie i z sercem. Polecamy innym organizacjom."),
]
COUNTER_SERVICES = ["Promocja wydarzenia w naszym biuletynie", "Dwóch wolontariuszy na 4 godziny",
                    "Ciasto i kawa na spotkanie", "Sala na jedno popołudnie", "Wydruk 100 ulotek",
                    "Godzina porady prawnej"]


def _seed_agreements(fair_id: int, notary: Participant, posts: list[Post], rng: random.Random) -> None:
    """A dozen agreements signed and countersigned, each answering an offer with a service back."""

    offers = [p for p in posts if p.kind == PostKind.OFFER]
    needers = [p.author for p in posts if p.kind == PostKind.NEED]
    done = 0
    for offer in offers[:DEMO_AGREEMENTS]:
        taker = next((n for n in rng.sample(needers, len(needers))
                      if n.organisation_id != offer.organisation_id), None)
        if taker is None:
            continue
        giver = offer.author
        draft = start_agreement(taker, fair_id, giver.id, post_id=offer.id)
        data = AgreementData(
            parties=[PartyData(p.organisation_id, p.id, p.full_name, p.email) for p in (taker, giver)],
            obligations=[
                ObligationData(giver.organisation_id, taker.organisation_id, offer.title, post_id=offer.id,
                               category_id=offer.category_id, hours=rng.randint(2, 6)),
                ObligationData(taker.organisation_id, giver.organisation_id, rng.choice(COUNTER_SERVICES),
                               hours=rng.randint(1, 4))])
        draft = save_draft(taker, fair_id, draft.id, data, version=draft.version)
        sign_agreement(taker, fair_id, draft.id, draft.version)
        sign_agreement(giver, fair_id, draft.id, draft.version)
        agreement = notarise(notary, fair_id, draft.id, draft.version)
        if done < DEMO_FOLLOWED_UP:  # some are already followed up: realised value, ratings, words
            rating, words = DEMO_FEEDBACK[done]
            confirm_delivery(taker, fair_id, agreement.obligations[0].id, rating=rating, testimonial=words,
                             quote_consent=bool(words))
        done += 1


def demo_exists(slug: str = "demo") -> bool:
    return fair_by_slug(slug) is not None


def _ascii(value: str) -> str:

    return search_key(value).replace(" ", "")
