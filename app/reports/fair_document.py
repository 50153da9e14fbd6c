"""The whole fair as one JSON document, for machines (format gielda-fair, version 1;
docs/export-format.md).

Nothing secret leaves: no login secrets, PINs, password hashes or the big screen's token. The
document lists the fields it exports by name, so a column added to a model later stays out of it
until someone adds it here on purpose.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Enum, select

from app.agreements.models import Agreement, AgreementParty, Obligation, Reminder, Signature
from app.core.extensions import db
from app.core.storage.db import UTCDateTime
from app.fairs.categories import fair_categories
from app.fairs.models import Announcement, Fair
from app.floor.models import Post
from app.people.models import CheckIn, Organisation, Participant

FORMAT_NAME = "gielda-fair"
FORMAT_VERSION = 1


FAIR_FIELDS = ("id", "slug", "name", "venue", "state", "starts_at", "trading_opens_at", "trading_closes_at",
               "trading_started_at", "trading_ended_at", "registration_open", "notary_required",
               "point_rate", "created_at")
CATEGORY_FIELDS = ("id", "key", "name", "position", "archived")
ORGANISATION_FIELDS = ("id", "name", "sector", "city", "email", "phone", "website", "description",
                       "created_at", "removed_at")
PARTICIPANT_FIELDS = ("id", "organisation_id", "first_name", "last_name", "email", "phone", "show_email",
                      "show_phone", "role", "badge_code", "registered_via", "login_revoked", "created_at",
                      "removed_at")
POST_FIELDS = ("id", "kind", "category_id", "organisation_id", "author_id", "title", "details", "quantity",
               "unit", "available_when", "state", "version", "hidden_at", "hidden_reason", "hidden_by_id",
               "created_at", "updated_at")
AGREEMENT_FIELDS = ("id", "number", "seq_no", "state", "version", "public_code", "content_hash", "on_paper",
                    "created_by_id", "created_at", "updated_at", "signed_at", "notary_id", "notarised_at",
                    "cancelled_at", "cancelled_by_id", "annulled_at", "annulled_by_id", "annul_reason",
                    "fulfilled_at")
PARTY_FIELDS = ("id", "organisation_id", "representative_id", "position", "contact_name", "contact_details",
                "annul_requested_at")
OBLIGATION_FIELDS = ("id", "position", "giver_party_id", "receiver_party_id", "post_id", "category_id",
                     "description", "quantity", "unit", "when", "where", "duration", "hours", "points",
                     "cost_contribution", "due_date", "state", "delivered_at", "confirmed_at",
                     "confirmed_by_id", "disputed_at", "dispute_comment")
SIGNATURE_FIELDS = ("id", "party_id", "participant_id", "version", "method", "signed_at")
CHECK_IN_FIELDS = ("id", "participant_id", "checked_in_at", "checked_in_by_id")
ANNOUNCEMENT_FIELDS = ("id", "author_id", "text", "created_at")
REMINDER_FIELDS = ("id", "agreement_id", "party_id", "obligation_ids", "recipient_name", "recipient_email",
                   "subject", "state", "transport", "error", "created_by_id", "created_at", "sent_at",
                   "failed_at")


def iso(moment: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` (isoformat: several times faster than strftime)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _pick(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _converted(columns: Sequence[Any]) -> list[int]:
    """The positions of the columns whose values `_plain` changes (moments, dates, enums): the
    other columns' values go into the document as they are read."""
    return [i for i, column in enumerate(columns)
            if isinstance(column.type, (DateTime, Date, Enum, UTCDateTime))]


def _records(fields: Sequence[str], columns: Sequence[Any], rows: Any) -> Iterator[dict[str, Any]]:
    """Rows of `columns` as plain dicts of `fields`."""
    converted = _converted(columns)
    for row in rows:
        values = list(row)
        for i in converted:
            if values[i] is not None:
                values[i] = _plain(values[i])
        yield dict(zip(fields, values, strict=True))


def _columns(model: Any, fields: Sequence[str], *where: Any, order: Any) -> list[dict[str, Any]]:
    """Rows of `model` as plain dicts of `fields`, read as columns (no ORM objects: a big fair's
    document has tens of thousands of rows)."""
    columns = [getattr(model, name) for name in fields]
    return list(_records(fields, columns, db.session.execute(select(*columns).where(*where).order_by(*order))))


def _by_agreement(model: Any, fields: Sequence[str], fair_id: int, *order: Any) -> dict[int, list[dict[str, Any]]]:
    """The fair's rows of a table of agreements' parts, grouped by agreement."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    columns = [getattr(model, name) for name in fields]
    rows = db.session.execute(select(model.agreement_id, *columns).join(Agreement, Agreement.id == model.agreement_id)
                              .where(Agreement.fair_id == fair_id).order_by(*order)).all()
    for (agreement_id, *_values), record in zip(rows, _records(fields, columns, (r[1:] for r in rows)), strict=True):
        grouped.setdefault(agreement_id, []).append(record)
    return grouped


def fair_document(fair: Fair) -> dict[str, Any]:
    """The whole fair as one JSON-ready document (format gielda-fair, version 1)."""

    def rows(model: Any, fields: Sequence[str]) -> list[dict[str, Any]]:
        return _columns(model, fields, model.fair_id == fair.id, order=[model.id])

    parties = _by_agreement(AgreementParty, PARTY_FIELDS, fair.id, AgreementParty.agreement_id,
                            AgreementParty.position, AgreementParty.id)
    obligations = _by_agreement(Obligation, OBLIGATION_FIELDS, fair.id, Obligation.agreement_id,
                                Obligation.position, Obligation.id)
    signatures = _by_agreement(Signature, SIGNATURE_FIELDS, fair.id, Signature.agreement_id, Signature.id)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": iso(datetime.now(UTC)),
        "fair": _pick(fair, FAIR_FIELDS),
        "categories": [_pick(c, CATEGORY_FIELDS) for c in fair_categories(fair.id, include_archived=True)],
        "organisations": rows(Organisation, ORGANISATION_FIELDS),
        "participants": rows(Participant, PARTICIPANT_FIELDS),
        "posts": rows(Post, POST_FIELDS),
        "agreements": [{**a, "parties": parties.get(a["id"], []), "obligations": obligations.get(a["id"], []),
                        "signatures": signatures.get(a["id"], [])}
                       for a in rows(Agreement, AGREEMENT_FIELDS)],
        "check_ins": rows(CheckIn, CHECK_IN_FIELDS),
        "announcements": rows(Announcement, ANNOUNCEMENT_FIELDS),
        "reminders": rows(Reminder, REMINDER_FIELDS),
    }


def fair_json(fair: Fair) -> bytes:
    # Without `indent` json uses its C encoder (with it, the pure-Python one: several times slower).
    return json.dumps(fair_document(fair), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
