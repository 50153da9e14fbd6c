"""The phones: locust users doing what a phone does at the gong and while trading.

Imported by load.run only (locust patches the process with gevent first). Every HTTP request
and every socket connection is a locust request (name = what the phone did); each event that
reaches a phone is timed from the moment its post was sent, and its sequence number noted, so
that the run can tell whether any phone lost one."""

from __future__ import annotations

import itertools
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent
import socketio
from locust import FastHttpUser, constant, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser

from load.forms import PAGE_SEQ, form_to, form_with

WORDS = ("sala", "rzutnik", "szkolenie", "transport", "catering", "nagłośnienie", "plakaty", "wolontariusze")


@dataclass
class Hall:
    """What the phones of one run share: the spec, the clock of every post, what arrived."""

    spec: dict[str, Any]
    scenario: str = "gong"
    posters: int | None = None  # the first this many phones post in the gong flow (None: all)
    trading_seconds: float = 60.0
    sent: dict[str, float] = field(default_factory=dict)  # post title -> time.time() it was sent
    seq_of: dict[str, int] = field(default_factory=dict)  # post title -> its public seq, as it arrived
    delivery_ms: list[float] = field(default_factory=list)
    seqs: dict[int, list[int]] = field(default_factory=dict)  # phone index -> public seqs received live
    replayed: dict[int, set[int]] = field(default_factory=dict)  # phone index -> public seqs its resyncs returned
    page_seq: dict[int, int] = field(default_factory=dict)  # phone index -> the public seq its board page showed
    flows_done: int = 0
    connected: int = 0
    problems: list[str] = field(default_factory=list)
    agreements_signed: int = 0
    closed: bool = False  # the trading period is over: phones stop tapping before the marker
    busy: int = 0  # phones in the middle of a trading action
    cookies: dict[int, list[Any]] = field(default_factory=dict)  # phone index -> its logged-in cookies
    dropped: dict[str, int] = field(default_factory=dict)  # why sockets closed before the run's end -> how many
    busy_refusals: int = 0  # handshakes refused "server busy" and tried again after the pause asked
    ending: bool = False  # the run is over: sockets closing now are the harness's own
    _next: Any = field(default_factory=itertools.count)

    def take_phone(self) -> int:
        return next(self._next)


HALL: Hall | None = None  # set by load.run before the users start


def _hall() -> Hall:
    assert HALL is not None
    return HALL


def _cookie(session: FastHttpSession) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookiejar)


def _patient_as_a_browser(sio: socketio.Client) -> None:
    """Give up on the server as a browser does, not sooner. A browser's engine.io client drops
    the connection when the server has sent nothing (not even a ping) for pingInterval +
    pingTimeout (25 + 20 s). python-engineio's client also gives up when it has had nothing to
    send for max(pingInterval, pingTimeout) + 5 = 30 s — and its only regular send is the answer
    to the server's ping, every 25 s: a phone of this one process reading its socket more than
    5 s late (a hall's fan-out on the machine that also runs the servers) would drop although the
    server is there, as no browser would. That wait becomes pingInterval + pingTimeout (45 s),
    from the next send on (each phone's resync, right after connecting)."""
    eio = sio.eio
    eio.ping_timeout = eio.ping_interval + eio.ping_timeout - 5


