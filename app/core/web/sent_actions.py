"""Actions sent with a client's one-time key: the same key twice does the action once.

A phone that lost the hall's Wi-Fi keeps what its person did (edit a post, sign, confirm a
delivery) and sends it when the connection returns — perhaps twice: the answer to the first
send may have been lost on the way back, so the phone cannot know that the server has it. Each
action carries a key the phone made (static/js/offline.js); the service that acts records
(person, key) → (action, target) in the same transaction as the change, under a unique
constraint. A second send of the key changes nothing and answers as the first did: it returns
the target as it is now, without the rules that would refuse a repeat (a version that has moved
on since the first send is the first send's own doing, not a conflict).

A refused action records nothing (its transaction is rolled back with the key), so a refusal
is answered again, by the same rules, every time the key is sent. Creating a post has its own
one-time key on the post (app/core/web/formkeys.py), which the phone's key feeds.

Two sends of one key at the same moment: `earlier_action` takes the key's lock
(`lock_form_key`, as the form keys do) before it looks, so the second waits for the first to
commit and then finds its record.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.errors import ValidationError
from app.core.extensions import db
from app.core.storage.db import Base, utcnow
from app.core.web.formkeys import lock_form_key, scoped_key


class SentAction(Base):
    """One action a person sent with a key of their own making."""

    __tablename__ = "sent_actions"
    __table_args__ = (UniqueConstraint("participant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(40))  # e.g. "post.edit", "agreement.sign"
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def earlier_action(actor_id: int, fair_id: int, key: str | None, action: str, target_id: int) -> bool:
    """Inside the acting service's transaction, before its rules: has this person already done
    this action with this key? (Waits for a send of the same key that is under way.) None: no
    key, nothing to recognise. The same key used for another action or target is refused: a key
    names one action."""
    scoped = scoped_key(actor_id, key)  # refuses a malformed key
    if scoped is None:
        return False
    lock_form_key(fair_id, scoped)
    earlier = db.session.scalar(select(SentAction).where(SentAction.participant_id == actor_id,
                                                         SentAction.key == key))
    if earlier is None:
        return False
    if earlier.action != action or earlier.target_id != target_id:
        raise ValidationError(_l("The form has expired. Please try again."), code="key_reused")
    return True


def record_action(actor_id: int, fair_id: int, key: str | None, action: str, target_id: int) -> None:
    """The action is done in this transaction: remember its key (None: nothing to remember)."""
    if key is None:
        return
    db.session.add(SentAction(fair_id=fair_id, participant_id=actor_id, key=key, action=action,
                              target_id=target_id))
