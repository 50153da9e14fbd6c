"""Imports every model module so that metadata (and Alembic) sees all tables."""

from app.agreements.models import Agreement, AgreementParty, Obligation, Signature  # noqa: F401
from app.agreements.reminders import Reminder  # noqa: F401
from app.core.audit import AuditEvent  # noqa: F401
from app.core.events import DomainEvent  # noqa: F401
from app.core.mail_queue import QueuedMail  # noqa: F401
from app.ledger.models import Account, Entry, Posting  # noqa: F401
