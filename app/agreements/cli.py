"""`flask --app app agreements …` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.agreements.models import Agreement
from app.agreements.pdf import agreement_sheet, ensure_pdf, render_copies
from app.agreements.reminders import outbox_dir, send_reminders
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.web.inputs import db_int_or_none
from app.core.web.urls import cli_loopback_warning, public_url
from app.fairs.models import Fair

agreements_cli = AppGroup("agreements", help="Agreements: their PDFs, follow-up reminders.")


@agreements_cli.command("pdf")
@click.argument("number")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The PDF file to write.")
@click.option("--copies", is_flag=True, help="One copy per party (for printing) instead of the summary.")
def pdf_command(number: str, output: Path, copies: bool) -> None:
    """Write the PDF of agreement NUMBER (e.g. GZ/tczew/017; or an agreement's id, e.g. 12)."""

    ident = db_int_or_none(number)
    if ident is not None:
        agreement = db.session.get(Agreement, ident)
    else:
        agreement = db.session.scalar(select(Agreement).where(Agreement.number == number))
    if agreement is None:
        raise click.ClickException(f"There is no agreement {number}.")
    warning = cli_loopback_warning(public_url(), "A newly rendered agreement's QR code")
    if warning:
        click.echo(warning, err=True)
    elif not current_app.config.get("PUBLIC_URL"):
        click.echo(f"Note: PUBLIC_URL is not set; a newly rendered QR code points to {public_url()}.", err=True)
    try:
        data = (render_copies([agreement_sheet(agreement, with_annulment=True)]) if copies
                else ensure_pdf(agreement.id))
    except DomainError as err:
        raise click.ClickException(f"Agreement {agreement.number or number}: {err}") from err
    output.write_bytes(data)
    click.echo(f"{output}: agreement {agreement.number}, {len(data):,} bytes.")


@agreements_cli.command("remind")
@click.argument("slug")
@click.option("--overdue-only", is_flag=True, help="Only obligations past their due date.")
def remind_command(slug: str, overdue_only: bool) -> None:
    """E-mail a follow-up reminder to the parties of fair SLUG's signed agreements whose obligations are
    not yet confirmed (SMTP when SMTP_HOST is set, else .eml files in OUTBOX_DIR)."""

    fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise click.ClickException(f"There is no fair '{slug}'.")
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(f"Note: PUBLIC_URL is not set; the links in the e-mails point to {public_url()}.", err=True)
    try:
        report = send_reminders(None, fair.id, overdue_only=overdue_only, wait=True)  # this process sends them
    except DomainError as err:
        raise click.ClickException(str(err)) from err
    where = "by SMTP" if report.transport == "smtp" else f"to the outbox {outbox_dir()}"
    click.echo(f"Reminders sent {where}: {report.sent}; failed: {report.failed}; "
               f"already reminded recently: {report.skipped_recent}.")
    for party in report.without_address:
        click.echo(f"  no e-mail address: {party}")
    for error in report.errors:
        click.echo(f"  error: {error}", err=True)
    if report.failed:
        raise SystemExit(1)
