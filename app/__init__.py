"""Giełda: a live resource exchange fair and the points ledger it feeds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from app.config import load_config
    from app.errors import register_error_handlers
    from app.events import init_events
    from app.extensions import babel, csrf, db, limiter, login_manager, socketio
    from app.i18n import init_i18n
    from app.inputs import init_inputs

    instance = Path((config or {}).get("INSTANCE_PATH") or ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(instance, config))

    from app.redaction import install_log_redaction

    install_log_redaction([app.logger])  # no login link in a request or error log

    # Socket.IO handlers must be declared before the first init_app: Flask-SocketIO keeps only
    # handlers declared before a server exists for the apps created after it.
    from app.fair import sockets as _sockets  # noqa: F401

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_i18n(app, babel)
    from app.fair.live_sessions import client_manager

    socketio.init_app(
        app,
        async_mode="threading",
        # A fresh manager for every app (Flask-SocketIO would otherwise keep one made for an
        # earlier app); it also closes a person's sockets when their login ends.
        client_manager=client_manager(app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"),  # None: same origin only
        manage_session=False,
    )

    if app.config.get("TRUSTED_PROXIES"):
        # Outermost, so that Socket.IO's environ (and every rate limit) sees the real client.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    from app.fair.pin_guard import init_pin_guard

    init_pin_guard(app)

    with app.app_context():
        from app.db import configure_sqlite

        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        init_events(app)
        if app.config["AUTO_MIGRATE"]:
            from app.migrate import upgrade

            upgrade(db.engine)

    from app.contracts.stats import points_pledged
    from app.ledger.hooks import set_pledge_source

    set_pledge_source(points_pledged)

    from app.auth import init_auth

    init_auth(app, login_manager)
    register_error_handlers(app)
    from app.security_headers import init_security_headers

    init_security_headers(app)
    init_inputs(app)  # before the blueprints: their `<int:…>` routes use its converter
    _register_blueprints(app)
    _register_template_globals(app)
    _register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from app.api import bp as api_bp
    from app.fair.views import register as register_fair_views
    from app.ledger.views import bp as ledger_bp
    from app.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(ledger_bp)
    register_fair_views(app)
    from app.contracts.documents import bp as documents_bp
    from app.contracts.views import bp as contracts_bp

    app.register_blueprint(documents_bp)
    app.register_blueprint(contracts_bp)


def _register_template_globals(app: Flask) -> None:
    from flask_babel import get_locale

    from app.fair.sectors import Role, Sector, quantity_text

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["quantity"] = lambda item: quantity_text(item.quantity, item.unit)

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"sectors": list(Sector), "roles": list(Role)}


def _register_cli(app: Flask) -> None:
    from app.fair.cli import fair_cli
    from app.ledger.cli import ledger_cli
    from app.migrate import db_cli

    app.cli.add_command(fair_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(db_cli)
    from app.contracts.cli import agreements_cli
    app.cli.add_command(agreements_cli)
