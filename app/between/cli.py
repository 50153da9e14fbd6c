"""`flask --app app network …` commands: the reminders between fairs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.between.reminders import queue_standing_reminders
from app.core.web.urls import public_url
from app.ledger.permissions import SystemActor

network_cli = AppGroup("network", help="The network between fairs: reminders to renew and to keep an offer.")


@network_cli.command("remind")
def remind_command() -> None:
    """Queue today's reminders between fairs (the consumer sends them; it also runs this daily):
    renew standing posts that end soon; members with no current offer are asked for one."""
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(f"Note: PUBLIC_URL is not set; the links in the e-mails point to {public_url()}.", err=True)
    report = queue_standing_reminders(SystemActor("cli"))
    click.echo(f"Reminders to renew: {report.renewals}; asked for a current offer: {report.offer_requests}.")
    for name in report.without_address:
        click.echo(f"  no e-mail address: {name}")
