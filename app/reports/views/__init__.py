"""HTTP views of the reports area: thin — parse, call a service, render or redirect."""

from app.reports.views import audit_log, exports, funder, network_results, results, screen  # noqa: F401  (their routes join the blueprint)
from app.reports.views.blueprint import bp

__all__ = ["bp"]
