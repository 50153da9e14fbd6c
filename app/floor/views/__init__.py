"""HTTP views of the floor area: thin — parse, call a service, render or redirect."""

from app.floor.card_html import post_card_html
from app.floor.views import posts  # noqa: F401  (their routes join the blueprint)
from app.floor.views.blueprint import bp
from app.floor.views.cards import cards

bp.add_app_template_global(post_card_html)  # the board's cards, each rendered once (card_html.py)

__all__ = ["bp", "cards"]
