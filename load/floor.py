"""The floor of the gong burst: a bare Flask-SocketIO app doing what a phone asks of Giełda with
nothing behind it — the same pages (the HTML Giełda served, captured in the spec), a login link
that sets a session cookie, a post form whose POST emits the same message to the fair's room —
under the same server as `python -m app` (app/core/serving.py), with the same compression.

`python -m load.floor SPEC` with HOST and PORT in the environment; SERVER as for `python -m app`."""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.core.patching import gevent_patched, reexec_patched, wanted_server

if __name__ == "__main__" and wanted_server() == "gevent" and not gevent_patched():
    reexec_patched("load.floor")

from flask import Flask, redirect, request, session
from flask_compress import Compress
from flask_socketio import SocketIO, join_room

from app.core.config import load_config
from app.core.serving import async_mode, serve
from app.core.web.redaction import install_log_redaction
from app.floor.sockets import MAX_RESYNC
from load.forms import PAGE_SEQ


def make_floor(spec: dict[str, Any]) -> tuple[Flask, SocketIO]:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "floor"
    giełda = load_config(Path(spec.get("instance", "/tmp")), {"SECRET_KEY": "floor"})
    for key in ("COMPRESS_ALGORITHM", "COMPRESS_LEVEL", "COMPRESS_MIN_SIZE"):
        app.config[key] = giełda[key]  # compressed as Giełda compresses
    Compress(app)
    sio = SocketIO(app, async_mode=async_mode(), manage_session=False)
    slug, fair_id = spec["slug"], spec["fair_id"]
    board, post_form = spec["pages"]["board"], spec["pages"]["post_form"]
    shown = PAGE_SEQ.search(board)
    seq = itertools.count(int(shown.group(1)) + 1 if shown else 1)  # numbered on from the page the phones load
    ids = itertools.count(1)
    sent: list[dict[str, Any]] = []  # what a resync returns: every message emitted, in order

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get(f"/f/{slug}/login/<secret>")
    def login(secret: str) -> Any:
        session["who"] = secret
        return redirect(f"/f/{slug}/me", 303)

    @app.get(f"/f/{slug}/board")
    def board_page() -> str:
        return board

    @app.get(f"/f/{slug}/posts/new")
    def form_page() -> str:
        return post_form

    @app.post(f"/f/{slug}/posts/new")
    def post() -> Any:
        post_id = next(ids)
        template = spec["event"]  # a real post's event, as Giełda sent it
        message = {**template, "seq": next(seq),
                   "data": {**template["data"], "id": post_id, "title": request.form.get("title", "")}}
        sent.append(message)
        sio.emit("event", message, to=f"fair:{fair_id}")
        return redirect(f"/f/{slug}/posts/{post_id}", 303)

    @sio.on("connect")
    def connect(_auth: object = None) -> bool:
        join_room(f"fair:{fair_id}")
        return True

    @sio.on("resync")
    def resync(data: Any = None) -> dict[str, Any]:
        """What a phone asks once connected: the messages after the number its page showed (at
        most as many as Giełda's resync returns)."""
        after = int((data or {}).get("after") or 0)
        missed = [m for m in sent if m["seq"] > after][:MAX_RESYNC]
        return {"ok": True, "events": missed, "seq": sent[-1]["seq"] if sent else after}

    return app, sio


def app_from_env() -> Flask:
    """For gunicorn: `gunicorn -k gevent 'load.floor:app_from_env()'` with LOAD_SPEC set."""
    with open(os.environ["LOAD_SPEC"], encoding="utf-8") as fh:
        app, _sio = make_floor(json.load(fh))
    return app


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        spec = json.load(fh)
    app, sio = make_floor(spec)
    install_log_redaction()  # its request log holds the phones' login links too
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000"))
    print(f" * floor on http://{host}:{port}/ ({async_mode()})", flush=True)
    serve(app, host, port, sio)


if __name__ == "__main__":
    main()
