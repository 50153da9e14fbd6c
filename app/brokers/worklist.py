"""The brokers' worklist: who still stands alone on the floor, and whom to introduce them to.

* Needs nobody has answered yet: live needs that no agreement refers to (an obligation of a
  draft or signed agreement, not cancelled or annulled, names the post) and that no broker has
  introduced anyone over yet. Each with its best offers (`suggestions_for`).
* People with no post: participants whose organisation has posted nothing live at this fair.
  Their partners are found from what their organisation says about itself (its description at
  this fair, else its network member's public one): ranked once as if it were an offer (the
  needs it could answer) and once as if it were a need (the offers it could use), through the
  same matcher. The probe is a post that is
  never saved, of no category (the Polish matcher takes category as a signal, not as a filter;
  the old same-category rule, still behind `suggestions_for` until it lands, finds nothing for
  it). Without a description nothing is suggested: the broker goes and asks.
* Suggested exchange cycles of 3–4 organisations (app/brokers/cycles.py).

The lists are the same for every broker, organiser and notary of the fair: computed once per
public event number of the fair and shared (app/core/storage/snapshots.py), as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from app.agreements.models import Agreement, AgreementState, Obligation
from app.brokers.cards import Partner, PostCard
from app.brokers.cycles import Cycle, exchange_cycles
from app.brokers.models import Introduction
from app.core.extensions import db
from app.core.storage.snapshots import snapshot
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.floor.board import _live
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.matching.ranking import suggestions_for
from app.people.models import Organisation, Participant

SHOWN = 20  # needs and people listed
PARTNERS = 3  # suggested partners each


@dataclass(frozen=True)
class NeedItem:
    need: PostCard
    partners: tuple[Partner, ...]  # offers that answer it, best first


@dataclass(frozen=True)
class PersonItem:
    id: int
    name: str
    badge: str
    organisation_id: int
    organisation: str
    sector: str
    checked_in: bool
    partners: tuple[Partner, ...]  # posts of others that their organisation's description answers


@dataclass(frozen=True)
class Worklist:
    needs: tuple[NeedItem, ...]
    people: tuple[PersonItem, ...]
    cycles: tuple[Cycle, ...]


def unanswered_needs(fair_id: int, limit: int = SHOWN) -> list[Post]:
    """Live needs, oldest first, that no agreement refers to and no introduction was made over."""
    in_agreement = exists().where(
        Obligation.post_id == Post.id, Obligation.agreement_id == Agreement.id,
        Agreement.state.not_in([AgreementState.CANCELLED, AgreementState.ANNULLED]))
    introduced = exists().where(or_(Introduction.first_post_id == Post.id, Introduction.second_post_id == Post.id))
    return list(db.session.scalars(
        select(Post).options(joinedload(Post.organisation), joinedload(Post.author))
        .where(Post.fair_id == fair_id, Post.kind == PostKind.NEED, *_live(), ~in_agreement, ~introduced)
        .order_by(Post.created_at, Post.id).limit(limit)).unique())


def people_without_posts(fair_id: int, limit: int = SHOWN) -> list[Participant]:
    """Participants (not staff) whose organisation has no live post at this fair."""
    has_post = exists().where(Post.organisation_id == Participant.organisation_id, Post.fair_id == fair_id, *_live())
    return list(db.session.scalars(
        select(Participant).options(joinedload(Participant.organisation).joinedload(Organisation.member),
                                    joinedload(Participant.check_in))
        .where(Participant.fair_id == fair_id, Participant.removed_at.is_(None),
               Participant.role == Role.PARTICIPANT, ~has_post)
        .order_by(Participant.last_name, Participant.first_name, Participant.id).limit(limit)).unique())


def description_probes(person: Participant) -> list[Post]:
    """What the person's organisation says about itself, as an unsaved offer and an unsaved need
    (never added to the session: only the matcher reads them)."""
    org = person.organisation
    text = (org.description or org.member.description or "").strip()
    if not text:
        return []
    return [Post(fair_id=person.fair_id, organisation_id=person.organisation_id, author_id=person.id,
                 kind=kind, category_id=None, title=person.organisation.name, details=text, version=1)
            for kind in (PostKind.OFFER, PostKind.NEED)]


def partners_for_person(person: Participant, limit: int = PARTNERS) -> tuple[Partner, ...]:
    ranked = [s for probe in description_probes(person) for s in suggestions_for(probe, limit=limit)]
    ranked.sort(key=lambda s: -s.score)  # each kind's scores from its own call: good enough to interleave
    return tuple(Partner.of(s) for s in ranked[:limit])


def build_worklist(fair_id: int) -> Worklist:
    needs = tuple(NeedItem(PostCard.of(n), tuple(Partner.of(s) for s in suggestions_for(n, limit=PARTNERS)))
                  for n in unanswered_needs(fair_id))
    people = tuple(PersonItem(p.id, p.full_name, p.badge_code, p.organisation_id, p.organisation.name,
                              p.organisation.sector.value, p.check_in is not None, partners_for_person(p))
                   for p in people_without_posts(fair_id))
    return Worklist(needs, people, tuple(exchange_cycles(fair_id)))


def shared_worklist(fair: Fair) -> Worklist:
    """`build_worklist` at the fair's current public event number, shared by its brokers' phones
    (the views check the role first)."""
    return snapshot("brokers-worklist", fair.id, fair.event_seq, lambda: build_worklist(fair.id))
