"""A reminder batch survives a restart: the process consuming the queue is killed with SIGKILL
while it is in the middle of a batch — five reminders delivered, the sixth waiting for the mail
server's answer — and once it is started again the rest go out, every reminder exactly once (a
real SMTP server: aiosmtpd on 127.0.0.1). In both set-ups: the embedded one (`python -m app`
consumes its SQLite queue in its own threads: the server is killed) and the deployment's (web
processes with TASK_WORKERS=0, Redis, `flask tasks consume` beside them: the consumer is killed)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import select

from app.agreements.drafting import ObligationData
from app.agreements.models import Agreement, Reminder, ReminderState
from app.core.extensions import db
from app.people.models import Participant
from tests.conftest import PASSWORD
from tests.live import ConsumerProcess, LiveServer, csrf_token, staff_session, wait_until
from tests.mail_server import Collector

DEALS = 6  # two parties each: twelve reminders
HELD_AFTER = 5


def _rows() -> list[Reminder]:
    db.session.remove()  # a fresh snapshot of what the server processes committed
    return list(db.session.scalars(select(Reminder).order_by(Reminder.id)))


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["embedded", "redis"])
def test_a_reminder_batch_killed_midway_sends_each_reminder_once_after_a_restart(
        request: pytest.FixtureRequest, shape: str, app: Flask, database_url: str, tmp_path: Path, smtp: Collector,
        organiser: Participant, make_participant: Callable[..., Participant],
        make_signed_agreement: Callable[..., Agreement]) -> None:
    overdue = date.today() - timedelta(days=5)
    for n in range(DEALS):
        a = make_participant("Łucja", f"Żółkiewska-{n}", email=f"lucja{n}@example.org", organisation=f"Fundacja {n}")
        b = make_participant("Grzegorz", f"Brzęczyszczykiewicz-{n}", email=f"grzegorz{n}@example.org",
                             organisation=f"Spółdzielnia {n}")
        make_signed_agreement(a, b, obligations=[
            ObligationData(a.organisation_id, b.organisation_id, "Sala na 30 osób", points=30, due_date=overdue)])
    slug = organiser.fair.slug
    env = {"INSTANCE_PATH": str(tmp_path / "instance"), "SMTP_HOST": "127.0.0.1",
           "SMTP_PORT": str(app.config["SMTP_PORT"]), "SMTP_TLS": "none", "SMTP_FROM": "gielda@tczew.example.org"}
    queue_name = f"gielda-test-{uuid.uuid4().hex}"
    if shape == "redis":
        env.update(HUEY_URL=request.getfixturevalue("redis_url"), HUEY_NAME=queue_name, TASK_WORKERS="0")
    smtp.hold_after(HELD_AFTER)

    web = LiveServer(database_url, tmp_path, extra_env=env)
    env["PUBLIC_URL"] = web.url

    def start_worker() -> LiveServer | ConsumerProcess:
        if shape == "embedded":
            return web
        return ConsumerProcess(database_url, tmp_path, extra_env=env)

    worker = start_worker()
    try:
        try:
            http = staff_session(web.url, slug, organiser.email, PASSWORD)
            page = http.get(f"{web.url}/f/{slug}/admin/follow-up", timeout=10)
            r = http.post(f"{web.url}/f/{slug}/admin/follow-up/reminders", data={"csrf_token": csrf_token(page.text)},
                          timeout=10)
            assert r.status_code == 200
            assert "Przypomnienia w trakcie wysyłania:" in r.text  # the request only queued them

            assert smtp.held.wait(60), "the batch never reached its sixth message"
            assert len(smtp.messages) == HELD_AFTER
            follow_up = http.get(f"{web.url}/f/{slug}/admin/follow-up", timeout=10).text
            assert follow_up.count("reminder reminder-sent") == HELD_AFTER  # progress, as the page shows it
            assert follow_up.count("reminder reminder-pending") == 2 * DEALS - HELD_AFTER
            worker.kill()  # the sixth is waiting for the mail server's answer
        finally:
            worker.stop()
            smtp.release.set()

        before = _rows()
        assert [r.state for r in before].count(ReminderState.SENT) == HELD_AFTER
        in_flight = [r for r in before if r.state == ReminderState.PENDING and r.claimed_by]
        assert len(in_flight) == 1  # claimed by the dead process, its outcome never recorded

        if shape == "embedded":
            web = worker = LiveServer(database_url, tmp_path, extra_env=env)
        else:
            worker = start_worker()
        try:
            rows = wait_until(_rows, lambda rs: all(r.state != ReminderState.PENDING for r in rs), timeout=120,
                              what="the rest of the batch")
        finally:
            worker.stop()
    finally:
        web.stop()
        if shape == "redis":
            client = redis.Redis.from_url(env["HUEY_URL"])
            keys = client.keys(f"*{queue_name}*")
            if keys:
                client.delete(*keys)
    assert [r.state for r in rows] == [ReminderState.SENT] * (2 * DEALS)
    recipients = Counter(rcpt for _from, rcpts in smtp.envelopes for rcpt in rcpts)
    assert recipients == Counter({**{f"lucja{n}@example.org": 1 for n in range(DEALS)},
                                  **{f"grzegorz{n}@example.org": 1 for n in range(DEALS)}})
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(r.message_id for r in rows)
    assert all(m["Reply-To"] == organiser.email for m in smtp.messages)  # kept for the resumed ones too
    resumed = {r.claimed_by for r in rows[HELD_AFTER:]}
    assert len(resumed) == 1 and resumed != {in_flight[0].claimed_by}  # taken over by the new process
