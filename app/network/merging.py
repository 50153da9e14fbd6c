"""Merging two member records that turn out to be one: the one merged away keeps its row (and its
name in history), pointing at the one it became; the areas above move what was theirs.

The audited service that decides a merge is the people area's (`app/people/members.py`: who may
merge, and its fairs' organisations); the areas above it register here what else must follow (the
ledger carries the merged member's balance), from the top of the app, as the lower area cannot
import them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l

from app.core.errors import Conflict, ValidationError
from app.core.extensions import db
from app.core.storage.db import utcnow
from app.network.models import Member, PossibleDuplicate
from app.network.recognition import MemberData, fill_gaps

MergeHook = Callable[[Member, Member], None]  # (kept, merged away), inside the merge's transaction
_hooks: list[MergeHook] = []


def on_merge(hook: MergeHook) -> None:
    """Run `hook` in every merge's transaction (registered once, by `create_app`)."""
    if hook not in _hooks:
        _hooks.append(hook)


def merge_records(keep: Member, gone: Member) -> Member:
    """Merge `gone` into `keep` inside the caller's transaction: `keep` learns what it lacked,
    `gone` points at it, possible duplicates between them are decided, the hooks follow."""
    if keep.id == gone.id:
        raise ValidationError(_l("Choose two different organisations."), code="same_member")
    if keep.merged_into_id is not None or gone.merged_into_id is not None:
        raise Conflict(_l("This organisation has already been merged into another."), code="already_merged")
    gone.merged_into_id, gone.merged_at = keep.id, utcnow()
    db.session.flush()  # a merged record's numbers are unique no more: `keep` may take them now
    fill_gaps(keep, MemberData(name=gone.name, sector=gone.sector, city=gone.city, email=gone.email,
                               phone=gone.phone, website=gone.website, description=gone.description,
                               branch=gone.branch, nip=gone.nip, krs=gone.krs, regon=gone.regon))
    keep.public_profile = keep.public_profile or gone.public_profile
    for hook in _hooks:
        hook(keep, gone)
    return keep


def decide_duplicate(duplicate: PossibleDuplicate, same: bool, decided_by_id: int | None) -> None:
    if duplicate.decided_at is not None:
        raise Conflict(_l("This has been decided already."), code="already_decided")
    duplicate.decided_at, duplicate.decision, duplicate.decided_by_id = (
        utcnow(), "same" if same else "different", decided_by_id)
