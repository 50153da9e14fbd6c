"""Bare floors served the way `python -m app` serves the app (app/core/serving.py).

A floor server runs in a child process started with `floor_command()`: patched by
`python -m gevent.monkey` exactly when the app would be (SERVER unset), so python-socketio picks
the same async mode, and `serve()` puts the WSGI app on the same server: gevent's pywsgi as the app
builds it (app.core.serving.gevent_server), or Werkzeug's threaded server under SERVER=threading.
"""

from __future__ import annotations

import sys
from typing import Any

from app.core.serving import async_mode, gevent_server, wanted_server


def server_mode() -> str:
    """What `python -m app` serves with: "gevent", or "threading" under SERVER=threading."""
    return wanted_server()


def floor_command(module: str, *args: str) -> list[str]:
    """`python -m <module> <args>`, patched by gevent's monkey module as `python -m app` is."""
    patch = ["-m", "gevent.monkey", "--module"] if server_mode() == "gevent" else ["-m"]
    return [sys.executable, *patch, module, *args]


def serve(app: Any, port: int) -> None:
    """Serve a WSGI app on 127.0.0.1:port on the app's server, until the process is stopped."""
    if async_mode() == "gevent":  # this process was patched
        gevent_server(app, "127.0.0.1", port).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple("127.0.0.1", port, app, threaded=True)
