"""`flask --app app ledger …`: verify, export, import opening balances."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.fairs.fairs import get_fair
from app.ledger.coordinators import find_staff, network_coordinators, set_network_coordinator
from app.ledger.exports import iter_balances_csv, iter_entries_csv, ledger_json
from app.ledger.imports import import_opening_balances
from app.ledger.permissions import SystemActor
from app.ledger.verify import verify_ledger

ledger_cli = AppGroup("ledger", help="The points ledger: verify, export, import opening balances.")


@ledger_cli.command("verify")
def verify_command() -> None:
    """Re-check every invariant; exit 1 naming the offending ids if any fails."""

    started = time.perf_counter()
    report = verify_ledger()
    elapsed = time.perf_counter() - started
    for problem in report.problems:
        click.echo(f"FAIL {problem}", err=True)
    summary = (f"{report.entries} entries, {report.postings} postings, {report.accounts} accounts "
               f"checked in {elapsed:.2f} s")
    if not report.ok:
        click.echo(f"Ledger verification failed: {len(report.problems)} problem(s); {summary}.", err=True)
        sys.exit(1)
    click.echo(f"Ledger OK: {summary}.")


@ledger_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option("--what", type=click.Choice(["entries", "balances"]), default="entries", show_default=True,
              help="For CSV: which table (JSON always holds both).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_command(fmt: str, what: str, output: Path | None) -> None:
    """Export entries and balances in the format of docs/ledger-format.md."""

    if fmt == "json":
        chunks = iter([ledger_json() + "\n"])
    else:
        chunks = iter_entries_csv() if what == "entries" else iter_balances_csv()
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as fh:
        for chunk in chunks:
            fh.write(chunk)
    click.echo(f"Written to {output}.", err=True)


@ledger_cli.command("import-openings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fair", "slug", required=True, help="The fair whose organisations and participants are named.")
def import_command(file: Path, slug: str) -> None:
    """Import opening balances from a CSV file (all rows or none)."""

    try:
        fair = get_fair(slug)
        result = import_opening_balances(SystemActor("cli"), fair.id, file.read_bytes())
    except DomainError as err:
        for error in err.details.get("errors", []):
            click.echo(f"line {error['line']}: {error['message']} [{error['code']}]", err=True)
        raise click.ClickException(f"{err} [{err.code}]") from err
    click.echo(f"Imported {result.posted} opening balance(s), {result.already_posted} already imported "
               f"before; {result.points} points in total.")


@ledger_cli.command("coordinator")
@click.argument("action", type=click.Choice(["add", "remove", "list"]))
@click.option("--fair", "slug", help="The fair the organiser belongs to (add, remove).")
@click.option("--email", help="The organiser's e-mail (add, remove).")
def coordinator_command(action: str, slug: str | None, email: str | None) -> None:
    """Grant or take away the network coordinator's view of every fair's ledger, or list who has it."""

    if action == "list":
        for person in network_coordinators():
            click.echo(f"{person.email}\t{person.fair.slug}\t{person.full_name}")
        return
    if not slug or not email:
        raise click.UsageError("--fair and --email are required to add or remove a coordinator.")
    try:
        person = find_staff(slug, email)
        set_network_coordinator(SystemActor("cli"), person.id, action == "add")
    except DomainError as err:
        raise click.ClickException(f"{err} [{err.code}]") from err
    click.echo(f"{person.full_name} ({person.email}, {slug}) "
               + ("now coordinates the network." if action == "add" else "no longer coordinates the network."))
