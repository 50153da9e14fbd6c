"""HTTP views of the floor area: thin — parse, call a service, render or redirect."""

from app.floor.views import posts  # noqa: F401  (their routes join the blueprint)
from app.floor.views.blueprint import bp
from app.floor.views.cards import cards

__all__ = ["bp", "cards"]
