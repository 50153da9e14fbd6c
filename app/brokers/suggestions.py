"""A new post's best matches, pushed to the poster's phone and to the fair's brokers.

When a post is created, or edited substantively (its kind, category, title or details changed),
its matches (app/matching/ranking.py `suggestions_for`) go out as private events: to the poster
("3 potrzeby pasują do Twojej oferty", a link to the matches page) and to every broker of the
fair ("Nowa potrzeba „…”: pasują 2 oferty", the worklist).

Where it runs, and why:

* The floor sits below the matcher and knows nothing of it. This area listens to the Post model
  itself (SQLAlchemy mapper events, as app/agreements/pdf.py listens to the content hash): when
  the post's own transaction commits, it writes a `SuggestionRun` row (post, version) in it —
  nothing else, so the post request pays one small insert.
* After that transaction commits, the run is pushed: in a serving process, in a background task
  of the Socket.IO server (a greenlet under gevent, a thread otherwise), so the poster's response
  does not wait for the ranker; the events are emitted by the process that holds the
  phones' sockets (a task queue consumer in a child process could not reach them without a
  Redis message queue). Outside a serving process (a CLI command such as the demo, a
  task consumer), when TESTING, or with `SUGGESTIONS_PUSH = "inline"`, it runs at once, before
  the call returns; with `SUGGESTIONS_PUSH = "queue"` it goes to the task queue (a
  deployment whose consumers share the web processes' Redis message queue).
* Pushing reads the matches outside any write transaction, then, in one short transaction, locks
  the run, records the events and marks it delivered: a run is pushed exactly once however many
  try. If the process dies first, the run stays pending; the task queue's minutely sweep
  (`@resumer`) queues pending runs older than a minute again (`brokers.push_suggestions`), so no
  suggestion is lost (those events reach the phones live with a Redis message queue, and
  otherwise at their next resync or page load, as every private event does).
"""

from __future__ import annotations

import functools
import logging
import threading
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import ngettext
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, SessionTransaction, joinedload, object_session

from app.brokers.languages import in_every_language
from app.brokers.models import SuggestionRun
from app.core.extensions import db, socketio
from app.core.serving import live_batches
from app.core.storage.db import utcnow
from app.core.storage.events import after_commit, record_event
from app.core.storage.transactions import transaction
from app.core.tasks import resumer, run_in_app, task
from app.fairs.roles import Role
from app.floor.kinds import PostKind
from app.floor.models import Post
from app.matching.ranking import Suggestion, suggestions_for
from app.people.models import Participant

log = logging.getLogger(__name__)

LIMIT = 10  # matches counted ("3 potrzeby pasują…")
SHOWN = 3  # matches carried in the notice itself
SUBSTANCE = ("kind", "category_id", "title", "details")  # an edit of these is pushed again
QUEUED_KEY = "gielda_suggestion_runs"
RESUME_WITHIN = timedelta(days=1)  # older pending runs are stale news: not pushed any more
_pushing = threading.BoundedSemaphore(2)  # background pushes at once per process (each holds a connection)

POSTER_EVENT = "suggestions.found"  # to the poster's own room
BROKER_EVENT = "suggestions.for_brokers"  # to each broker's own room


# --- in the post's transaction: a pending run --------------------------------------------------

@event.listens_for(Post, "after_insert")
def _post_created(_mapper: Mapper[Post], _connection: Connection, post: Post) -> None:
    _mark(post)


@event.listens_for(Post, "after_update")
def _post_updated(_mapper: Mapper[Post], _connection: Connection, post: Post) -> None:
    state = inspect(post)
    if any(state.attrs[name].history.has_changes() for name in SUBSTANCE):
        _mark(post)


def _mark(post: Post) -> None:
    """Remember the post until its transaction commits: its version is final only then (an edit
    may flush its new title before it bumps the version)."""
    session = object_session(post)
    if session is not None:
        session.info.setdefault(QUEUED_KEY, {})[post.id] = post


@event.listens_for(Session, "before_commit")
def _write_runs(session: Session) -> None:
    """The outermost commit: a pending run for each post created or changed in substance."""
    if session.in_nested_transaction() or not session.info.get(QUEUED_KEY):
        return
    session.flush()  # whatever is still to be written (a bumped version) first
    marked: dict[int, Post] = session.info.pop(QUEUED_KEY, {})
    app: Flask | None = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
    connection = session.connection()
    for post_id, post in sorted(marked.items()):
        if not inspect(post).persistent:  # gone with a rolled-back savepoint, or deleted
            continue
        version = post.version
        if connection.scalar(select(SuggestionRun.id).where(SuggestionRun.post_id == post_id,
                                                            SuggestionRun.post_version == version)):
            continue
        connection.execute(insert(SuggestionRun).values(fair_id=post.fair_id, post_id=post_id,
                                                        post_version=version, created_at=utcnow()))
        if app is not None:
            after_commit(functools.partial(_push_soon, app, post_id, version), session=session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction_: SessionTransaction) -> None:
    if transaction_.parent is None:
        session.info.pop(QUEUED_KEY, None)


def _push_soon(app: Flask, post_id: int, version: int) -> None:
    """After the commit: push now (inline) or in a background task of this serving process."""
    mode = app.config.get("SUGGESTIONS_PUSH") or ("background" if serving() and not app.testing else "inline")
    if mode == "inline":
        run_in_app(app, push_suggestions, post_id, version)
    elif mode == "queue":
        push_suggestions.enqueue(post_id, version)
    else:
        socketio.start_background_task(_push_in_background, app, post_id, version)


