"""HTTP views of the people area: thin — parse, call a service, render or redirect."""

from app.people.views import admin, importer, login, members, public, staff  # noqa: F401  (their routes join the blueprint)
from app.people.views.blueprint import bp

__all__ = ["bp"]
