"""Socket.IO handlers: who joins which rooms, catching up on missed events, rate limits.

Rooms: `fair:<id>` (public events of a fair), `participant:<id>` (one person's own events),
`screen:<id>` (the big screen, opened with the fair's display token). A client joins only the
rooms of its own fair: a logged-in participant their fair's and their own; the big screen its
fair's screen room; an anonymous board viewer only the public room of the fair it names.
Handshakes from other origins are refused by the server (cors_allowed_origins is never '*').

Resync requests are limited per connection (`SOCKET_RATELIMIT`) and per client address
(`SOCKET_CLIENT_RATELIMIT`), so that many connections of one client cannot flood the server;
a refused request is answered `rate_limited`, and the client retries later (static/js/live.js).
When every database connection of the process stays busy for the pool's whole timeout, a
handshake is refused and a resync answered `server_busy` (with `retry_after` seconds), and the
client tries again then, as a page answers 503 with Retry-After.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from itsdangerous import BadSignature
from limits import RateLimitItem, parse
from socketio.exceptions import ConnectionRefusedError as Refused
from sqlalchemy import Select, bindparam, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.http import parse_cookie

from app.core.errors import BUSY_RETRY_AFTER
from app.core.extensions import db, socketio
from app.core.storage.events import private_events_since, public_events_since
from app.core.web.inputs import DB_INT_MAX, forbidden_character, same_secret
from app.fairs.models import Fair
from app.fairs.queries import fair_by_slug
from app.people.auth import parse_user_id
from app.people.models import Participant

MAX_RESYNC = 1000
MAX_SEQ = DB_INT_MAX  # the sequence columns' range
SWEEP_SECONDS = 60.0  # how often keys with no hit left in their window are forgotten
REPLAYS_KEPT = 64  # public replays kept in memory, shared by every client that asks the same


class MovingWindow:
    """At most `amount` hits per key in any window of the limit's length, counted in memory.

    What `limits`' moving window does, without its memory storage's expiry timer: that storage
    starts a thread whenever its last timer has run out, which a reconnect storm of a thousand
    resyncs paid nearly once per resync. Here old hits are dropped when their key is hit again,
    and keys with nothing left in their window are swept every SWEEP_SECONDS.
    """

    def __init__(self) -> None:
        self._hits: dict[tuple[str, ...], tuple[deque[float], float]] = {}
        self._lock = threading.Lock()
        self._swept = time.monotonic()

    def hit(self, limit: RateLimitItem, *key: str) -> bool:
        window = float(limit.get_expiry())
        now = time.monotonic()
        with self._lock:
            if now - self._swept > SWEEP_SECONDS:
                self._sweep(now)
            hits, _ = self._hits.setdefault((*key, str(limit.amount), str(window)), (deque(), window))
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit.amount:
                return False
            hits.append(now)
            return True

    def _sweep(self, now: float) -> None:
        self._swept = now
        for key in [k for k, (hits, window) in self._hits.items() if not hits or hits[-1] <= now - window]:
            del self._hits[key]


_limiter = MovingWindow()
_limit = functools.lru_cache(maxsize=32)(parse)  # '30/10seconds' → RateLimitItem, parsed once
# Who each connection is: {"fair_id", "participant_id" (None when anonymous), "login_version",
# "screen": bool}
_clients: dict[str, dict[str, Any]] = {}


def _fair_by_slug(slug: Any) -> Fair | None:
    if not isinstance(slug, str) or len(slug) > 64 or forbidden_character([slug]):
        return None
    return fair_by_slug(slug)


def _session_login(app: Flask, environ: dict[str, Any]) -> tuple[int, int] | None:
    """(participant id, login version) from the session cookie of the handshake, read as Flask's
    cookie session reads it (signed, within the session's lifetime), without building a request;
    None when there is none, or when the app keeps its sessions otherwise."""
    interface = app.session_interface
    if type(interface) is not SecureCookieSessionInterface:
        return None
    cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(interface.get_cookie_name(app))
    serializer = interface.get_signing_serializer(app)
    if not cookie or serializer is None:
        return None
    try:
        data = serializer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
    except BadSignature:
        return None
    return parse_user_id(data.get("_user_id")) if isinstance(data, dict) else None


def _join(sid: str, client: dict[str, Any], *rooms: str) -> bool:
    _clients[sid] = client
    for room in rooms:
        socketio.server.enter_room(sid, room, namespace="/")
    return True


BUSY = {"code": "server_busy", "retry_after": BUSY_RETRY_AFTER}


def on_connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
    """Registered with python-socketio itself (see `_bare`): a phone's session cookie is read
    without building a whole Flask request, which a reconnect storm paid for every phone. Only
    a handshake that the session does not log in (e.g. the remember-me cookie) gets a request,
    for Flask-Login's own way."""
    app = environ.get("flask.app")  # set by Flask-SocketIO for every connection
    if app is None:
        return False
    try:
        return _connect(app, sid, environ, auth)
    except PoolTimeout as err:  # refused for now, and said so: the client comes back after retry_after
        _clients.pop(sid, None)
        app.logger.warning("Database connections exhausted: a live connection refused for now (%s)", err)
        raise Refused("server_busy", BUSY) from None  # the client gets the message and, as its data, BUSY


def _connect(app: Flask, sid: str, environ: dict[str, Any], auth: Any) -> bool:
    with app.app_context():
        login = _session_login(app, environ)
        if login is not None and _connect_participant(sid, *login):
            return True
        with app.request_context(environ):
            if current_user.is_authenticated:
                return _join(sid, {"fair_id": current_user.fair_id, "participant_id": current_user.id,
                                   "login_version": current_user.login_version, "screen": False},
                             f"fair:{current_user.fair_id}", f"participant:{current_user.id}")
        auth = auth if isinstance(auth, dict) else {}
        fair = _fair_by_slug(auth.get("fair"))
        if fair is None:
            return False
        token = auth.get("screen")
        if token is not None:
            if not same_secret(token, fair.display_token):
                return False
            return _join(sid, {"fair_id": fair.id, "participant_id": None, "screen": True}, f"screen:{fair.id}")
        return _join(sid, {"fair_id": fair.id, "participant_id": None, "screen": False}, f"fair:{fair.id}")


# The queries of a connection and its resyncs, built once: a reconnect storm runs each a
# thousand times, where SQLAlchemy's per-statement work (a connection, BEGIN, ROLLBACK, result
# processing) cost several times the query itself.
_P, _F = Participant.__table__.c, Fair.__table__.c
_LOGIN = select(_P.fair_id, _P.login_version, _P.removed_at, _P.login_revoked).where(_P.id == bindparam("pid"))
_PARTICIPANT_NUMBERS = (
    select(_F.event_seq, _F.created_at, _P.event_seq.label("private_seq"), _P.login_version, _P.removed_at,
           _P.login_revoked)
    .select_from(Participant.__table__.join(Fair.__table__, _F.id == _P.fair_id))
    .where(_P.id == bindparam("pid")))
_FAIR_NUMBERS = select(_F.event_seq, _F.created_at).where(_F.id == bindparam("fair_id"))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positions: tuple[str, ...] | None  # the parameters' order, for a positional paramstyle
    keys: tuple[str, ...]  # the columns' names


_compiled: dict[tuple[int, str], _Compiled] = {}


def _compile(statement: Select[Any], dialect: Dialect) -> _Compiled:
    key = (id(statement), f"{dialect.name}:{dialect.paramstyle}")
    if key not in _compiled:
        compiled = statement.compile(dialect=dialect)
        positions = tuple(compiled.positiontup or ()) if compiled.positional else None
        _compiled[key] = _Compiled(str(compiled), positions, tuple(statement.selected_columns.keys()))
    return _compiled[key]


def _one(statement: Select[Any], **params: int) -> dict[str, Any] | None:
    """One row as {column: value}, read on a pooled DBAPI connection with the statement compiled
    once. The values are the driver's own (SQLite: a boolean is 0/1, a time is text): these reads
    only compare them, test them for None and use them as keys. On SQLite the connection is in
    autocommit (app/core/storage/transactions.py), so the one SELECT reads a consistent snapshot
    without BEGIN; elsewhere the pool rolls back the driver's implicit transaction on return."""
    compiled = _compile(statement, db.engine.dialect)
    args: Any = tuple(params[name] for name in compiled.positions) if compiled.positions is not None else params
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(compiled.sql, args)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        connection.close()
    return None if row is None else dict(zip(compiled.keys, row, strict=True))


def _connect_participant(sid: str, participant_id: int, login_version: int) -> bool:
    """A phone logged in as this participant (per its session), if that login still holds: one
    query of four columns rather than Flask-Login loading the whole participant. When it does
    not, Flask-Login's own way decides (e.g. the remember-me cookie)."""
    row = _one(_LOGIN, pid=participant_id)
    if row is None or row["login_version"] != login_version or row["removed_at"] is not None \
            or row["login_revoked"]:
        return False
    return _join(sid, {"fair_id": row["fair_id"], "participant_id": participant_id, "login_version": login_version,
                       "screen": False}, f"fair:{row['fair_id']}", f"participant:{participant_id}")


def _register(message: str, handler: Callable[..., Any]) -> None:
    """With python-socketio itself, as Flask-SocketIO's `on` does: now, or at init_app."""
    if socketio.server:
        socketio.server.on(message, handler, namespace="/")
    else:
        socketio.handlers.append((message, handler, "/"))


_register("connect", on_connect)


def _bare(message: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a handler with python-socketio itself, run in an app context only, given the
    connection's sid and WSGI environ. Flask-SocketIO's `on` builds a whole request per event
    (the session cookie opened, the URL matched) — twice more per phone after its connect, which a
    reconnect storm paid about as much as for the resync itself."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        def run(sid: str, *args: Any) -> Any:
            environ = socketio.server.get_environ(sid) or {}
            app = environ.get("flask.app")  # set by Flask-SocketIO for every connection
            if app is None:
                return None
            with app.app_context():
                return handler(sid, environ, *args)

        _register(message, run)
        return handler

    return register


@_bare("disconnect")
def on_disconnect(sid: str, _environ: dict[str, Any], *_args: Any) -> None:
    _clients.pop(sid, None)


def _within_limits(sid: str, environ: dict[str, Any]) -> bool:
    """At most SOCKET_RATELIMIT events per connection (e.g. '30/10seconds') and
    SOCKET_CLIENT_RATELIMIT per client address, over all its connections."""
    per_connection = _limit(current_app.config.get("SOCKET_RATELIMIT", "30/10seconds"))
    per_client = _limit(current_app.config.get("SOCKET_CLIENT_RATELIMIT", "300/minute"))
    return (_limiter.hit(per_connection, "socket", sid)
            and _limiter.hit(per_client, "socket-client", environ.get("REMOTE_ADDR") or "unknown"))


def _sequence(data: dict[str, Any], key: str) -> int | None:
    """A client's last sequence number: a whole number from 0 to MAX_SEQ (None when absent;
    an explicit null is as malformed as -1 or "5")."""
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValueError(key)
    if not 0 <= value <= MAX_SEQ or value != int(value):
        raise ValueError(key)
    return int(value)


@dataclass(frozen=True)
class _Numbers:
    fair_seq: int  # the fair's public stream
    fair_created: Any  # with the fair's id, which world the numbers belong to (a database reset)
    private_seq: int | None  # the participant's own stream (None: anonymous, a screen)


def _current_numbers(client: dict[str, Any]) -> _Numbers | None:
    """The streams' current numbers, in one query; None when the participant's login has ended
    since the connection opened."""
    if client["participant_id"] is None:
        fair = _one(_FAIR_NUMBERS, fair_id=client["fair_id"])
        return None if fair is None else _Numbers(fair["event_seq"], fair["created_at"], None)
    row = _one(_PARTICIPANT_NUMBERS, pid=client["participant_id"])
    if row is None or row["login_version"] != client["login_version"] or row["removed_at"] is not None \
            or row["login_revoked"]:
        return None
    return _Numbers(row["event_seq"], row["created_at"], row["private_seq"])


class _Replays:
    """The public events between two numbers of a fair's stream, as messages, kept for every
    client that asks the same (after a drop, a hall's phones all ask from about the same number).
    Committed events never change, so a replay up to a number read from the fair stays true; the
    fair's creation time in the key tells a fair apart from one of a reset database."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, fair_id: int, numbers: _Numbers, after: int) -> list[dict[str, Any]]:
        if after >= numbers.fair_seq:
            return []
        key = (fair_id, numbers.fair_created, after, numbers.fair_seq)
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        messages = [e.as_message() for e in public_events_since(fair_id, after, MAX_RESYNC,
                                                                up_to=numbers.fair_seq)]
        with self._lock:
            self._kept[key] = messages
            while len(self._kept) > REPLAYS_KEPT:
                self._kept.popitem(last=False)
        return messages


_replays = _Replays()


@_bare("resync")
def on_resync(sid: str, environ: dict[str, Any], data: Any = None, *_extra: Any) -> dict[str, Any]:
    """Events after the client's last sequence numbers (`after`: the fair's public stream;
    `after_private`: the participant's own stream), in order, visible to this client.

    The streams' numbers are read first, in one query with the login check; the public events
    replayed are those up to that number (shared between clients, see `_Replays`), and a client
    is in its rooms before it asks, so whatever is committed later reaches it live."""
    if not _within_limits(sid, environ):
        return {"ok": False, "code": "rate_limited"}
    client = _clients.get(sid)
    if client is None:
        return {"ok": False, "code": "not_connected"}
    try:
        return _resync(sid, client, data)
    except PoolTimeout as err:
        current_app.logger.warning("Database connections exhausted: a resync refused for now (%s)", err)
        return {"ok": False, **BUSY}


def _resync(sid: str, client: dict[str, Any], data: Any) -> dict[str, Any]:
    numbers = _current_numbers(client)
    if numbers is None:
        socketio.server.disconnect(sid, namespace="/")
        return {"ok": False, "code": "logged_out"}
    try:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError("payload")
        after = _sequence(data, "after") or 0
        after_private = _sequence(data, "after_private")
    except ValueError:
        return {"ok": False, "code": "bad_request"}
    events = list(_replays.get(client["fair_id"], numbers, after))
    reply: dict[str, Any] = {"ok": True, "events": events, "seq": numbers.fair_seq}
    if client["participant_id"] is not None:
        if after_private is not None and numbers.private_seq is not None and after_private < numbers.private_seq:
            events += [e.as_message() for e in private_events_since(client["participant_id"], after_private,
                                                                    MAX_RESYNC)]
        reply["private_seq"] = numbers.private_seq
    return reply
