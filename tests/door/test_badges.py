"""Printed badges and login slips (app/door/badges.py): what is on them, read back from the PDF."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from app.door.badges import PrintKind, PrintLayout, printable_people, write_for_people
from app.fairs.models import Fair
from app.people.credentials import revoke_login
from app.people.models import Participant
from tests.door.conftest import BASE, card
from tests.pdfs import page_sizes, pdf_bytes_inflated, pdf_text, qr_payloads

# --- reading a PDF back ------------------------------------------------------------------------

# --- what is printed ---------------------------------------------------------------------------

def test_badges_show_polish_names_and_qr_codes_of_the_public_cards(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    pages = write_for_people(PrintKind.BADGES, fair, printable_people(fair.id), str(pdf), base=BASE)

    assert pages == 1
    text = pdf_text(pdf)
    for expected in ("Łucja Żółkiewska", "Fundacja Źdźbło", "Grzegorz Brzęczyszczykiewicz",
                     "Spółdzielnia Socjalna „Łąka”", "Zdzisław Ćwik", "Giełda Zasobów Tczew"):
        assert expected in text
    assert "(mieszkaniec)" not in text  # a resident's organisation is not printed
    for person in people:
        assert person.badge_code in text
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(card(p) for p in people)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Badge-Sans" in fonts and "DejaVu" not in fonts  # our static/fonts files, not the system's


def test_staff_badges_name_the_role(
        app: Flask, fair: Fair, notary: Participant, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    write_for_people(PrintKind.BADGES, fair, [notary, people[0]], str(pdf), base=BASE)
    text = pdf_text(pdf)
    assert text.count("Notariusz") == 1


def test_badges_carry_no_login_secret_or_pin_anywhere(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "badges.pdf"
    write_for_people(PrintKind.BADGES, fair, people, str(pdf), base=BASE)

    everything = pdf_bytes_inflated(pdf)
    text = pdf_text(pdf)
    payloads = qr_payloads(pdf, tmp_path)
    for person in people:
        assert person.login_secret.encode() not in everything
        assert person.login_secret not in text
        assert "/login/" not in " ".join(payloads)
        assert f"PIN: {person.pin}" not in text


def test_a_slip_holds_the_login_link_as_qr_and_the_badge_code_and_pin(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    person = people[0]
    pdf = tmp_path / "slip.pdf"
    write_for_people(PrintKind.SLIPS, fair, [person], str(pdf), base=BASE)

    assert qr_payloads(pdf, tmp_path) == [f"{BASE}/f/{fair.slug}/login/{person.login_secret}"]
    text = pdf_text(pdf)
    assert "Łucja Żółkiewska" in text
    assert person.badge_code in text and person.pin in text
    assert "Zeskanuj go aparatem telefonu" in text  # Polish …
    assert "Scan it with your phone's camera" in text  # … and English, whatever the locale
    assert f"{BASE}/f/{fair.slug}/login" in text.replace(" ", "")  # may wrap after a slash


def test_slips_for_many_people_tile_six_to_an_a4_page(
        app: Flask, fair: Fair, make_participant: Callable[..., Participant], tmp_path: Path) -> None:
    everyone = [make_participant("Anna", f"Nowak-{i}") for i in range(7)]
    pdf = tmp_path / "slips.pdf"
    pages = write_for_people(PrintKind.SLIPS, fair, everyone, str(pdf), base=BASE)

    assert pages == 2
    assert page_sizes(pdf) == ["595.276 x 841.89 pts"] * 2  # A4
    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in everyone)


def test_card_layout_gives_each_badge_a_page_of_its_own_size(
        app: Flask, fair: Fair, people: list[Participant], tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    pages = write_for_people(PrintKind.BADGES, fair, people, str(pdf), base=BASE, layout=PrintLayout.CARD)

    assert pages == 3
    assert page_sizes(pdf) == ["255.118 x 155.906 pts"] * 3  # 90 × 55 mm


def test_a_revoked_login_gets_no_slip(
        app: Flask, fair: Fair, organiser: Participant, people: list[Participant], tmp_path: Path) -> None:
    revoke_login(organiser, fair.id, people[0].id)
    pdf = tmp_path / "slips.pdf"
    write_for_people(PrintKind.SLIPS, fair, printable_people(fair.id, [p.id for p in people]), str(pdf),
                     base=BASE)

    assert sorted(qr_payloads(pdf, tmp_path)) == sorted(
        f"{BASE}/f/{fair.slug}/login/{p.login_secret}" for p in people[1:])
