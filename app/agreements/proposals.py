"""Proposing an exchange in a tap or two: both sides' obligations prefilled from their posts,
sent together with the proposer's signature.

From a scanned badge (the person's card), a match or a post, `draft_proposal` reads the two
organisations' live posts and prefills what each side gives, so that nothing must be typed:

* what they give me: the post tapped, when it is their offer or my need (completed with the
  post of the other side that best answers it: app/matching/ranking.py `suggestions_for`, one
  ranking); else their offer that best answers one of my needs, paired over the two
  organisations' live posts (`pair_score`: the word stems they share, the same category as a
  signal — read in two statements however many posts either has); else their newest live offer;
  else nothing (the page asks what, and the proposal may go with one side only);
* what I give them: the same, the other way round (my offer for one of their needs).

An obligation made from an offer that answers a need names the need (`post_id`: "is this need
answered?", as the control room counts), and takes the offer's title, category and quantity (the
need's quantity when it asks for less of the same unit). One made from a need alone (they give
me what I need) takes the need's. Hours: the quantity when the unit is hours, HOURS_PER_DAY per
day when it is days, otherwise DEFAULT_HOURS — a first value the proposer can change; the
points are hours × the fair's point rate (at most MAX_POINTS).

`propose_exchange` then makes the agreement, its obligations and the proposer's signature in
one transaction (audited; a one-time form key, so that a double tap proposes once) and tells
the counterpart's phone (`agreement.proposed`), where a notice opens the agreement to sign.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.agreements.drafting import (
    MAX_OBLIGATIONS,
    MAX_POINTS,
    ObligationData,
    add_obligation,
    earlier_agreement,
    new_agreement,
)
from app.agreements.events import notify_parties
from app.agreements.models import Agreement, AgreementState
from app.agreements.signing import add_own_signature
from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.web.formkeys import Sent
from app.fairs.models import Fair
from app.fairs.roles import require_role
from app.floor.board import organisation_posts, words
from app.floor.kinds import PostKind, Unit
from app.floor.models import Post
from app.floor.posts import get_post
from app.matching.ranking import suggestions_for
from app.people.models import Participant
from app.people.participants import get_participant

DEFAULT_HOURS = 1  # a post counted in pieces or people (or with no quantity): one hour, to be changed
HOURS_PER_DAY = 8
MAX_HOURS = 1000  # as the agreement editor allows
SUGGESTIONS = 50  # how far down a post's ranked answers to look for the other organisation's


@dataclass(frozen=True)
class ProposalSide:
    """What one organisation gives the other, as prefilled (blank: `offer` and `need` None)."""

    giver_organisation_id: int
    receiver_organisation_id: int
    offer: Post | None = None  # the giver's offer it is made from
    need: Post | None = None  # the receiver's need it answers
    quantity: int | None = None
    unit: Unit | None = None
    hours: int | None = None
    points: int = 0  # hours × the fair's point rate, as the agreement will count them

    @property
    def prefilled(self) -> bool:
        return self.offer is not None or self.need is not None

    @property
    def description(self) -> str:
        source = self.offer or self.need
        return source.title if source is not None else ""

    @property
    def when(self) -> str:
        source = self.offer or self.need
        return source.available_when if source is not None else ""

    @property
    def post_id(self) -> int | None:
        source = self.need or self.offer
        return source.id if source is not None else None

    @property
    def category_id(self) -> int | None:
        source = self.offer or self.need
        return source.category_id if source is not None else None

    @property
    def hours_guessed(self) -> bool:
        """The hours are DEFAULT_HOURS or counted from days, not the post's own hours."""
        return self.prefilled and self.unit != Unit.HOURS


@dataclass(frozen=True)
class Proposal:
    counterpart: Participant
    theirs: ProposalSide  # what they give me
    mine: ProposalSide  # what I give them
    point_rate: int


