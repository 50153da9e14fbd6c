"""Imports every model module so that metadata (and Alembic) sees all tables."""

from app.audit import AuditEvent  # noqa: F401
from app.contracts.models import Agreement, AgreementParty, Obligation, Signature  # noqa: F401
from app.contracts.reminders import Reminder  # noqa: F401
from app.events import DomainEvent  # noqa: F401
from app.fair.models import (  # noqa: F401
    Announcement,
    Category,
    CheckIn,
    Fair,
    Organisation,
    Participant,
    Post,
)
from app.ledger.models import Account, Entry, Posting  # noqa: F401
