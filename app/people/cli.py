"""`flask fair create`: a fair and its first organiser, from the command line."""

from __future__ import annotations

import click

from app.core.cli import fair_cli
from app.core.errors import DomainError
from app.core.web.urls import public_url
from app.fairs.fairs import FairData
from app.network.sectors import Sector
from app.people.credentials import MIN_PASSWORD_LENGTH
from app.people.first_fair import FirstFair, create_fair_with_organiser
from app.people.organisations import OrganisationData
from app.people.participants import PersonData


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
        create_fair_with_organiser(FirstFair(
            fair=FairData(slug=slug, name=name, venue=venue),
            organiser=PersonData(organiser_first_name, organiser_last_name, organiser_email),
            organisation=OrganisationData(organisation, Sector.PUBLIC), password=password))
    except DomainError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Fair '{name}' created: {public_url()}/f/{slug}/login")
