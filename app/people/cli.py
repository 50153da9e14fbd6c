"""`flask fair create`: a fair and its first organiser, from the command line."""

from __future__ import annotations

import click

from app.core.cli import fair_cli
from app.core.errors import DomainError
from app.core.transactions import transaction
from app.core.urls import public_url
from app.fairs.fairs import FairData, create_fair
from app.fairs.roles import Role
from app.people.credentials import MIN_PASSWORD_LENGTH, set_password_unchecked
from app.people.organisations import OrganisationData
from app.people.participants import PersonData, create_participant
from app.people.sectors import Sector


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
