"""HTTP views of the door area: thin — parse, call a service, render or redirect."""

from app.door.views import badges, desk, scan  # noqa: F401  (their routes join the blueprint)
from app.door.views.blueprint import bp

__all__ = ["bp"]
