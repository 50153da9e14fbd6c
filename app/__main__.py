"""`python -m app`: serve the app with its Socket.IO server (embedded default set-up) on gevent
(SERVER=threading: Werkzeug's threaded server), and consume the background queue
(TASK_WORKERS workers, 0: none) — in a child process under gevent, whose greenlets a PDF
rendering would otherwise hold up, in threads of this process otherwise."""

from __future__ import annotations

import os

from app.core.patching import gevent_patched, reexec_patched, wanted_server

if __name__ == "__main__" and wanted_server() == "gevent" and not gevent_patched():
    reexec_patched("app")  # does not return

from app.core.serving import async_mode, serve
from app.core.tasks import queue, start_consumer, start_consumer_process
from app.factory import create_app
from app.hall import announce
from app.people.first_fair import has_fairs, setup_code


def main() -> None:
    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f" * Giełda on http://{host}:{port}/ ({async_mode()})", flush=True)
    announce(app, host, port)  # the address phones open (and its QR code), the consoles
    with app.app_context():
        if not has_fairs():
            base = app.config.get("PUBLIC_URL") or f"http://{host}:{port}"
            print(f" * No fair yet. Create the first one at: {base}/setup?code={setup_code(app.instance_path)}",
                  flush=True)
    workers = int(app.config.get("TASK_WORKERS") or 0)
    tasks = queue(app)
    if workers > 0 and not tasks.immediate:
        if async_mode() == "gevent":
            start_consumer_process(workers)
            print(f" * Background tasks: {workers} worker(s) in a child process on {tasks.where}", flush=True)
        else:
            start_consumer(app, workers)
            print(f" * Background tasks: {workers} worker thread(s) on {tasks.where}", flush=True)
    serve(app, host, port)


if __name__ == "__main__":
    main()
