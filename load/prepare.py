"""A fair for N phones, built through the services, and the spec the phones read.

`python -m load.prepare --phones N --out SPEC` (DATABASE_URL, INSTANCE_PATH from the environment):
the fair `load` with its trading open, an organiser (e-mail, password), N participants in N/3
organisations, each with its login link and badge code, and the HTML of the board and the post
form as a phone sees them (the floor serves the same bytes)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import create_app
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.core.storage.transactions import transaction
from app.fairs.categories import fair_categories
from app.fairs.fairs import FairData, create_fair
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.fairs.trading import open_trading
from app.floor.board import BOARD_PAGE
from app.floor.kinds import PostKind
from app.floor.posts import PostData, create_post
from app.network.sectors import Sector
from app.people.credentials import set_password_unchecked
from app.people.models import Participant
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant

SLUG = "load"
ORGANISER_EMAIL = "organizator@load.example.org"
ORGANISER_PASSWORD = "load test organiser"
SECTORS = list(Sector)


def build(phones: int) -> dict[str, Any]:
    fair = create_fair(FairData(slug=SLUG, name="Giełda obciążeniowa", notary_required=False))
    with transaction():
        db.session.get_one(Fair, fair.id).registration_open = True
        organiser = create_participant(fair.id, PersonData("Grażyna", "Żebrowska", ORGANISER_EMAIL,
                                                           role=Role.ORGANISER),
                                       OrganisationData("Starostwo Powiatowe", Sector.PUBLIC))
        set_password_unchecked(organiser, ORGANISER_PASSWORD)
    organiser = db.session.get_one(Participant, organiser.id)
    open_trading(organiser, fair.id, 240)
    people = []
    orgs = max(phones // 3, 2)
    for n in range(phones):
        o = n % orgs
        with transaction():
            person = create_participant(
                fair.id, PersonData("Łucja", f"Żółkiewska-{n}", f"osoba{n}@load.example.org"),
                OrganisationData(f"Stowarzyszenie Źródło {o}", SECTORS[o % len(SECTORS)]))
            people.append({"id": person.id, "secret": person.login_secret, "badge": person.badge_code,
                           "organisation_id": person.organisation_id})
    categories = [c.id for c in fair_categories(fair.id)]
    return {"slug": SLUG, "fair_id": fair.id, "categories": categories, "phones": people,
            "organiser": {"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}}


def seed_board(fair_id: int, spec: dict[str, Any]) -> None:
    """A full first page of the board, so that the board every phone loads (and the floor serves)
    is the size it has during a burst of posts."""
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.fair_id == fair_id))}
    for n in range(BOARD_PAGE):
        phone = people[spec["phones"][n % len(spec["phones"])]["id"]]
        create_post(phone, fair_id, PostData(kind=PostKind.OFFER if n % 3 else PostKind.NEED,
                                             category_id=spec["categories"][n % len(spec["categories"])],
                                             title=f"Ogłoszenie {n}: sala, rzutnik albo transport",
                                             details="Na sobotę przed południem, z obsługą."))


def capture_pages(app: Any, spec: dict[str, Any]) -> dict[str, str]:
    """The board and the post form as the first phone sees them (for the floor to serve)."""
    client = app.test_client()
    slug = spec["slug"]
    assert client.get(f"/f/{slug}/login/{spec['phones'][0]['secret']}").status_code == 303
    board = client.get(f"/f/{slug}/board")
    form = client.get(f"/f/{slug}/posts/new")
    assert board.status_code == 200 and form.status_code == 200
    return {"board": board.get_data(as_text=True), "post_form": form.get_data(as_text=True)}


def capture_event(fair_id: int) -> dict[str, Any]:
    """The message a new post sends to every phone: one offer posted through the service."""
    phone = db.session.scalars(select(Participant).where(Participant.fair_id == fair_id,
                                                         Participant.role == Role.PARTICIPANT)).first()
    assert phone is not None
    category = fair_categories(fair_id)[0]
    post = create_post(phone, fair_id, PostData(kind=PostKind.OFFER, category_id=category.id,
                                                title="Sala konferencyjna na 30 osób z rzutnikiem"))
    event = db.session.scalars(select(DomainEvent).where(DomainEvent.fair_id == fair_id,
                                                         DomainEvent.participant_id.is_(None))
                               .order_by(DomainEvent.seq.desc())).first()
    assert event is not None and event.payload.get("id") == post.id, event
    return event.as_message()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    app = create_app({"TASKS_IMMEDIATE": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        spec = build(args.phones)
        seed_board(spec["fair_id"], spec)
        spec["pages"] = capture_pages(app, spec)
        spec["event"] = capture_event(spec["fair_id"])
        db.session.remove()
        db.engine.dispose()  # SQLite: the last connection closing folds the WAL into the file
    args.out.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    print(f"prepared {args.phones} phones in {args.out}", flush=True)


if __name__ == "__main__":
    main()
