"""Reminders between fairs (app/between/reminders.py): renew a standing post before it ends; keep
at least one current offer."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.between.reminders import queue_standing_reminders
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail
from app.core.storage.db import utcnow
from app.fairs.categories import fair_categories
from app.floor.kinds import PostKind
from app.floor.posts import PostData, create_post, renew_post
from app.ledger.permissions import SystemActor

OPERATOR = SystemActor("test")


def _mails(kind):
    return list(db.session.scalars(select(QueuedMail).where(QueuedMail.kind == kind).order_by(QueuedMail.id)))


def _standing(person, kind=PostKind.OFFER, title="Sala na 40 osób"):
    rooms = next(c.id for c in fair_categories(person.fair_id) if c.key == "rooms")
    return create_post(person, person.fair_id, PostData(kind=kind, category_id=rooms, title=title))


def test_an_author_is_reminded_once_before_their_post_ends(app, member_at_space, outbox):
    person = member_at_space()
    post = _standing(person)
    days = app.config["STANDING_POST_DAYS"] - app.config["STANDING_RENEWAL_NOTICE_DAYS"]
    assert queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=days - 1)).renewals == 0
    report = queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=days + 1))
    assert report.renewals == 1
    [mail] = _mails("standing_renewal")
    assert mail.recipient_email == person.email and post.title in mail.body
    assert f"/f/{person.fair.slug}/login/{person.login_secret}" in mail.body
    assert queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=days + 2)).renewals == 0


def test_renewing_lets_the_next_end_be_reminded_again(app, member_at_space, outbox):
    person = member_at_space()
    post = _standing(person)
    due = utcnow() + timedelta(days=app.config["STANDING_POST_DAYS"] - 1)
    assert queue_standing_reminders(OPERATOR, due).renewals == 1
    assert queue_standing_reminders(OPERATOR, due).renewals == 0  # reminded of this end already
    renew_post(person, person.fair_id, post.id)
    assert queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=1)).renewals == 0  # not due yet
    assert queue_standing_reminders(OPERATOR, due).renewals == 1


def test_a_member_without_a_current_offer_is_asked_for_one(member_at_space, outbox):
    person = member_at_space()
    _standing(person, kind=PostKind.NEED, title="Potrzebny rzutnik")  # a need is no offer
    report = queue_standing_reminders(OPERATOR)
    assert report.offer_requests == 1
    [mail] = _mails("current_offer")
    assert mail.recipient_email == person.email and person.organisation.name in mail.body


def test_a_member_with_a_current_offer_is_not_asked(member_at_space, outbox):
    _standing(member_at_space())
    assert queue_standing_reminders(OPERATOR).offer_requests == 0


def test_a_member_is_asked_again_only_after_the_configured_days(app, member_at_space, outbox):
    member_at_space()
    queue_standing_reminders(OPERATOR)
    every = app.config["CURRENT_OFFER_REMINDER_DAYS"]
    assert queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=every - 1)).offer_requests == 0
    assert queue_standing_reminders(OPERATOR, utcnow() + timedelta(days=every + 1)).offer_requests == 1


def test_asking_for_an_offer_can_be_switched_off(app, member_at_space, outbox):
    app.config["CURRENT_OFFER_REMINDER_DAYS"] = 0
    member_at_space()
    assert queue_standing_reminders(OPERATOR).offer_requests == 0


def test_someone_without_an_email_is_named_in_the_report(member_at_space, outbox):
    person = member_at_space(email="", organisation="Koło Gospodyń Wiejskich w Rukoszynie")
    report = queue_standing_reminders(OPERATOR)
    assert report.offer_requests == 0 and report.without_address == [person.organisation.name]


def test_a_fair_organiser_does_not_send_the_networks_reminders(organiser):
    with pytest.raises(DomainError) as err:
        queue_standing_reminders(organiser)
    assert err.value.code == "not_coordinator"


def test_the_coordinator_sends_them_and_is_not_asked_for_an_offer(coordinator, member_at_space, outbox):
    member_at_space()
    assert queue_standing_reminders(coordinator).offer_requests == 1
    assert [m.recipient_email for m in _mails("current_offer")] != [coordinator.email]
