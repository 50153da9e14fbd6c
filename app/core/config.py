"""Configuration read from the environment, with embedded defaults."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the usual `postgres://` spellings and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    default_db = f"sqlite:///{instance_path / 'gielda.db'}"
    url = overrides.pop("DATABASE_URL", None) or os.environ.get("DATABASE_URL") or default_db
    cfg: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "SECRET_KEY": overrides.pop("SECRET_KEY", None) or _secret_key(instance_path),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # The message queue's channel: processes that share one see each other's events.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "flask-socketio",
        "PUBLIC_URL": (os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "AUTO_MIGRATE": os.environ.get("AUTO_MIGRATE", "1") != "0",
        "BABEL_DEFAULT_LOCALE": "pl",
        "LANGUAGES": ("pl", "en"),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Cookies: never readable by scripts, not sent along with other sites' requests (Lax).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # "Remember me" (every login uses it) lasts the fair day and the two weeks in which the
        # parties follow their agreements up, not Flask-Login's year: a phone lost or lent after
        # that is logged out; its owner logs in again with the slip's link or badge code + PIN.
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # PIN checks (login page, signing on a shared phone): attempts per client address and
        # per badge (see app/pin_guard.py). Password logins: attempts per client address.
        "PIN_RATELIMIT": os.environ.get("PIN_RATELIMIT", "10 per minute; 60 per hour"),
        "PIN_BADGE_RATELIMIT": os.environ.get("PIN_BADGE_RATELIMIT", "10 per hour"),
        "LOGIN_RATELIMIT": os.environ.get("LOGIN_RATELIMIT", "20 per minute"),
        # How staff passwords are hashed (werkzeug's generate_password_hash): its scrypt by default.
        # A check reads the method from the stored hash, so changing this keeps every password valid.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD") or "scrypt",
        # How many reverse proxies (nginx, a load balancer) stand in front of the app and set
        # X-Forwarded-For/-Proto/-Host: their headers are trusted for the client's address,
        # which every rate limit keys on. 0: none (the default; never trust what a client sends).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        "WTF_CSRF_TIME_LIMIT": None,
        # A serving process sends committed events at most once per this many seconds, what came
        # meanwhile together, one Socket.IO message per room (app/core/storage/outbox.py).
        "LIVE_BATCH_SECONDS": float(os.environ.get("LIVE_BATCH_SECONDS") or 0.1),
        "LIVE_BATCH_MAX_SECONDS": float(os.environ.get("LIVE_BATCH_MAX_SECONDS") or 1.0),
        "LIVE_SENDS_PER_SECOND": float(os.environ.get("LIVE_SENDS_PER_SECOND") or 2000),
        "SOCKET_RATELIMIT": os.environ.get("SOCKET_RATELIMIT", "30/10seconds"),  # per connection
        # Per client address, over all its connections (a hall behind one NAT shares it).
        "SOCKET_CLIENT_RATELIMIT": os.environ.get("SOCKET_CLIENT_RATELIMIT", "300/minute"),
        # Outgoing e-mail (follow-up reminders): SMTP when SMTP_HOST is set, else .eml files in
        # OUTBOX_DIR. SMTP_TLS: starttls (default), ssl or none.
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(os.environ["SMTP_PORT"]) if os.environ.get("SMTP_PORT") else None,
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_FROM": os.environ.get("SMTP_FROM") or None,
        "SMTP_TLS": os.environ.get("SMTP_TLS") or "starttls",
        "OUTBOX_DIR": os.environ.get("OUTBOX_DIR") or str(instance_path / "outbox"),
        "REMINDER_INTERVAL_DAYS": float(os.environ.get("REMINDER_INTERVAL_DAYS") or 3),
        # Between fairs (the network's space, app/between/): its address, how long a standing
        # offer or need lasts before it must be renewed, how many days before its end its author
        # is reminded, and how often a member with no current offer is asked for one (0: never).
        "NETWORK_SLUG": os.environ.get("NETWORK_SLUG") or "siec",
        "NETWORK_NAME": os.environ.get("NETWORK_NAME") or "Sieć wymiany",
        "STANDING_POST_DAYS": int(os.environ.get("STANDING_POST_DAYS") or 90),
        "STANDING_RENEWAL_NOTICE_DAYS": int(os.environ.get("STANDING_RENEWAL_NOTICE_DAYS") or 7),
        "CURRENT_OFFER_REMINDER_DAYS": int(os.environ.get("CURRENT_OFFER_REMINDER_DAYS") or 30),
        # The background queue (app/core/tasks.py): Redis when HUEY_URL (or REDIS_URL) is
        # redis://…, else SQLite in the instance folder. `python -m app` consumes it in
        # TASK_WORKERS threads of its own (0: run `flask tasks consume` instead).
        "HUEY_URL": os.environ.get("HUEY_URL") or None,
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "HUEY_NAME": os.environ.get("HUEY_NAME") or "gielda",
        "TASK_WORKERS": int(os.environ.get("TASK_WORKERS") or 2),
        # Flask-Compress: gzip only (brotli costs the 2-core laptop more CPU per page than it
        # saves on the hall's Wi-Fi); nothing under 500 bytes.
        "COMPRESS_ALGORITHM": ["gzip"],
        "COMPRESS_LEVEL": 5,
        "COMPRESS_MIN_SIZE": 500,
    }
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Connections per process: a server process serves a hall's phones from one pool (with
        # gevent, thousands of greenlets). Size it so that processes × (size + overflow) stays
        # under the server's max_connections (100 by default: 3 processes × 30 = 90). A request
        # that waits DB_POOL_TIMEOUT seconds for one is answered 503 with Retry-After.
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": int(os.environ.get("DB_POOL_SIZE") or 10),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW") or 20),
            "pool_timeout": float(os.environ.get("DB_POOL_TIMEOUT") or 30),
        }
    cfg.update(overrides)
    # Over https (PUBLIC_URL says so) cookies travel over https only; `make run` serves plain
    # http on a LAN, where a Secure cookie would never come back.
    secure = str(cfg.get("PUBLIC_URL") or "").lower().startswith("https://")
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        cfg.setdefault(key, secure)
    return cfg
