"""`python -m app`: serve the app with its Socket.IO server (embedded default set-up)."""

from __future__ import annotations

import os


def main() -> None:
    from app import create_app
    from app.extensions import socketio

    app = create_app()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    print(f" * Giełda on http://{host}:{port}/", flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)


if __name__ == "__main__":
    main()
