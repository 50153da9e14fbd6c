"""Introductions: a broker brings two people together, and sees which became agreements.

`introduce()` records who was introduced to whom, by which broker, over which posts and when,
and tells both phones (a private event each) who the other is: name, organisation, the post
that brought them together, and their badge code (the phone links it to the card page, /p/<code>).
A double tap introduces once (the form's one-time key, app/core/web/formkeys.py).

An introduction "became an agreement" when an agreement of the same fair between the two
organisations was started after it (drafted, signed, …): the broker's list shows the most
advanced such agreement's state, or that there is none yet."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, joinedload

from app.agreements.models import Agreement, AgreementParty, AgreementState
from app.brokers.languages import in_every_language
from app.brokers.models import Introduction
from app.core.errors import NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.web.formkeys import Sent, lock_form_key, scoped_key
from app.fairs.roles import Role, require_role
from app.floor.models import Post
from app.people.models import Participant
from app.people.queries import reread_actor

EVENT = "introduction.made"  # to each of the two people's own rooms

# Which agreement tells the broker most: the furthest along, a cancelled one last.
PROGRESS = {AgreementState.FULFILLED: 5, AgreementState.SIGNED: 4, AgreementState.AWAITING_SIGNATURES: 3,
            AgreementState.DRAFT: 2, AgreementState.ANNULLED: 1, AgreementState.CANCELLED: 0}


def _person(fair_id: int, participant_id: int) -> Participant:
    person = db.session.scalar(select(Participant).options(joinedload(Participant.organisation))
                               .where(Participant.id == participant_id))
    if person is None or person.fair_id != fair_id or person.removed_at is not None:
        raise NotFound(_l("This person is not at this fair."), code="participant_not_found")
    return person


def _post_of(fair_id: int, person: Participant, post_id: int | None) -> Post | None:
    """The post that brings `person` in: one of their organisation's, at this fair."""
    if post_id is None:
        return None
    post = db.session.get(Post, post_id)
    if post is None or post.fair_id != fair_id or post.hidden_at is not None:
        raise NotFound(_l("This post does not exist."), code="post_not_found")
    if post.organisation_id != person.organisation_id:
        raise ValidationError(_l("The post must be one of that person's organisation."), code="post_not_theirs")
    return post


def card_of(person: Participant, post: Post | None) -> dict[str, Any]:
    """Who the other person is, as the phone shows it (public card information only)."""
    return {"id": person.id, "name": person.full_name, "organisation": person.organisation.name,
            "sector": person.organisation.sector.value, "badge": person.badge_code,
            "post": None if post is None else {"id": post.id, "kind": post.kind.value, "title": post.title}}


def introduction_for_form_key(actor: Participant, fair_id: int, form_key: str | None) -> Introduction | None:
    key = scoped_key(actor.id, form_key)
    if key is None:
        return None
    return db.session.scalar(select(Introduction).where(Introduction.fair_id == fair_id, Introduction.form_key == key))


@service
def introduce(actor: Participant, fair_id: int, first_id: int, second_id: int,
              first_post_id: int | None = None, second_post_id: int | None = None,
              form_key: str | None = None) -> Sent[Introduction]:
    """A broker introduces two people of two different organisations of this fair (optionally
    over a post of each); both get the other's card on their phone. The same form sent again
    (a double tap) introduces nobody twice: it returns the first introduction (`created` False)."""
    actor = require_role(reread_actor(actor), fair_id, Role.BROKER)
    lock_form_key(fair_id, scoped_key(actor.id, form_key))
    earlier = introduction_for_form_key(actor, fair_id, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    first, second = _person(fair_id, first_id), _person(fair_id, second_id)
    if first.organisation_id == second.organisation_id:
        raise ValidationError(_l("Introduce people of two different organisations."), code="same_organisation")
    first_post, second_post = _post_of(fair_id, first, first_post_id), _post_of(fair_id, second, second_post_id)
    intro = Introduction(fair_id=fair_id, broker=actor, first=first, second=second, first_post=first_post,
                         second_post=second_post, form_key=scoped_key(actor.id, form_key))
    db.session.add(intro)
    db.session.flush()
    for person, other, post in ((first, second, second_post), (second, first, first_post)):
        text = in_every_language(functools.partial(notice_text, actor, other, post))
        record_event(fair_id, EVENT, {"id": intro.id, "broker": actor.full_name, "other": card_of(other, post),
                                      "text": text}, participant_id=person.id)
    return Sent(intro, created=True)


def notice_text(broker: Participant, other: Participant, post: Post | None) -> str:
    """"Marek Makler (makler) przedstawia Ci: …" in the current language."""
    names = {"broker": broker.full_name, "name": other.full_name, "organisation": other.organisation.name}
    if post is None:
        return _("%(broker)s (broker) introduces you to %(name)s, %(organisation)s.", **names)
    return _("%(broker)s (broker) introduces you to %(name)s, %(organisation)s: “%(title)s”.",
             title=post.title, **names)


# --- what became of them ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    introduction: Introduction
    agreement: Agreement | None  # the furthest-along agreement between the two since, if any


def introductions_of(fair_id: int, broker_id: int | None = None, limit: int = 100) -> list[Outcome]:
    """The fair's introductions (a broker's own when `broker_id` is given), newest first, each with
    the agreement it became, if any: one between the two organisations, at this fair, started at
    or after the introduction."""
    query = (select(Introduction)
             .options(joinedload(Introduction.first).joinedload(Participant.organisation),
                      joinedload(Introduction.second).joinedload(Participant.organisation),
                      joinedload(Introduction.broker), joinedload(Introduction.first_post),
                      joinedload(Introduction.second_post))
             .where(Introduction.fair_id == fair_id)
             .order_by(Introduction.created_at.desc(), Introduction.id.desc()).limit(limit))
    if broker_id is not None:
        query = query.where(Introduction.broker_id == broker_id)
    intros = list(db.session.scalars(query).unique())
    return [Outcome(i, best) for i, best in zip(intros, agreements_after(fair_id, intros), strict=True)]


def agreements_after(fair_id: int, intros: list[Introduction]) -> list[Agreement | None]:
    """For each introduction, the furthest-along agreement between its two organisations started
    at or after it (read in one statement for the whole list)."""
    if not intros:
        return []
    orgs = {o for i in intros for o in (i.first.organisation_id, i.second.organisation_id)}
    one, other = aliased(AgreementParty), aliased(AgreementParty)
    rows = db.session.execute(
        select(Agreement, one.organisation_id, other.organisation_id)
        .join(one, one.agreement_id == Agreement.id).join(other, other.agreement_id == Agreement.id)
        .where(Agreement.fair_id == fair_id, one.organisation_id.in_(orgs), other.organisation_id.in_(orgs),
               one.organisation_id < other.organisation_id,
               Agreement.created_at >= min(i.created_at for i in intros))).all()
    by_pair: dict[tuple[int, int], list[Agreement]] = {}
    for agreement, a, b in rows:
        by_pair.setdefault((a, b), []).append(agreement)
    found: list[Agreement | None] = []
    for intro in intros:
        a, b = sorted((intro.first.organisation_id, intro.second.organisation_id))
        since = [ag for ag in by_pair.get((a, b), []) if ag.created_at >= intro.created_at]
        found.append(max(since, key=lambda ag: (PROGRESS[ag.state], ag.created_at), default=None))
    return found
