"""The `flask fair` commands that span every area: the demo fair and the first-fair setup link."""

from __future__ import annotations

import click
from flask import current_app

from app.core.cli import fair_cli
from app.core.web.urls import login_url, public_url
from app.demo import create_demo_fair, demo_exists
from app.people.first_fair import has_fairs, setup_code
from app.people.queries import participant_counts


@fair_cli.command("demo")
@click.option("--slug", default="demo", show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a fair.")
def demo_command(slug: str, if_empty: bool) -> None:
    """Create the demo fair (shaped like the Tczew fair) and print its logins."""
    if if_empty and has_fairs():
        return
    if demo_exists(slug):
        raise click.ClickException(f"The fair '{slug}' exists already.")
    logins = create_demo_fair(slug)
    base = public_url()
    fair = logins.fair
    n, orgs = participant_counts(fair.id)
    click.echo(f"Demo fair '{fair.name}' created: {n} participants from {orgs} organisations.")
    click.echo(f"  Fair page:    {base}/f/{fair.slug}/")
    click.echo(f"  Log in at:    {base}/f/{fair.slug}/login")
    click.echo(f"  Organiser:    {logins.organiser.email} / {logins.password}")
    click.echo(f"  Notary:       {logins.notary.email} / {logins.password}")
    click.echo(f"  Broker:       {logins.broker.email} / {logins.password}")
    space = logins.coordinator.fair
    click.echo(f"  The network between fairs: {base}/f/{space.slug}/login — its coordinator: "
               f"{logins.coordinator.email} / {logins.password}")
    click.echo("  A participant's phone (their private login link, as on a login slip):")
    click.echo(f"                {login_url(fair.slug, logins.participant.login_secret, base)}")


@fair_cli.command("setup-link")
def setup_link_command() -> None:
    """Print the link where a new installation's first organiser creates the first fair."""
    if has_fairs():
        raise click.ClickException("This installation already has a fair; create more from its settings.")
    click.echo(f"{public_url()}/setup?code={setup_code(current_app.instance_path)}")
