"""HTTP views of the fair package: thin — parse, call a service, render or redirect."""

from flask import Blueprint, Flask

bp = Blueprint("fair", __name__, url_prefix="/f/<slug>")
cards = Blueprint("cards", __name__)


def register(app: Flask) -> None:
    from app.fair.views import (  # noqa: F401  (routes)
        admin,
        audit_log,
        auth,
        badges,
        desk,
        exports,
        floor,
        importer,
        public,
        results,
        screen,
        setup,
    )

    app.register_blueprint(bp)
    app.register_blueprint(cards)
