"""`python -m app`: serve the app with its Socket.IO server (embedded default set-up), and
consume the background queue in threads of the same process (TASK_WORKERS, 0: none)."""

from __future__ import annotations

import os

from app import create_app
from app.core.extensions import socketio
from app.core.tasks import queue, start_consumer
from app.hall import announce
from app.people.first_fair import has_fairs, setup_code


def main() -> None:

    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f" * Giełda on http://{host}:{port}/", flush=True)
    announce(app, host, port)  # the address phones open (and its QR code), the consoles
    with app.app_context():

        if not has_fairs():
            base = app.config.get("PUBLIC_URL") or f"http://{host}:{port}"
            print(f" * No fair yet. Create the first one at: {base}/setup?code={setup_code(app.instance_path)}",
                  flush=True)
    workers = int(app.config.get("TASK_WORKERS") or 0)
    tasks = queue(app)
    if workers > 0 and not tasks.immediate:
        start_consumer(app, workers)
        print(f" * Background tasks: {workers} worker thread(s) on {tasks.where}", flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


if __name__ == "__main__":
    main()
