"""`flask fair export`: a fair's tables written from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from app.core.cli import fair_cli
from app.fairs.queries import fair_by_slug
from app.reports.exports import export_file


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



    fair = fair_by_slug(slug)
    if fair is None:
        raise click.ClickException(f"There is no fair '{slug}'.")
    try:
        export = export_file(fair, fmt, table)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    Path(output).write_bytes(export.data)
    click.echo(f"{output}: {export.filename.rsplit('.', 1)[0]}, {len(export.data):,} bytes.")