class Phone(FastHttpUser):
    """One participant's phone."""

    wait_time = constant(0)
    connection_timeout = 60.0
    network_timeout = 60.0

    def on_start(self) -> None:
        hall = _hall()
        self.index = hall.take_phone()
        phones = hall.spec["phones"]
        if self.index >= len(phones):
            raise StopUser()
        self.me = phones[self.index]
        self.slug = hall.spec["slug"]
        self.sio: socketio.Client | None = None
        self.posted = 0
        self.flow_done = False

    def on_stop(self) -> None:
        if self.sio is not None:
            self.sio.disconnect()

    # --- what a phone does ------------------------------------------------------------------

    def _fire(self, name: str, started: float, exc: Exception | None = None, kind: str = "WS") -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.environment.events.request.fire(request_type=kind, name=name, response_time=elapsed_ms,
                                             response_length=0, exception=exc, context={})

    def _login(self, client: FastHttpSession, secret: str) -> None:
        with client.get(f"/f/{self.slug}/login/{secret}", name="login link", allow_redirects=False,
                        catch_response=True) as r:
            if r.status_code != 303:
                r.failure(f"login answered {r.status_code}")

    def _connect(self) -> None:
        hall = _hall()
        seqs = hall.seqs.setdefault(self.index, [])
        # Its handshake waits as long as any request. websocket-client checks every received byte is
        # UTF-8 in pure Python (without wsaccel): 80% of this process's CPU in a 500-phone burst,
        # which put it tens of seconds behind the server; json.loads checks the text anyway.
        sio = socketio.Client(reconnection=False, request_timeout=self.network_timeout,
                              websocket_extra_options={"skip_utf8_validation": True})

        def receive(message: dict[str, Any], arrived: float, live: bool = True) -> None:
            if message.get("stream") != "fair":
                return
            if live:
                seqs.append(int(message["seq"]))
            else:
                hall.replayed.setdefault(self.index, set()).add(int(message["seq"]))
            title = str(message.get("data", {}).get("title", ""))
            hall.seq_of.setdefault(title, int(message["seq"]))
            sent = hall.sent.get(title)
            if sent is not None:
                hall.delivery_ms.append((arrived - sent) * 1000)

        @sio.on("event")
        def on_event(message: dict[str, Any]) -> None:
            receive(message, time.time())

        @sio.on("events")
        def on_events(batch: list[dict[str, Any]]) -> None:  # a moment's events, sent together
            arrived = time.time()
            for message in batch:
                receive(message, arrived)

        @sio.on("disconnect")
        def on_disconnect(reason: object = None) -> None:
            if not hall.ending:
                why = str(reason or "unknown")
                hall.dropped[why] = hall.dropped.get(why, 0) + 1

        busy: list[float] = []

        @sio.on("connect_error")
        def on_refused(data: object = None) -> None:
            # python-socketio passes the whole error: {"message": ..., "data": {"code", "retry_after"}}
            detail = data.get("data") if isinstance(data, dict) else None
            if isinstance(detail, dict) and detail.get("code") == "server_busy":
                busy.append(float(detail.get("retry_after") or 5))

        started = time.perf_counter()
        while True:
            try:
                sio.connect(self.host, headers={"Cookie": _cookie(self.client)}, transports=["websocket"],
                            wait_timeout=60)
                break
            except Exception as exc:  # a refused or timed-out connection is the run's finding
                # ... except "busy, come back in n s", which the phone does, as static/js/live.js
                # does, within the minute a phone waits for anything.
                pause = busy.pop() * (0.5 + random.random()) if busy else None
                if pause is None or time.perf_counter() - started + pause > self.network_timeout:
                    self._fire("socket connect", started, exc)
                    return
                hall.busy_refusals += 1
                gevent.sleep(pause)  # the pause the server asked for (not a synchronisation)
        self._fire("socket connect", started)
        _patient_as_a_browser(sio)
        self.sio = sio
        hall.connected += 1
        self._catch_up(sio, receive)

    def _catch_up(self, sio: socketio.Client, receive: Callable[..., None]) -> None:
        """What static/js/live.js does once connected: ask for every public event after the one
        its page showed (`resync`), as many times as the server says there are more."""
        hall = _hall()
        after = hall.page_seq.get(self.index)
        if after is None:
            return
        started = time.perf_counter()
        while True:
            try:
                reply = sio.call("resync", {"after": after}, timeout=self.network_timeout)
            except Exception as exc:  # no answer within the minute: the run's finding
                self._fire("resync", started, exc)
                return
            pause = float(reply.get("retry_after") or 0) if isinstance(reply, dict) else 0.0
            if pause and time.perf_counter() - started + pause < self.network_timeout:
                gevent.sleep(pause * (0.5 + random.random()))  # "busy, ask again in n s", as live.js does
                continue
            if not isinstance(reply, dict) or not reply.get("ok"):
                self._fire("resync", started, RuntimeError(f"resync refused: {reply}"))
                return
            events = [e for e in reply.get("events", []) if e.get("stream") == "fair"]
            arrived = time.time()
            for evt in events:
                receive(evt, arrived, live=False)
            if not events or int(reply.get("seq", after)) <= max(int(e["seq"]) for e in events):
                break
            after = max(int(e["seq"]) for e in events)
        self._fire("resync", started)

    def post(self, client: FastHttpSession | None = None) -> None:
        client = client or self.client
        page = client.get(f"/f/{self.slug}/posts/new", name="post form")
        try:
            fields = form_with(page.text or "", "title")
        except KeyError:
            _hall().problems.append(f"phone {self.index}: no post form ({page.status_code})")
            return
        self.posted += 1
        title = f"Oferta {self.index}-{self.posted}: sala na 30 osób"
        categories = _hall().spec["categories"]
        fields.update(kind="offer", category_id=str(categories[self.index % len(categories)]), title=title,
                      details="Z rzutnikiem i nagłośnieniem, w sobotę przed południem.")
        _hall().sent[title] = time.time()
        with client.post(f"/f/{self.slug}/posts/new", data=fields, name="post", allow_redirects=False,
                         catch_response=True) as r:
            if r.status_code != 303:
                r.failure(f"post answered {r.status_code}")

    def gong(self) -> None:
        """The opening gong: link, board, socket, post form, post (a phone beyond the run's
        posters only watches)."""
        self._login(self.client, self.me["secret"])
        _hall().cookies[self.index] = list(self.client.cookiejar)
        board = self.client.get(f"/f/{self.slug}/board", name="board")
        found = PAGE_SEQ.search(board.text or "")
        if found:
            _hall().page_seq[self.index] = int(found.group(1))
        self._connect()
        posters = _hall().posters
        if posters is None or self.index < posters:
            self.post()

    def search(self) -> None:
        word = WORDS[(self.index + self.posted) % len(WORDS)]
        self.client.get(f"/f/{self.slug}/board?q={word}", name="board search")

    def draft_and_sign(self) -> None:
        """Start an agreement with a phone of another organisation, fill in an obligation, sign;
        the partner (logged in on a phone of its own) signs too."""
        hall = _hall()
        phones = hall.spec["phones"]
        at = next(i for i in ((self.index + k) % len(phones) for k in range(1, len(phones)))
                  if phones[i]["organisation_id"] != self.me["organisation_id"])
        partner = phones[at]
        start = f"/f/{self.slug}/agreements/new?with={partner['badge']}"
        page = self.client.get(start, name="agreement: start form")
        with self.client.post(start, data=form_with(page.text or "", "csrf_token"), name="agreement: start",
                              allow_redirects=False, catch_response=True) as r:
            location = r.headers.get("Location", "") if r.status_code == 303 else ""
            if not location.endswith("/edit"):
                r.failure(f"start answered {r.status_code}")
                return
        match = re.search(r"/agreements/(\d+)/edit$", location)
        assert match
        agreement = int(match.group(1))
        edit = f"/f/{self.slug}/agreements/{agreement}/edit"
        page = self.client.get(edit, name="agreement: editor")
        fields = form_with(page.text or "", "obligations-0-description")
        fields.update({"obligations-0-description": "Sala konferencyjna na 30 osób z rzutnikiem",
                       "obligations-0-points": "30", "action": "save"})
        with self.client.post(edit, data=fields, name="agreement: save", allow_redirects=False,
                              catch_response=True) as r:
            if r.status_code != 303:
                r.failure(f"save answered {r.status_code}")
                return
        # The partner signs on its own phone: logged in since its gong flow (its session's cookies),
        # or, if it has not got that far, logging in by its link now.
        other = FastHttpSession(self.host, self.environment.events.request, self,
                                network_timeout=self.network_timeout, connection_timeout=self.connection_timeout)
        if at in hall.cookies:
            for cookie in hall.cookies[at]:
                other.cookiejar.set_cookie(cookie)
        else:
            self._login(other, partner["secret"])
        for who in (self.client, other):
            detail = f"/f/{self.slug}/agreements/{agreement}"
            page = who.get(detail, name="agreement: page")
            try:
                form = form_to(page.text or "", f"/agreements/{agreement}/sign")
            except KeyError:
                hall.problems.append(f"agreement {agreement}: no sign form")
                return
            with who.post(f"{detail}/sign", data=form, name="agreement: sign", allow_redirects=False,
                          catch_response=True) as r:
                if r.status_code != 303:
                    r.failure(f"sign answered {r.status_code}")
                    return
        hall.agreements_signed += 1

    @task
    def live(self) -> None:
        hall = _hall()
        if not self.flow_done:
            self.gong()
            self.flow_done = True
            hall.flows_done += 1
            return
        if hall.scenario != "trading" or hall.closed:
            gevent.sleep(1.0)  # connected, waiting for the run to end (not a synchronisation)
            return
        roll = (self.index + self.posted) % 10
        hall.busy += 1
        try:
            if roll < 5:
                self.search()
                self.posted += 1
            elif roll < 8:
                self.post()
            else:
                self.draft_and_sign()
                self.posted += 1
        finally:
            hall.busy -= 1
        gevent.sleep(1.0)  # a person reads the page before the next tap
