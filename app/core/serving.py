"""How `python -m app` serves: gevent (chosen by measurement, docs/benchmarks.md `load`) or,
with SERVER=threading, Werkzeug's threaded server.

Under gevent every connection, a WebSocket included, is a greenlet rather than an OS thread, so a
hall of phones holding their sockets open costs no scarce worker slot; the listening socket's
backlog absorbs a whole hall connecting at once. The process must be monkey-patched before
anything imports `socket` or `threading`: `python -m app` re-executes itself through
`python -m gevent.monkey --module app` when it finds itself unpatched (app/core/patching.py)."""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import socket
from typing import TYPE_CHECKING, Any

from app.core.extensions import socketio
from app.core.patching import async_mode, gevent_patched, reexec_patched, wanted_server
from app.core.storage.events import outbox
from app.core.storage.outbox import Outbox
from app.core.web.live_sessions import RedisSessionManager

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["LISTEN_BACKLOG", "async_mode", "compile_templates", "gevent_patched", "gevent_server", "reexec_patched",
           "serve", "wanted_server"]

# The kernel caps it at net.core.somaxconn (4096 on current Linux): a hall is a few hundred phones.
LISTEN_BACKLOG = 2048


STOP_SECONDS = 10
ACCESS_LOG = "gielda.access"
ERROR_LOG = "gielda.server"


def gevent_server(app: Any, host: str, port: int, **options: Any) -> Any:
    """gevent's WSGI server for `app` on host:port as `python -m app` runs it (the benchmarks'
    bare floors too): the deep listen backlog, TCP_NODELAY, and a WebSocket ending its connection."""
    from gevent import pywsgi  # late: only the gevent server needs it (SERVER=threading runs without)

    class Handler(pywsgi.WSGIHandler):
        """TCP_NODELAY: pywsgi sends a response's headers and body in separate writes, and with
        Nagle's algorithm on, a kept-alive connection waits for the client's delayed ACK (40 ms
        on Linux) between them. After a WebSocket ends, the connection ends: the client's
        closing frame must not be read as the next HTTP request (a 400 and an error line)."""

        def handle(self) -> None:
            with contextlib.suppress(OSError):
                self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().handle()

        def handle_one_response(self) -> None:
            super().handle_one_response()
            if str(self.environ.get("HTTP_UPGRADE", "")).lower() == "websocket":
                self.close_connection = True

    return pywsgi.WSGIServer((host, port), app, backlog=LISTEN_BACKLOG, handler_class=Handler, **options)


def live_batches() -> Outbox:
    """Where this process batches live events: where they are committed (`outbox`) with one
    process, where they are delivered (the client manager's) with a Redis message queue — there
    every event is published at once and each process batches what reaches its own phones."""
    manager = socketio.server.manager if socketio.server is not None else None
    if isinstance(manager, RedisSessionManager):
        return manager.live
    return outbox


def hall_size() -> int:
    """Phones connected to the deployment: to this process, or with a Redis message queue to
    every process (what paces the live sender: app/core/storage/outbox.py)."""
    here = len(socketio.server.eio.sockets)
    manager = socketio.server.manager
    return manager.hall_size(here) if isinstance(manager, RedisSessionManager) else here


WARM_UPS = "gielda_warm_ups"  # app.extensions[WARM_UPS]: callables `serve` runs before taking requests


def compile_templates(app: Flask) -> int:
    """Compile every template of `app` now (about 0.5 s), rather than under the first requests:
    after a start or a restart mid-fair, the first burst of phones would otherwise pay for it.
    Returns how many there are."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def serve(app: Flask, host: str, port: int, sio: Any = None) -> None:
    """Serve `app` (the Socket.IO middleware of `sio`, Giełda's by default, included) until
    interrupted."""
    if sio is None:  # Giełda's own: its committed events leave in batches (app/core/storage/outbox.py)
        live_batches().start(
            app.config["LIVE_BATCH_SECONDS"], socketio.start_background_task, socketio.sleep,
            audience=hall_size, sends_per_second=app.config["LIVE_SENDS_PER_SECOND"],
            max_delay=app.config["LIVE_BATCH_MAX_SECONDS"])
    compile_templates(app)
    for warm_up in app.extensions.get(WARM_UPS, ()):  # what an area would otherwise load under the first requests
        warm_up()
    if async_mode() != "gevent":
        (sio or socketio).run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)
        return
    import gevent  # late: only the gevent server needs it (SERVER=threading runs without)

    # Request and error lines go through logging, so that RedactSecrets keeps login links out.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = gevent_server(app, host, port, log=logging.getLogger(ACCESS_LOG),
                           error_log=logging.getLogger(ERROR_LOG))

    def stop(signum: int) -> None:
        """Ctrl-C or SIGTERM (systemd): stop listening, close the live connections (their
        phones reconnect — to another process behind nginx — and catch up by sequence number),
        let requests in flight finish (up to STOP_SECONDS), then return: no traceback, no
        answer cut off midway."""
        logging.getLogger(ERROR_LOG).info("Stopping (signal %s): finishing requests in flight", signum)
        server.close()
        if sio is None:
            live_batches().stop()  # what waits for the sender's next round leaves now, before the sockets close
        for connection in list((sio or socketio).server.eio.sockets.values()):
            with contextlib.suppress(Exception):  # one already gone must not keep the others open
                connection.close(wait=False, abort=True)
        gevent.spawn(server.stop, timeout=STOP_SECONDS)

    for signum in (signal.SIGINT, signal.SIGTERM):
        gevent.signal_handler(signum, stop, signum)
    # What exists now (modules, the app, its compiled templates) lives as long as the process: out
    # of the cyclic collector's way, so that its full collections during a burst do not walk it.
    gc.collect()
    gc.freeze()
    server.serve_forever()
