"""Offers and needs: post, edit, withdraw, mark taken; organisers hide and restore."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import Conflict, Forbidden, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.core.storage.events import record_event
from app.core.storage.transactions import service
from app.core.textkeys import search_key, tidy
from app.core.web.formkeys import Sent, lock_form_key, scoped_key
from app.core.web.sent_actions import earlier_action, record_action
from app.fairs.categories import get_category
from app.fairs.models import Category, Fair, FairState
from app.fairs.roles import Role, require_role
from app.floor.kinds import PostKind, PostState, Unit
from app.floor.models import Post
from app.floor.queries import find_post
from app.people.models import Participant
from app.people.queries import reread_actor

MAX_TITLE = 120
MAX_DETAILS = 2000


@dataclass
class PostData:
    kind: PostKind
    category_id: int
    title: str
    details: str = ""
    quantity: int | None = None
    unit: Unit | None = None
    available_when: str = ""


def post_payload(post: Post) -> dict[str, Any]:
    """What phones and the big screen receive about a post (public information only)."""
    return {
        "id": post.id,
        "kind": post.kind.value,
        "title": post.title,
        "details": post.details[:300],
        "quantity": post.quantity,
        "unit": post.unit.value if post.unit else None,
        "available_when": post.available_when,
        "category_id": post.category_id,
        "category": post.category.name,  # clients show their own locale's label by category_id
        "organisation": post.organisation.name,
        "sector": post.organisation.sector.value,
        "author_badge": post.author.badge_code,
        "state": post.state.value,
        "live": post.is_live,
        "version": post.version,
        "created_at": post.created_at.isoformat(),
        "expires_at": post.expires_at.isoformat() if post.expires_at else None,
    }


def standing_until(fair: Fair) -> datetime | None:
    """When a post made now ends: between fairs (the network's space) after STANDING_POST_DAYS,
    unless renewed; at a fair, never (the fair's end closes it)."""
    if not fair.is_network:
        return None
    return utcnow() + timedelta(days=current_app.config["STANDING_POST_DAYS"])


def get_post(fair_id: int, post_id: int) -> Post:
    post = find_post(fair_id, post_id)
    if post is None:
        raise NotFound(_l("This post does not exist."), code="post_not_found")
    return post


def require_trading(fair: Fair) -> None:
    if fair.state != FairState.TRADING:
        raise Conflict(_l("Trading is closed: new offers, needs and agreements are accepted only "
                          "between the opening and the closing gong."), code="trading_closed")


def _validate(fair_id: int, data: PostData, allow_archived_id: int | None = None) -> Category:
    if not tidy(data.title):
        raise ValidationError(_l("Give your post a title."), code="title_missing")
    if len(tidy(data.title)) > MAX_TITLE or len(data.details or "") > MAX_DETAILS:
        raise ValidationError(_l("The title or the details are too long."), code="post_too_long")
    if data.quantity is not None and not 0 < data.quantity <= 100_000:
        raise ValidationError(_l("The quantity must be a positive whole number."), code="invalid_quantity")
    if data.unit is not None and data.quantity is None:
        raise ValidationError(_l("Give a quantity for the unit."), code="unit_without_quantity")
    category = get_category(fair_id, data.category_id)
    if category.archived and category.id != allow_archived_id:
        raise ValidationError(_l("This category is no longer in use; choose another."),
                              code="category_archived")
    return category


def _apply(post: Post, data: PostData) -> None:
    post.kind = PostKind(data.kind)
    post.category_id = data.category_id
    post.title = tidy(data.title)
    post.details = (data.details or "").strip()
    post.quantity = data.quantity
    post.unit = Unit(data.unit) if data.unit else None
    post.available_when = tidy(data.available_when)
    post.updated_at = utcnow()


def _index(post: Post) -> None:
    post.search_text = search_key(" ".join([post.title, post.details, post.organisation.name,
                                            post.available_when]))


def _own(actor: Participant, fair_id: int, post: Post) -> None:
    require_role(actor, fair_id)
    if post.organisation_id != actor.organisation_id:
        raise Forbidden(_l("Only people from the organisation that posted this can change it."),
                        code="not_your_post")


def _event(type_: str, post: Post) -> None:
    db.session.flush()
    db.session.refresh(post, ["organisation", "author", "category"])
    record_event(post.fair_id, type_, post_payload(post))


def post_for_form_key(actor: Participant, fair_id: int, form_key: str | None) -> Post | None:
    """The post the actor already created with this one-time form key, if any."""
    key = scoped_key(actor.id, form_key)
    if key is None:
        return None
    return db.session.scalar(select(Post).where(Post.fair_id == fair_id, Post.form_key == key))


def _earlier_post(actor: Participant, fair_id: int, form_key: str | None) -> Post | None:
    """Inside a create: wait for any request with the same key, then what it created."""
    lock_form_key(fair_id, scoped_key(actor.id, form_key))
    return post_for_form_key(actor, fair_id, form_key)


@service
def create_post(actor: Participant, fair_id: int, data: PostData, form_key: str | None = None) -> Post:
    """Post an offer or a need for the actor's organisation (only while trading).

    `form_key`: the one-time key of the form sent (app/formkeys.py). A second call by the same
    person with the same key — even at the same moment — creates nothing and returns the post
    the first call created."""
    return _create_post(actor, fair_id, data, form_key).row


@service
def submit_post(actor: Participant, fair_id: int, data: PostData, form_key: str) -> Sent[Post]:
    """The new-post form: `create_post` with the form's one-time key, saying whether this request
    created the post or the same form had been sent before (`created` False: nothing new)."""
    return _create_post(actor, fair_id, data, form_key)


def _create_post(actor: Participant, fair_id: int, data: PostData, form_key: str | None) -> Sent[Post]:
    actor = require_role(reread_actor(actor), fair_id)
    earlier = _earlier_post(actor, fair_id, form_key)
    if earlier is not None:
        return Sent(earlier, created=False)
    fair = db.session.get_one(Fair, fair_id)
    require_trading(fair)
    category = _validate(fair_id, data)
    # Its relations are the rows this transaction has just read: nothing to load back after the insert.
    post = Post(fair_id=fair_id, organisation=actor.organisation, author=actor, category=category,
                form_key=scoped_key(actor.id, form_key), expires_at=standing_until(fair))
    _apply(post, data)
    _index(post)
    db.session.add(post)
    db.session.flush()
    record_event(fair_id, "post.created", post_payload(post))
    return Sent(post, created=True)


def _locked(fair_id: int, post_id: int) -> Post:
    post = db.session.get(Post, post_id, with_for_update=True)
    if post is None or post.fair_id != fair_id:
        raise NotFound(_l("This post does not exist."), code="post_not_found")
    return post


def _check_version(post: Post, version: int | None) -> None:
    if version is not None and version != post.version:
        raise Conflict(_l("Someone changed this post in the meantime. Look at it again and repeat "
                          "your change."), code="post_changed")


EDIT = "post.edit"  # the action's name in sent_actions


@service
def edit_post(actor: Participant, fair_id: int, post_id: int, data: PostData,
              version: int | None = None, key: str | None = None) -> Post:
    """Change the post the actor's organisation made, as read at `version`.

    `key`: the phone's one-time key for this edit (app/core/web/sent_actions.py). A second send
    with the same key changes nothing and returns the post (even though the first send moved its
    version on); an edit refused (a stale version among others) records nothing."""
    post = _locked(fair_id, post_id)
    _own(actor, fair_id, post)
    if earlier_action(actor.id, fair_id, key, EDIT, post.id):
        return post
    _check_version(post, version)
    if post.state != PostState.ACTIVE or post.is_expired:
        raise Conflict(_l("Only an active post can be edited."), code="post_not_active")
    _validate(fair_id, data, allow_archived_id=post.category_id)
    _apply(post, data)
    _index(post)
    post.version += 1
    record_action(actor.id, fair_id, key, EDIT, post.id)
    _event("post.updated", post)
    return post


def _set_state(actor: Participant, fair_id: int, post_id: int, state: PostState, event: str,
               version: int | None) -> Post:
    post = _locked(fair_id, post_id)
    _own(actor, fair_id, post)
    _check_version(post, version)
    if post.state == state:
        return post  # a double tap changes nothing and says nothing twice
    if post.state != PostState.ACTIVE:
        raise Conflict(_l("This post is no longer active."), code="post_not_active")
    post.state = state
    post.version += 1
    post.updated_at = utcnow()
    _event(event, post)
    return post


@service
def renew_post(actor: Participant, fair_id: int, post_id: int) -> Post:
    """A standing offer or need between fairs lasts STANDING_POST_DAYS more from now (also once it
    has ended: renewing brings it back). A fair's posts do not end, so there is nothing to renew."""
    post = _locked(fair_id, post_id)
    _own(actor, fair_id, post)
    fair = db.session.get_one(Fair, fair_id)
    until = standing_until(fair)
    if until is None:
        raise Conflict(_l("Only a standing offer or need between fairs is renewed."), code="not_standing")
    if post.state != PostState.ACTIVE:
        raise Conflict(_l("This post is no longer active."), code="post_not_active")
    post.expires_at = until
    post.renewal_reminded_at = None
    post.version += 1
    post.updated_at = utcnow()
    _event("post.renewed", post)
    return post


@service
def withdraw_post(actor: Participant, fair_id: int, post_id: int, version: int | None = None) -> Post:
    return _set_state(actor, fair_id, post_id, PostState.WITHDRAWN, "post.withdrawn", version)


@service
def mark_post_taken(actor: Participant, fair_id: int, post_id: int, version: int | None = None) -> Post:
    return _set_state(actor, fair_id, post_id, PostState.TAKEN, "post.taken", version)


@service
def hide_post(actor: Participant, fair_id: int, post_id: int, reason: str) -> Post:
    """Moderation: the post disappears from the board; the reason and the organiser are kept."""
    require_role(actor, fair_id, Role.ORGANISER)
    post = _locked(fair_id, post_id)
    if not tidy(reason):
        raise ValidationError(_l("Say why the post is hidden."), code="reason_missing")
    if post.hidden_at is not None:
        return post
    post.hidden_at = utcnow()
    post.hidden_reason = tidy(reason)[:300]
    post.hidden_by_id = actor.id
    post.version += 1
    _event("post.hidden", post)
    return post


@service
def restore_post(actor: Participant, fair_id: int, post_id: int) -> Post:
    require_role(actor, fair_id, Role.ORGANISER)
    post = _locked(fair_id, post_id)
    if post.hidden_at is None:
        return post
    post.hidden_at = None
    post.version += 1
    _event("post.restored", post)
    return post
