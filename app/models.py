"""Imports every model module so that metadata (and Alembic) sees all tables."""

from app.events import DomainEvent  # noqa: F401
from app.fair.models import CheckIn, Fair, Organisation, Participant  # noqa: F401
from app.ledger.models import Account, Entry, Posting  # noqa: F401