def serving() -> bool:
    """Is this process serving phones (`python -m app`), rather than a command or a consumer?"""
    return live_batches().batching


def _push_in_background(app: Flask, post_id: int, version: int) -> None:
    with _pushing:
        try:
            run_in_app(app, push_suggestions, post_id, version)
        except Exception:  # left pending: the sweep pushes it again
            log.exception("pushing the suggestions of post %s v%s failed", post_id, version)


# --- pushing a run ---------------------------------------------------------------------------------

def poster_text(kind: PostKind, count: int) -> str:
    """"3 potrzeby pasują do Twojej oferty" in the current language."""
    if kind == PostKind.OFFER:
        return ngettext("%(num)d need matches your offer", "%(num)d needs match your offer", count)
    return ngettext("%(num)d offer matches your need", "%(num)d offers match your need", count)


def broker_text(kind: PostKind, title: str, organisation: str, count: int) -> str:
    if kind == PostKind.OFFER:
        return ngettext("New offer “%(title)s” (%(organisation)s): %(num)d need matches it",
                        "New offer “%(title)s” (%(organisation)s): %(num)d needs match it",
                        count, title=title, organisation=organisation)
    return ngettext("New need “%(title)s” (%(organisation)s): %(num)d offer matches it",
                    "New need “%(title)s” (%(organisation)s): %(num)d offers match it",
                    count, title=title, organisation=organisation)


def match_summary(suggestion: Suggestion) -> dict[str, Any]:
    other = suggestion.post
    return {"id": other.id, "kind": other.kind.value, "title": other.title,
            "organisation": other.organisation.name, "author_badge": other.author.badge_code,
            "shared": list(suggestion.shared)}


def notice_payloads(post: Post, found: list[Suggestion]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the poster's phone and the brokers' phones get about this post's matches."""
    common = {"post_id": post.id, "kind": post.kind.value, "title": post.title, "count": len(found),
              "matches": [match_summary(s) for s in found[:SHOWN]]}
    poster = {**common, "text": in_every_language(lambda: poster_text(post.kind, len(found)))}
    brokers = {**common, "organisation": post.organisation.name, "author": post.author.full_name,
               "author_badge": post.author.badge_code,
               "text": in_every_language(lambda: broker_text(post.kind, post.title, post.organisation.name,
                                                              len(found)))}
    return poster, brokers


def pending_run(post_id: int, version: int) -> SuggestionRun | None:
    return db.session.scalar(select(SuggestionRun).where(SuggestionRun.post_id == post_id,
                                                         SuggestionRun.post_version == version))


@task("brokers.push_suggestions")
def push_suggestions(post_id: int, version: int) -> int | None:
    """Push the matches of this post version once (see the module docstring). Returns how many
    matches were pushed, or None when the run had been pushed already (or is gone)."""
    run = pending_run(post_id, version)
    if run is None or run.delivered_at is not None:
        return None
    post = db.session.scalar(select(Post).options(joinedload(Post.organisation), joinedload(Post.author))
                             .where(Post.id == post_id))
    found: list[Suggestion] = []
    payloads = None
    # A version edited since (a newer run says the newer thing) or no longer live: nothing to say.
    if post is not None and post.version == version and post.is_live:
        found = suggestions_for(post, limit=LIMIT)
        if found:
            payloads = notice_payloads(post, found)
    poster_id = post.author_id if post is not None else None
    return _deliver(run.id, poster_id, payloads, len(found))


def _deliver(run_id: int, poster_id: int | None, payloads: tuple[dict[str, Any], dict[str, Any]] | None,
             found: int) -> int | None:
    """Record the notices and mark the run delivered, in one transaction, under the run's lock."""
    with transaction():
        run = db.session.get(SuggestionRun, run_id, with_for_update=True, populate_existing=True)
        if run is None or run.delivered_at is not None:
            return None  # another process pushed it meanwhile
        if payloads is not None and poster_id is not None:
            to_poster, to_brokers = payloads
            record_event(run.fair_id, POSTER_EVENT, to_poster, participant_id=poster_id)
            for broker_id in fair_brokers(run.fair_id):
                record_event(run.fair_id, BROKER_EVENT, to_brokers, participant_id=broker_id)
        run.delivered_at = utcnow()
        run.found = found
        return found


def fair_brokers(fair_id: int) -> list[int]:
    """The fair's brokers (makler), by id: each gets the notices in their own room."""
    return list(db.session.scalars(select(Participant.id).where(
        Participant.fair_id == fair_id, Participant.role == Role.BROKER, Participant.removed_at.is_(None))
        .order_by(Participant.id)))


@resumer
def _resume_pushes(min_age: float) -> None:
    """Runs a dead process left pending (younger than a day): queued again."""
    now = utcnow()
    rows = db.session.execute(select(SuggestionRun.post_id, SuggestionRun.post_version).where(
        SuggestionRun.delivered_at.is_(None), SuggestionRun.created_at >= now - RESUME_WITHIN,
        SuggestionRun.created_at <= now - timedelta(seconds=min_age)).order_by(SuggestionRun.id)).all()
    for post_id, version in rows:
        push_suggestions.enqueue(post_id, version)
