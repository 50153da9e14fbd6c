"""`flask --app app fair …` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import transaction
from app.extensions import db
from app.fair.urls import login_url, public_url

fair_cli = AppGroup("fair", help="Fairs: the demo fair, set-up, badges.")


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
    click.echo(f"  Fair page:    {base}/f/{fair.slug}/")
    click.echo(f"  Log in at:    {base}/f/{fair.slug}/login")
    click.echo(f"  Organiser:    {logins.organiser.email} / {logins.password}")
    click.echo(f"  Notary:       {logins.notary.email} / {logins.password}")
    click.echo("  A participant's phone (their private login link, as on a login slip):")
    click.echo(f"                {login_url(fair.slug, logins.participant.login_secret, base)}")


@fair_cli.command("setup-link")
def setup_link_command() -> None:
    """Print the link where a new installation's first organiser creates the first fair."""
    from app.fair.first_fair import has_fairs, setup_code

    if has_fairs():
        raise click.ClickException("This installation already has a fair; create more from its settings.")
    click.echo(f"{public_url()}/setup?code={setup_code(current_app.instance_path)}")


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


@fair_cli.command("badges")
@click.argument("slug")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The PDF file to write.")
@click.option("--slips", is_flag=True, help="Private login slips instead of badges.")
@click.option("--layout", type=click.Choice(["sheet", "card"]), default="sheet", show_default=True,
              help="sheet: A4 with cut marks; card: one per page, the page the size of the badge.")
def badges_command(slug: str, output: str, slips: bool, layout: str) -> None:
    """Write the badges (or login slips) of everyone at the fair to one PDF."""
    from sqlalchemy import select

    from app.errors import DomainError
    from app.fair.badges import PrintKind, PrintLayout, printable_people, write_for_people
    from app.fair.models import Fair
    from app.fair.sectors import PASSWORD_ROLES

    fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise click.ClickException(f"There is no fair '{slug}'.")
    people = printable_people(fair.id)
    if slips:  # staff log in with their password; a revoked login gets no slip
        people = [p for p in people if p.role not in PASSWORD_ROLES and not p.login_revoked]
    base = public_url()
    if not current_app.config.get("PUBLIC_URL"):
        click.echo(f"Note: PUBLIC_URL is not set; the QR codes point to {base}.", err=True)
    kind = PrintKind.SLIPS if slips else PrintKind.BADGES
    with click.progressbar(length=len(people), label=f"Laying out {kind.value}") as bar:
        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        try:
            pages = write_for_people(kind, fair, people, output, base=base, layout=PrintLayout(layout),
                                     progress=progress)
        except DomainError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"{output}: {pages} pages for {len(people)} participants.")


@fair_cli.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True)
@click.option("--table", type=click.Choice(["participants", "organisations", "posts", "agreements", "check_ins",
                                            "follow_up"]),
              help="One table (required for csv; without it xlsx writes the full workbook).")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write.")
def export_command(slug: str, fmt: str, table: str | None, output: str) -> None:
    """Export a fair: a table as CSV or XLSX, every table as one XLSX workbook, or the whole fair as JSON."""
    from pathlib import Path

    from sqlalchemy import select

    from app.fair.exports import export_file
    from app.fair.models import Fair

    fair = db.session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise click.ClickException(f"There is no fair '{slug}'.")
    try:
        export = export_file(fair, fmt, table)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    Path(output).write_bytes(export.data)
    click.echo(f"{output}: {export.filename.rsplit('.', 1)[0]}, {len(export.data):,} bytes.")
