"""Which server `python -m app` runs under, and gevent's patching of the process: the standard
library only, so that the first, unpatched start of `python -m app` (or `python -m load.floor`)
decides and re-executes itself under `python -m gevent.monkey` without importing the app."""

from __future__ import annotations

import os
import sys

SERVERS = ("gevent", "threading")


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
