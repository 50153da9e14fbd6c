"""The top of the app, the only module that knows every area: it builds the Flask app,
registers each area's blueprints, Socket.IO handlers, template globals and commands.
`app.create_app` (app/__init__.py) is this module's `create_app`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli as _top_cli  # noqa: F401  (its commands join `flask fair`)
from app import main
from app.agreements import documents
from app.agreements import views as agreements_views
from app.agreements.cli import agreements_cli
from app.agreements.stats import points_pledged
from app.between import views as between_views
from app.between.cli import network_cli
from app.brokers import suggestions as _suggestions  # noqa: F401  (its post listeners and task, before init_tasks)
from app.brokers import views as brokers_views
from app.certificates import views as certificates_views
from app.core.cli import fair_cli
from app.core.config import load_config
from app.core.errors import register_error_handlers
from app.core.extensions import babel, compress, csrf, db, limiter, login_manager, socketio
from app.core.i18n import init_i18n
from app.core.paths import ROOT, STATIC, TEMPLATES
from app.core.serving import WARM_UPS, async_mode
from app.core.storage.events import init_events
from app.core.storage.migrate import db_cli, upgrade
from app.core.storage.snapshots import init_snapshots
from app.core.storage.transactions import configure_sqlite
from app.core.tasks import init_tasks, tasks_cli
from app.core.web.inputs import init_inputs
from app.core.web.live_sessions import client_manager
from app.core.web.redaction import install_log_redaction
from app.core.web.refusals import register_refusal_handler
from app.core.web.security_headers import init_security_headers
from app.core.web.urls import loopback_warning, public_page_url
from app.directory import api as directory_api
from app.directory import views as directory_views
from app.door import cli as _door_cli  # noqa: F401  (its commands join `flask fair`)
from app.door import views as door_views
from app.fairs import views as fairs_views
from app.fairs.category_menu import init_category_menus
from app.fairs.roles import Role
from app.floor import sockets as _sockets  # noqa: F401  (Socket.IO handlers, declared before init_app)
from app.floor import views as floor_views
from app.floor.kinds import quantity_text
from app.ledger import views as ledger_views
from app.ledger.cli import ledger_cli
from app.ledger.hooks import carry_merged_member, set_pledge_source
from app.matching import views as matching_views
from app.matching.synonyms import warm_up as warm_up_matching
from app.matching.terms import init_post_terms
from app.network.merging import on_merge
from app.network.sectors import Sector
from app.partnerships import views as partnerships_views
from app.people import cli as _people_cli  # noqa: F401  (its commands join `flask fair`)
from app.people import views as people_views
from app.people.auth import init_auth
from app.people.pin_guard import init_pin_guard
from app.reports import api
from app.reports import cli as _reports_cli  # noqa: F401  (its commands join `flask fair`)
from app.reports import views as reports_views
from app.valuation import views as valuation_views
from app.valuation.money import zloty

__all__ = ["ROOT", "create_app"]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    instance = Path((config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or ROOT / "instance")
    app = Flask(__name__, instance_path=str(instance), template_folder=str(TEMPLATES),
                static_folder=str(STATIC))
    app.config.update(load_config(instance, config))
    install_log_redaction([app.logger])  # no login link in a request or error log

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Flask-Limiter checks default, application and blueprint limits before every request; this
    # app has none (its limits decorate the views they guard, which check them themselves), so
    # the hook would only cost every page its time (RATELIMIT_ENABLED off: no hook was added).
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    compress.init_app(app)
    init_i18n(app, babel)
    socketio.init_app(
        app,
        async_mode=async_mode(),  # gevent when `python -m app` patched the process (app/core/serving.py)
        # A fresh manager for every app (Flask-SocketIO would otherwise keep one made for an
        # earlier app); it also closes a person's sockets when their login ends.
        client_manager=client_manager(app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]),
        cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"),  # None: same origin only
        manage_session=False,
    )
    if app.config.get("TRUSTED_PROXIES"):
        # Outermost, so that Socket.IO's environ (and every rate limit) sees the real client.
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)  # type: ignore[method-assign]
    init_pin_guard(app)
    init_tasks(app)  # after every area's tasks are declared (imported above)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        init_events(app)
        init_snapshots(app)
        init_category_menus(app)
        init_post_terms()
        if app.config["AUTO_MIGRATE"]:
            upgrade(db.engine)

    # The ledger's "pledged" figure comes from the agreements, which sit above it.
    set_pledge_source(points_pledged)
    on_merge(carry_merged_member)  # a merged member's balance goes to the member it became
    init_auth(app, login_manager)
    register_error_handlers(app)
    register_refusal_handler(app)
    init_security_headers(app)
    init_inputs(app)  # before the blueprints: their `<int:…>` routes use its converter
    _register_blueprints(app)
    api.add_paths(directory_api.OPENAPI_PATHS, directory_api.OPENAPI_SCHEMAS)
    api.add_paths(matching_views.OPENAPI_PATHS, matching_views.OPENAPI_SCHEMAS)
    app.extensions[WARM_UPS] = [warm_up_matching]
    _register_template_globals(app)
    _register_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    for bp in (main.bp, api.bp, ledger_views.bp, fairs_views.bp, people_views.bp, door_views.bp,
               floor_views.bp, floor_views.cards, reports_views.bp, documents.bp, agreements_views.bp,
               directory_views.bp, directory_api.bp, between_views.bp, partnerships_views.bp, brokers_views.bp,
               matching_views.bp, matching_views.api, valuation_views.bp, certificates_views.bp):
        app.register_blueprint(bp)


def _register_template_globals(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["loopback_warning"] = loopback_warning  # templates/_loopback_warning.html
    app.jinja_env.globals["public_page_url"] = public_page_url
    app.jinja_env.filters["quantity"] = lambda item: quantity_text(item.quantity, item.unit)
    app.jinja_env.filters["zloty"] = zloty

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"sectors": list(Sector), "roles": list(Role)}


def _register_cli(app: Flask) -> None:
    for group in (fair_cli, ledger_cli, db_cli, agreements_cli, tasks_cli, network_cli):
        app.cli.add_command(group)
