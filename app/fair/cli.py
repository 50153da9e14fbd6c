"""`flask --app app fair …` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import transaction
from app.extensions import db

fair_cli = AppGroup("fair", help="Fairs: the demo fair, set-up, badges.")


def public_url() -> str:
    return current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"


@fair_cli.command("demo")
@click.option("--slug", default="demo", show_default=True)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a fair.")
def demo_command(slug: str, if_empty: bool) -> None:
    """Create the demo fair (shaped like the Tczew fair) and print its logins."""
    from sqlalchemy import func, select

    from app.fair.demo import create_demo_fair, demo_exists
    from app.fair.models import Fair

    if if_empty and db.session.scalar(select(func.count()).select_from(Fair)):
        return
    if demo_exists(slug):
        raise click.ClickException(f"The fair '{slug}' exists already.")
    logins = create_demo_fair(slug)
    base = public_url()
    fair = logins.fair
    n = len(fair.participants)
    orgs = len({p.organisation_id for p in fair.participants})
    click.echo(f"Demo fair '{fair.name}' created: {n} participants from {orgs} organisations.")
    click.echo(f"  Fair page:  {base}/f/{fair.slug}/")
    click.echo(f"  Staff login page: {base}/f/{fair.slug}/login")
    click.echo(f"  Organiser:  {logins.organiser.email} / {logins.password}")
    click.echo(f"    or open:  {base}/f/{fair.slug}/login/{logins.organiser.login_secret}")
    click.echo(f"  Notary:     {logins.notary.email} / {logins.password}")
    click.echo(f"    or open:  {base}/f/{fair.slug}/login/{logins.notary.login_secret}")


@fair_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--venue", default="")
@click.option("--organiser-first-name", required=True)
@click.option("--organiser-last-name", required=True)
@click.option("--organiser-email", required=True)
@click.option("--organisation", required=True, help="The organiser's organisation.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_command(slug: str, name: str, venue: str, organiser_first_name: str,
                   organiser_last_name: str, organiser_email: str, organisation: str,
                   password: str) -> None:
    """Create a fair with its first organiser."""
    from app.errors import DomainError
    from app.fair.credentials import MIN_PASSWORD_LENGTH, set_password_unchecked
    from app.fair.fairs import FairData, create_fair
    from app.fair.organisations import OrganisationData
    from app.fair.participants import PersonData, create_participant
    from app.fair.sectors import Role, Sector

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.ClickException(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        with transaction():
            fair = create_fair(FairData(slug=slug, name=name, venue=venue))
            person = create_participant(
                fair.id, PersonData(organiser_first_name, organiser_last_name, organiser_email,
                                    role=Role.ORGANISER),
                OrganisationData(organisation, Sector.PUBLIC))
            set_password_unchecked(person, password)
    except DomainError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Fair '{name}' created: {public_url()}/f/{slug}/login")
