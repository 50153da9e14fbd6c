"""HTTP views of the fair package: thin — parse, call a service, render or redirect."""

from flask import Blueprint, Flask

bp = Blueprint("fair", __name__, url_prefix="/f/<slug>")
cards = Blueprint("cards", __name__)


def register(app: Flask) -> None:
    from app.fair.views import admin, auth, badges, desk, floor, importer, public, screen  # noqa: F401  (routes)
    from app.fair.views import exports, results  # noqa: F401  (routes)

    app.register_blueprint(bp)
    app.register_blueprint(cards)
