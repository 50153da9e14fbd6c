"""The `flask agreements` commands (app/agreements/cli.py): `pdf <number> --output FILE.pdf` and `remind`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.agreements.annulment import annul_by_organiser
from app.agreements.models import Reminder, ReminderState
from app.agreements.pdf import stored_pdf
from app.core.extensions import db
from app.fairs.roles import Role
from app.people.models import Participant
from tests.agreements.conftest import Deal
from tests.mail_server import free_port
from tests.pdfs import pdf_text, qr_payloads


def test_writes_the_kept_pdf(make_signed_agreement, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    out = tmp_path / "umowa.pdf"
    result = runner.invoke(args=["agreements", "pdf", agreement.number, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"agreement {agreement.number}" in result.output
    text = pdf_text(out)
    assert f"Porozumienie nr {agreement.number}" in text and agreement.content_hash in text
    assert "Żółkiewska" in text
    assert out.read_bytes() == stored_pdf(agreement.id)  # rendered once and kept


def test_copies_option(make_signed_agreement, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    out = tmp_path / "copies.pdf"
    result = runner.invoke(args=["agreements", "pdf", agreement.number, "-o", str(out), "--copies"])
    assert result.exit_code == 0, result.output
    assert pdf_text(out).count("Egzemplarz dla:") == 4  # a heading and a page footer per copy


def test_by_id_and_annulled(make_signed_agreement, organiser, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Pomyłka")
    out = tmp_path / "annulled.pdf"
    result = runner.invoke(args=["agreements", "pdf", str(agreement.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert agreement.number in pdf_text(out)


def test_unknown_number(app, runner, tmp_path: Path):
    out = tmp_path / "none.pdf"
    result = runner.invoke(args=["agreements", "pdf", "GZ/tczew/999", "-o", str(out)])
    assert result.exit_code == 1
    assert "There is no agreement GZ/tczew/999." in result.output
    assert not out.exists()


def test_unsigned_agreement(trading_fair, make_participant, make_draft, runner, tmp_path: Path):
    draft = make_draft(make_participant(), make_participant())
    out = tmp_path / "draft.pdf"
    result = runner.invoke(args=["agreements", "pdf", str(draft.id), "-o", str(out)])
    assert result.exit_code == 1
    assert "nie zostało jeszcze podpisane" in result.output  # the domain error, in the default locale
    assert not out.exists()


def test_output_is_required(app, runner):
    result = runner.invoke(args=["agreements", "pdf", "GZ/tczew/001"])
    assert result.exit_code == 2 and "--output" in result.output


# --- remind ------------------------------------------------------------------------------------

def reminders() -> list[Reminder]:
    return list(db.session.scalars(select(Reminder).order_by(Reminder.id)))


def count(state: ReminderState | None = None) -> int:
    query = select(func.count()).select_from(Reminder)
    if state is not None:
        query = query.where(Reminder.state == state)
    return int(db.session.scalar(query) or 0)


PAST = date.today() - timedelta(days=10)


def test_cli_remind(runner: Any, outbox: Path, make_deal: Callable[..., Deal],
                    make_participant: Callable[..., Participant]) -> None:
    make_participant("Ewa", "Ślęzak", role=Role.ORGANISER)
    make_deal(due_a=PAST)
    result = runner.invoke(args=["agreements", "remind", "tczew"])
    assert result.exit_code == 0, result.output
    assert "Reminders sent to the outbox" in result.output and ": 2;" in result.output
    assert len(list(outbox.glob("*.eml"))) == 2
    assert all(r.created_by_id is None for r in reminders())
    result = runner.invoke(args=["agreements", "remind", "tczew"])
    assert result.exit_code == 0 and "already reminded recently: 2" in result.output
    result = runner.invoke(args=["agreements", "remind", "nowhere"])
    assert result.exit_code != 0 and "no fair" in result.output


def test_cli_remind_fails_loudly_when_smtp_is_down(app: Flask, runner: Any, make_deal: Callable[..., Deal]) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TLS="none")
    make_deal(due_a=PAST)
    result = runner.invoke(args=["agreements", "remind", "tczew"])
    assert result.exit_code == 1
    assert "failed: 2" in result.output
    assert count(ReminderState.FAILED) == 2


def test_warns_when_a_newly_rendered_qr_code_would_point_to_this_computer(
        app: Flask, make_signed_agreement, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    app.config["PUBLIC_URL"] = "http://localhost:5000"
    result = runner.invoke(args=["agreements", "pdf", agreement.number, "--output", str(tmp_path / "a.pdf")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("WARNING: A newly rendered agreement's QR code will point to "
                                    "http://localhost:5000, an address of this computer only")
    assert qr_payloads(tmp_path / "a.pdf", tmp_path) == [f"http://localhost:5000/c/{agreement.public_code}"]
