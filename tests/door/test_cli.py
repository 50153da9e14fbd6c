"""`flask fair badges` (app/door/cli.py)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.fairs.models import Fair
from app.people.models import Participant
from tests.door.conftest import BASE, card
from tests.pdfs import qr_payloads


def test_the_cli_writes_the_whole_fair_to_a_pdf(
        runner: object, fair: Fair, organiser: Participant, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "cli.pdf"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(pdf)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "1 pages for 4 participants" in result.output
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(card(p) for p in [*people, organiser])

    slips = tmp_path / "cli-slips.pdf"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(slips), "--slips"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert sorted(qr_payloads(slips, tmp_path)) == sorted(  # staff log in with a password: no slip
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in people)


def test_the_cli_refuses_an_unknown_fair(runner: object, app: Flask, tmp_path: Path) -> None:
    result = runner.invoke(args=["fair", "badges", "nope", "-o", str(tmp_path / "x.pdf")])  # type: ignore[attr-defined]
    assert result.exit_code != 0
    assert "There is no fair 'nope'" in result.output


def test_the_cli_warns_on_stderr_before_printing_qr_codes_only_this_computer_opens(
        runner: object, app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    app.config["PUBLIC_URL"] = None  # the CLI's own fallback, http://127.0.0.1:5000
    pdf = tmp_path / "loopback.pdf"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(pdf)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "WARNING: The QR codes on these badges will point to http://127.0.0.1:5000, an address of this computer only")
    assert "make hall" in result.stderr
    assert result.output.index("WARNING") < result.output.index("pages for")  # before anything is printed
    assert set(qr_payloads(pdf, tmp_path)) == {f"http://127.0.0.1:5000/p/{p.badge_code}" for p in people}

    app.config["PUBLIC_URL"] = "http://10.77.0.1:5000"
    result = runner.invoke(args=["fair", "badges", fair.slug, "--output", str(pdf)])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "WARNING" not in result.output