def proposal_hours(quantity: int | None, unit: Unit | None, point_rate: int) -> int:
    """The hours a post's quantity stands for (see the module's note), within what an obligation
    may hold: at most MAX_HOURS, and no more than MAX_POINTS at the fair's rate."""
    if quantity and unit == Unit.HOURS:
        hours = quantity
    elif quantity and unit == Unit.DAYS:
        hours = quantity * HOURS_PER_DAY
    else:
        hours = DEFAULT_HOURS
    return min(hours, MAX_HOURS, MAX_POINTS // max(point_rate, 1))


def _side(fair: Fair, giver: int, receiver: int, offer: Post | None, need: Post | None) -> ProposalSide:
    source = offer or need
    if source is None:
        return ProposalSide(giver, receiver)
    quantity, unit = source.quantity, source.unit
    if offer is not None and need is not None and need.quantity and need.unit == offer.unit and (
            offer.quantity is None or need.quantity < offer.quantity):
        quantity = need.quantity  # they ask for less than is offered
    hours = proposal_hours(quantity, unit, fair.point_rate)
    return ProposalSide(giver, receiver, offer, need, quantity, unit, hours, hours * fair.point_rate)


SAME_CATEGORY = 0.5  # what the same category adds to a pair's score (a signal, not a filter)


def pair_score(offer: Post, need: Post) -> float:
    """How well an offer answers a need, between two organisations' own posts: the word stems
    they share (app/floor/board.py `words`), and half a point for the same category; 0: not at all."""
    shared = words(f"{offer.title} {offer.details}") & words(f"{need.title} {need.details}")
    return len(shared) + (SAME_CATEGORY if offer.category_id == need.category_id else 0.0)


def _answer(post: Post, candidates: list[Post]) -> Post | None:
    """Of `candidates` (the other organisation's live posts of the other kind), the one that best
    answers `post`: as the fair's ranking places them; else by `pair_score`; None when none does.

    The ranking's answers count here only in the post's own category: it also lists what is
    merely related ("Catering na spotkanie" for "Sala na zebranie", through the thesaurus), which
    the matches page may show as a lead, but a prefilled obligation names the need it answers
    (the control room counts that need as answered), so an answer from another category has to
    share words with the post (`pair_score`)."""
    ids = {c.id for c in candidates}
    ranked = next((s.post for s in suggestions_for(post, limit=SUGGESTIONS)
                   if s.post.id in ids and s.post.category_id == post.category_id), None)
    if ranked is not None or not candidates:
        return ranked
    scored = [(_score(post, c), c) for c in candidates]
    best = max(scored, key=lambda sc: sc[0])  # the first (newest) of equals
    return best[1] if best[0] > 0 else None


def _score(post: Post, other: Post) -> float:
    return pair_score(post, other) if post.kind == PostKind.OFFER else pair_score(other, post)


def _best_pair(giver_offers: list[Post], receiver_needs: list[Post]) -> tuple[Post | None, Post | None]:
    """The giver's offer that best answers one of the receiver's needs (newest first among
    equals); else the giver's newest offer, answering no need in particular."""
    best: tuple[float, Post, Post] | None = None
    for need in receiver_needs:
        for offer in giver_offers:
            score = pair_score(offer, need)
            if score > 0 and (best is None or score > best[0]):
                best = (score, offer, need)
    if best is not None:
        return best[1], best[2]
    return (giver_offers[0] if giver_offers else None), None


def _pinned(fair_id: int, post_ids: list[int], organisations: tuple[int, int]) -> list[Post]:
    posts = []
    for post_id in dict.fromkeys(post_ids):
        post = get_post(fair_id, post_id)
        if post.organisation_id not in organisations:
            raise ValidationError(_l("The post belongs to neither party."), code="post_not_of_parties")
        if post.is_live:  # taken or withdrawn meanwhile: prefilled from what is still on offer
            posts.append(post)
    return posts


def _prefill(fair: Fair, giver: list[Post], receiver: list[Post], giver_id: int, receiver_id: int,
             offer: Post | None, need: Post | None) -> ProposalSide:
    """One side: from the posts tapped (`offer` of the giver, `need` of the receiver), completed
    with the best answer; with none tapped, the best pair of the two organisations' live posts
    (`giver`, `receiver`: each organisation's, newest first)."""
    offers = [p for p in giver if p.kind == PostKind.OFFER]
    needs = [p for p in receiver if p.kind == PostKind.NEED]
    if offer is not None and need is None:
        need = _answer(offer, needs)
    elif need is not None and offer is None:
        offer = _answer(need, offers)
    elif offer is None and need is None:
        offer, need = _best_pair(offers, needs)
    return _side(fair, giver_id, receiver_id, offer, need)


def draft_proposal(actor: Participant, fair_id: int, counterpart_id: int,
                   post_ids: list[int] | None = None) -> Proposal:
    """What a proposal to the counterpart says before the proposer sends it (reads only).
    `post_ids`: the posts tapped (of either organisation), which say what the sides give first."""
    require_role(actor, fair_id)
    fair = db.session.get_one(Fair, fair_id)
    other = get_participant(fair_id, counterpart_id)
    me, them = actor.organisation_id, other.organisation_id
    if me == them:
        raise ValidationError(_l("An agreement needs two different organisations."), code="same_organisation")
    tapped: dict[tuple[int, PostKind], Post] = {}
    for post in _pinned(fair_id, post_ids or [], (me, them)):
        tapped.setdefault((post.organisation_id, post.kind), post)
    my_posts, their_posts = organisation_posts(me), organisation_posts(them)
    theirs = _prefill(fair, their_posts, my_posts, them, me, tapped.get((them, PostKind.OFFER)),
                      tapped.get((me, PostKind.NEED)))
    mine = _prefill(fair, my_posts, their_posts, me, them, tapped.get((me, PostKind.OFFER)),
                    tapped.get((them, PostKind.NEED)))
    return Proposal(other, theirs, mine, fair.point_rate)


@service
def propose_exchange(actor: Participant, fair_id: int, counterpart_id: int, obligations: list[ObligationData],
                     form_key: str | None = None) -> Sent[Agreement]:
    """The proposal sent: an agreement between the actor's organisation and the counterpart's with
    these obligations, signed by the actor, awaiting the counterpart's signature — all or nothing.

    `form_key`: the proposal form's one-time key; the same form sent again (a double tap, even at
    the same moment) proposes nothing more and returns the first agreement (`created` False)."""
    require_role(actor, fair_id)
    earlier = earlier_agreement(actor, fair_id, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    fair = db.session.get_one(Fair, fair_id)
    agreement, other = new_agreement(actor, fair, counterpart_id, form_key)
    if not obligations:
        raise ValidationError(_l("Say what at least one side gives."), code="no_obligations")
    if len(obligations) > MAX_OBLIGATIONS:
        raise ValidationError(_l("Too many obligations in one agreement."), code="too_many_obligations")
    parties = (actor.organisation_id, other.organisation_id)
    for position, data in enumerate(obligations):
        if data.post_id is not None and get_post(fair_id, data.post_id).organisation_id not in parties:
            raise ValidationError(_l("The post belongs to neither party."), code="post_not_of_parties")
        add_obligation(agreement, fair, data, position)
    db.session.flush()
    add_own_signature(agreement, actor)
    agreement.state = AgreementState.AWAITING_SIGNATURES
    notify_parties(agreement, "agreement.proposed", exclude=actor.id, by=actor.full_name,
                   organisation=actor.organisation.name)
    return Sent(agreement, created=True)
