"""How `python -m app` serves: gevent (chosen by measurement, docs/benchmarks.md `load`) or,
with SERVER=threading, Werkzeug's threaded server.

Under gevent every connection, a WebSocket included, is a greenlet rather than an OS thread, so a
hall of phones holding their sockets open costs no scarce worker slot; the listening socket's
backlog absorbs a whole hall connecting at once. The process must be monkey-patched before
anything imports `socket` or `threading`: `python -m app` re-executes itself through
`python -m gevent.monkey --module app` when it finds itself unpatched (see reexec_patched)."""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

from app.core.extensions import socketio

if TYPE_CHECKING:
    from flask import Flask

SERVERS = ("gevent", "threading")
# The kernel caps it at net.core.somaxconn (4096 on current Linux): a hall is a few hundred phones.
LISTEN_BACKLOG = 2048


def wanted_server() -> str:
    server = (os.environ.get("SERVER") or "gevent").strip().lower()
    if server not in SERVERS:
        raise SystemExit(f"SERVER must be one of {', '.join(SERVERS)}, not {server!r}")
    return server


def gevent_patched() -> bool:
    """True when gevent has patched the standard library of this process."""
    if "gevent.monkey" not in sys.modules:
        return False
    from gevent import monkey  # late: importing gevent is what this asks about, never a side effect

    return bool(monkey.is_module_patched("socket"))


def async_mode() -> str:
    """Socket.IO's async mode for an app made in this process: gevent only when patched (tests and
    the CLI run unpatched, threaded)."""
    return "gevent" if gevent_patched() else "threading"


def reexec_patched(module: str = "app") -> None:
    """Replace this process with `python -m gevent.monkey --module <module> <args>`, which patches
    the standard library first and then runs the module as __main__."""
    os.execv(sys.executable, [sys.executable, "-m", "gevent.monkey", "--module", module, *sys.argv[1:]])


ACCESS_LOG = "gielda.access"
ERROR_LOG = "gielda.server"


def serve(app: Flask, host: str, port: int) -> None:
    """Serve `app` (its Socket.IO middleware included) until interrupted."""
    if async_mode() != "gevent":
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)
        return
    from gevent import pywsgi  # late: only the gevent server needs it (SERVER=threading runs without)

    # Request and error lines go through logging, so that RedactSecrets keeps login links out.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    server = pywsgi.WSGIServer((host, port), app, backlog=LISTEN_BACKLOG,
                               log=logging.getLogger(ACCESS_LOG), error_log=logging.getLogger(ERROR_LOG))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop(timeout=5)
