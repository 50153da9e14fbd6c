"""`flask network remind` (app/between/cli.py)."""

from sqlalchemy import func, select

from app.between.space import enter_network_space
from app.core.extensions import db
from app.core.output.mail_queue import QueuedMail


def test_remind_queues_the_days_reminders_and_says_how_many(runner, make_participant, outbox):
    enter_network_space(make_participant(organisation="Fundacja Pszczoła"))
    result = runner.invoke(args=["network", "remind"])
    assert result.exit_code == 0, result.output
    assert "asked for a current offer: 1" in result.output
    queued = select(func.count()).select_from(QueuedMail).where(QueuedMail.kind == "current_offer")
    assert db.session.scalar(queued) == 1


def test_remind_without_a_network_space_does_nothing(runner):
    result = runner.invoke(args=["network", "remind"])
    assert result.exit_code == 0 and "Reminders to renew: 0; asked for a current offer: 0." in result.output
