"""The agreement PDF (app/agreements/pdf.py): what is on it (read back with pdftotext and zbar), that
it is rendered from the frozen content and kept, rendered in the background after signing, the
copies for each party."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update

from app.agreements import pdf as agreement_pdf
from app.agreements.annulment import annul_by_organiser
from app.agreements.drafting import AgreementData, ObligationData, PartyData, save_draft, start_paper_draft
from app.agreements.pdf import agreement_sheet, ensure_pdf, render_copies, stored_pdf
from app.agreements.signing import record_paper_agreement, sign_agreement
from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.transactions import transaction
from app.core.tasks import wait_for_tasks
from app.network.sectors import Sector
from app.people.models import Organisation
from tests.agreements.conftest import ObligationSpec
from tests.pdfs import page_texts, pdf_text, qr_payloads, save

BASE = "http://gielda.test"  # PUBLIC_URL in the test configuration


def text_of(data: bytes, tmp_path: Path, name: str = "agreement.pdf") -> str:
    return pdf_text(save(tmp_path, name, data))


# --- what is on it ------------------------------------------------------------------------------

def test_pdf_shows_the_agreement_with_polish_letters(make_signed_agreement, notary, tmp_path):
    agreement = make_signed_agreement()
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    first, second = (p.organisation.name for p in agreement.parties)
    assert first.startswith("Fundacja Źdźbło") and first in text
    assert second.startswith("Spółdzielnia Socjalna „Łąka”") and second in text
    assert "Giełda Zasobów Tczew" in text
    assert f"Porozumienie nr {agreement.number}" in text and agreement.number == "GZ/tczew/001"
    assert agreement.content_hash in text
    # Contact persons and their details, the sectors by name.
    assert "Osoba kontaktowa: Łucja Żółkiewska" in text and "+48 600 100 200" in text
    assert "Grzegorz Brzęczyszczykiewicz" in text
    assert "Organizacja pozarządowa" in text and "Spółdzielnia socjalna" in text
    # Obligations both ways, with quantity, terms, the cost contribution named as such, points.
    assert f"{first} → {second}" in text and text.count(" → ") == 2  # each way (pdftotext may
    # read the second heading's columns apart)
    assert "Sala konferencyjna na 30 osób z rzutnikiem" in text
    assert "Szkolenie z pisania wniosków grantowych" in text
    assert "Wkład w koszty: zwrot kosztów sprzątania sali" in text
    assert "Kiedy: sobota 14 marca, 10:00–" in text and "Gdzie: Centrum Kultury, ul. Łąkowa 3" in text
    assert "Termin: 14 marca 2027" in text
    assert "Łączna wartość: 70 punktów" in text
    # Signatures with their method and time, and the notary's countersignature.
    assert text.count("na własnym telefonie") == 2
    assert f"Kontrasygnata notariusza ({notary.full_name})" in text and "Jerzy Łęcki" in text
    assert f"{BASE}/c/{agreement.public_code}" in text


def test_points_are_those_the_parties_agreed(make_signed_agreement, tmp_path):
    agreement = make_signed_agreement(points=(1, 3))
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    assert "Łączna wartość: 4 punkty" in text


def test_qr_code_opens_the_verification_page(make_signed_agreement, tmp_path):
    agreement = make_signed_agreement()
    path = save(tmp_path, "agreement.pdf", ensure_pdf(agreement.id))
    assert qr_payloads(path, tmp_path) == [f"{BASE}/c/{agreement.public_code}"]


def test_only_our_fonts_are_embedded(make_signed_agreement, tmp_path):
    agreement = make_signed_agreement()
    path = save(tmp_path, "agreement.pdf", ensure_pdf(agreement.id))
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout.decode()
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    # Our @font-face family (DejaVu from static/fonts), embedded; no fallback to a system font.
    assert names and all(name.split("+")[-1].startswith("Agreement-Sans") for name in names), fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # embedded


def test_printed_from_the_frozen_content_not_the_live_rows(make_signed_agreement, tmp_path):
    agreement = make_signed_agreement()
    signed_name = agreement.parties[0].organisation.name
    with transaction():
        db.session.execute(update(Organisation).where(Organisation.id == agreement.parties[0].organisation_id)
                           .values(name="Fundacja Przemianowana"))
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    assert signed_name in text and "Przemianowana" not in text


def test_group_deal_lists_every_party(make_signed_agreement, make_participant, tmp_path):
    a, b = make_participant(organisation="Koło Gospodyń Wiejskich „Żurawina”", sector=Sector.INFORMAL_GROUP), \
        make_participant(organisation="Urząd Miejski w Tczewie", sector=Sector.PUBLIC)
    c = make_participant(organisation="Pracownia Ślusarska Gęś", sector=Sector.BUSINESS)
    obligations: list[ObligationSpec] = [(a, b, "Catering na 50 osób", 50), (b, c, "Sala gimnastyczna", 20),
                                         (c, a, "Naprawa bramy", 30)]
    agreement = make_signed_agreement(parties=[a, b, c], obligations=obligations)
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    for name in ("Koło Gospodyń Wiejskich „Żurawina”", "Urząd Miejski w Tczewie", "Pracownia Ślusarska Gęś"):
        assert name in text
    assert "Łączna wartość: 100 punktów" in text


def test_without_the_notary_rule_says_so(no_notary_rule, make_signed_agreement, tmp_path):
    agreement = make_signed_agreement()
    assert agreement.notary_id is None
    assert "Bez kontrasygnaty notariusza" in text_of(ensure_pdf(agreement.id), tmp_path)


def test_paper_agreement_says_it_was_recorded_from_paper(trading_fair, notary, make_participant, tmp_path):
    a, b = make_participant(), make_participant()
    draft = start_paper_draft(notary, trading_fair.id, a.id, b.id)
    draft = save_draft(notary, trading_fair.id, draft.id, AgreementData(
        parties=[PartyData(p.organisation_id, p.id) for p in (a, b)],
        obligations=[ObligationData(a.organisation_id, b.organisation_id, "Rzutnik na tydzień", points=15)]),
        version=draft.version)
    agreement = record_paper_agreement(notary, trading_fair.id, draft.id, draft.version)
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    assert "wprowadzone z papieru przez notariusza (Jerzy Łęcki)" in text
    assert text.count("odręcznie na papierze") == 3  # two signatures and the notary line


# --- kept once signed ---------------------------------------------------------------------------

@pytest.fixture
def render_counter(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = agreement_pdf.render_summary

    def counting(sheet: agreement_pdf.AgreementSheet) -> bytes:
        calls.append(1)
        return real(sheet)

    monkeypatch.setattr(agreement_pdf, "render_summary", counting)
    return calls


def test_served_from_the_stored_copy(make_signed_agreement, render_counter):
    agreement = make_signed_agreement()
    assert stored_pdf(agreement.id) is None  # background rendering is off in tests by default
    first = ensure_pdf(agreement.id)
    second = ensure_pdf(agreement.id)
    assert first == second == stored_pdf(agreement.id)
    assert first.startswith(b"%PDF-")
    assert len(render_counter) == 1


def test_two_racing_requests_keep_one_copy(app: Flask, make_signed_agreement, monkeypatch):
    agreement = make_signed_agreement()
    both_rendered = threading.Barrier(2, timeout=30)
    made = iter([b"%PDF-1.7 first", b"%PDF-1.7 second"])
    lock = threading.Lock()

    def render(_sheet: agreement_pdf.AgreementSheet) -> bytes:
        with lock:
            data = next(made)
        both_rendered.wait()  # both requests have rendered before either stores
        return data

    monkeypatch.setattr(agreement_pdf, "render_summary", render)
    results: list[bytes] = []
    errors: list[BaseException] = []

    def request_pdf() -> None:
        try:
            with app.app_context():
                results.append(ensure_pdf(agreement.id))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request_pdf) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    db.session.rollback()
    kept = stored_pdf(agreement.id)
    assert kept in (b"%PDF-1.7 first", b"%PDF-1.7 second")
    assert results == [kept, kept]


def test_concurrent_first_renders_of_different_agreements(app: Flask, make_signed_agreement, tmp_path):
    agreements = [make_signed_agreement() for _ in range(3)]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def request_pdf(agreement_id: int) -> None:
        try:
            with app.app_context():
                results[agreement_id] = ensure_pdf(agreement_id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request_pdf, args=(a.id,)) for a in agreements]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for a in agreements:
        assert f"Porozumienie nr {a.number}" in text_of(results[a.id], tmp_path, f"{a.id}.pdf")


def test_a_stored_copy_is_never_overwritten(make_signed_agreement):
    agreement = make_signed_agreement()
    assert agreement_pdf.store_pdf(agreement.id, b"%PDF-first") == b"%PDF-first"
    assert agreement_pdf.store_pdf(agreement.id, b"%PDF-second") == b"%PDF-first"
    assert ensure_pdf(agreement.id) == b"%PDF-first"


def test_a_draft_has_no_pdf(trading_fair, make_participant, make_draft):
    draft = make_draft(make_participant(), make_participant())
    with pytest.raises(DomainError) as err:
        ensure_pdf(draft.id)
    assert err.value.code == "not_signed"
    assert stored_pdf(draft.id) is None


def test_awaiting_the_notary_has_no_pdf(make_signed_agreement):
    agreement = make_signed_agreement(notarise_it=False)
    assert agreement.number is None
    with pytest.raises(DomainError) as err:
        ensure_pdf(agreement.id)
    assert err.value.code == "not_signed"


def test_unknown_agreement(app):
    with pytest.raises(DomainError) as err:
        ensure_pdf(999_999)
    assert err.value.code == "agreement_not_found"


def test_annulled_keeps_its_stored_copy(make_signed_agreement, organiser, render_counter):
    agreement = make_signed_agreement()
    kept = ensure_pdf(agreement.id)
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Podwójny wpis tej samej umowy")
    assert ensure_pdf(agreement.id) == kept
    assert len(render_counter) == 1


def test_annulled_without_a_copy_gets_the_summary_as_signed(make_signed_agreement, organiser, tmp_path):
    agreement = make_signed_agreement()
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Podwójny wpis")
    text = text_of(ensure_pdf(agreement.id), tmp_path)
    assert agreement.number in text and "Unieważnione" not in text  # the kept PDF is the signed one


# --- rendered right after signing, outside the signing transaction ------------------------------

QUEUED = {"AGREEMENT_PDF_AFTER_SIGNING": "queue"}  # tasks run at once, in order (TASKS_IMMEDIATE)
CONSUMED = {"AGREEMENT_PDF_AFTER_SIGNING": "queue", "TASKS_IMMEDIATE": False}  # by the `consumer` fixture's threads


@pytest.mark.parametrize("app_config", [QUEUED, CONSUMED])
def test_rendered_in_the_background_after_signing(request, make_signed_agreement, render_counter, app_config):
    if app_config.get("TASKS_IMMEDIATE") is False:
        request.getfixturevalue("consumer")
    agreement = make_signed_agreement()
    assert wait_for_tasks(60)
    db.session.rollback()
    kept = stored_pdf(agreement.id)
    assert kept is not None and kept.startswith(b"%PDF-")
    assert len(render_counter) == 1
    assert ensure_pdf(agreement.id) == kept and len(render_counter) == 1


@pytest.mark.parametrize("app_config", [CONSUMED])
def test_signing_does_not_wait_for_the_render(make_signed_agreement, make_participant, notary,
                                              trading_fair, monkeypatch, make_draft, consumer):
    started, release = threading.Event(), threading.Event()

    def slow_render(_sheet: agreement_pdf.AgreementSheet) -> bytes:
        started.set()
        release.wait(30)
        return b"%PDF-1.7 rendered later"

    monkeypatch.setattr(agreement_pdf, "render_summary", slow_render)
    from app.agreements.signing import notarise

    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    sign_agreement(a, trading_fair.id, draft.id, draft.version)
    sign_agreement(b, trading_fair.id, draft.id, draft.version)
    done = notarise(notary, trading_fair.id, draft.id, draft.version)  # returns while rendering
    assert done.number is not None
    assert started.wait(30)
    assert stored_pdf(done.id) is None
    release.set()
    assert wait_for_tasks(60)
    db.session.rollback()
    assert stored_pdf(done.id) == b"%PDF-1.7 rendered later"


@pytest.mark.parametrize("app_config", [CONSUMED])
def test_a_burst_of_signings_renders_one_at_a_time(make_signed_agreement, no_notary_rule, monkeypatch, consumer):
    running, most = 0, 0
    lock = threading.Lock()
    real = agreement_pdf.render_summary

    def tracked(sheet: agreement_pdf.AgreementSheet) -> bytes:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real(sheet)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(agreement_pdf, "render_summary", tracked)
    agreements = [make_signed_agreement() for _ in range(4)]
    assert wait_for_tasks(120)
    db.session.rollback()
    assert all(stored_pdf(a.id) for a in agreements)
    assert most == 1


@pytest.mark.parametrize("app_config", [QUEUED])
def test_no_render_for_a_failed_signing(trading_fair, make_participant, make_draft, render_counter):
    a, b = make_participant(), make_participant()
    draft = make_draft(a, b)
    with pytest.raises(DomainError):
        sign_agreement(a, trading_fair.id, draft.id, draft.version + 5)
    sign_agreement(a, trading_fair.id, draft.id, draft.version)  # not complete: nothing to render
    assert wait_for_tasks(60)
    assert render_counter == []


def test_background_rendering_is_off_by_default_in_tests(make_signed_agreement, render_counter):
    agreement = make_signed_agreement()
    assert wait_for_tasks(60)
    assert stored_pdf(agreement.id) is None and render_counter == []


# --- copies for each party, batches for the notary's desk ---------------------------------------

def test_copies_one_per_party_in_its_colour(make_signed_agreement, tmp_path):
    agreement = make_signed_agreement()
    data = render_copies([agreement_sheet(agreement)])
    pages = page_texts(data, tmp_path)
    names = [p.organisation.name for p in agreement.parties]
    assert len(pages) == 2
    for page, name, sector in zip(pages, names, ("Organizacja pozarządowa", "Spółdzielnia socjalna"),
                                  strict=True):
        assert page.startswith(f"Egzemplarz dla: {name} · {sector}")
        assert agreement.content_hash in page and all(n in page for n in names)
        assert page.endswith(f"Egzemplarz dla: {name} · {sector}")  # the page footer names the copy too
    path = save(tmp_path, "copies.pdf", data)
    assert qr_payloads(path, tmp_path) == [f"{BASE}/c/{agreement.public_code}"] * 2


def test_copies_of_an_annulled_agreement_say_so(make_signed_agreement, organiser, tmp_path):
    agreement = make_signed_agreement()
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Strony się rozmyśliły")
    pages = page_texts(render_copies([agreement_sheet(agreement, with_annulment=True)]), tmp_path)
    assert len(pages) == 2 and all("Unieważnione" in p and "Powód: Strony się rozmyśliły" in p for p in pages)


def test_colours_of_the_copies(make_signed_agreement):
    from app.agreements.pdf import ink_on
    from app.network.sectors import SECTOR_COLOURS

    agreement = make_signed_agreement()
    sheet = agreement_sheet(agreement)
    assert [p.colour for p in sheet.parties] == [SECTOR_COLOURS[Sector.NGO],
                                                 SECTOR_COLOURS[Sector.SOCIAL_COOPERATIVE]]
    assert ink_on(SECTOR_COLOURS[Sector.BUSINESS]) == "#000" and ink_on(SECTOR_COLOURS[Sector.PUBLIC]) == "#fff"
