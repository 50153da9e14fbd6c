"""`flask fair badges`: badges and login slips printed from the command line."""

from __future__ import annotations

import click
from flask import current_app

from app.core.cli import fair_cli
from app.core.errors import DomainError
from app.core.web.urls import cli_loopback_warning, public_url
from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.fairs.queries import fair_by_slug
from app.fairs.roles import PASSWORD_ROLES


@fair_cli.command("badges")
@click.argument("slug")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The PDF file to write.")
@click.option("--slips", is_flag=True, help="Private login slips instead of badges.")
@click.option("--layout", type=click.Choice(["sheet", "card"]), default="sheet", show_default=True,
              help="sheet: A4 with cut marks; card: one per page, the page the size of the badge.")
def badges_command(slug: str, output: str, slips: bool, layout: str) -> None:
    """Write the badges (or login slips) of everyone at the fair to one PDF."""


    fair = fair_by_slug(slug)
    if fair is None:
        raise click.ClickException(f"There is no fair '{slug}'.")
    people = printable_people(fair.id)
    if slips:  # staff log in with their password; a revoked login gets no slip
        people = [p for p in people if p.role not in PASSWORD_ROLES and not p.login_revoked]
    base = public_url()
    kind = PrintKind.SLIPS if slips else PrintKind.BADGES
    warning = cli_loopback_warning(base, f"The QR codes on these {kind.value}")
    if warning:
        click.echo(warning, err=True)
    elif not current_app.config.get("PUBLIC_URL"):
        click.echo(f"Note: PUBLIC_URL is not set; the QR codes point to {base}.", err=True)
    with click.progressbar(length=len(people), label=f"Laying out {kind.value}") as bar:
        def progress(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        try:
            pages = write_for_people(kind, fair, people, output, base=base, layout=PrintLayout(layout),
                                     progress=progress)
        except DomainError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"{output}: {pages} pages for {len(people)} participants.")
