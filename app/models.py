"""Imports every model module so that metadata (and Alembic) sees all tables."""

from app.agreements.models import (  # noqa: F401
    Agreement,
    AgreementParty,
    Obligation,
    Reminder,
    Signature,
)
from app.brokers.models import Introduction, SuggestionRun  # noqa: F401
from app.certificates.models import Certificate  # noqa: F401
from app.core.output.mail_queue import QueuedMail  # noqa: F401
from app.core.storage.audit import AuditEvent  # noqa: F401
from app.core.storage.events import DomainEvent  # noqa: F401
from app.core.web.sent_actions import SentAction  # noqa: F401
from app.ledger.models import Account, Entry, Posting  # noqa: F401
from app.matching.models import SynonymGroup  # noqa: F401
from app.network.models import Member, Person, PossibleDuplicate  # noqa: F401
from app.partnerships.models import Partnership, PartnershipMember  # noqa: F401
from app.valuation.models import ValueRate  # noqa: F401
