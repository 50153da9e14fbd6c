"""`flask --app app agreements pdf <number> --output FILE.pdf`."""

from __future__ import annotations

from pathlib import Path

from app.agreements.annulment import annul_by_organiser
from app.agreements.pdf import stored_pdf
from tests.door.test_badges import pdf_text


def test_writes_the_kept_pdf(make_signed_agreement, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    out = tmp_path / "umowa.pdf"
    result = runner.invoke(args=["agreements", "pdf", agreement.number, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"agreement {agreement.number}" in result.output
    text = pdf_text(out)
    assert f"Porozumienie nr {agreement.number}" in text and agreement.content_hash in text
    assert "Żółkiewska" in text
    assert out.read_bytes() == stored_pdf(agreement.id)  # rendered once and kept


def test_copies_option(make_signed_agreement, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    out = tmp_path / "copies.pdf"
    result = runner.invoke(args=["agreements", "pdf", agreement.number, "-o", str(out), "--copies"])
    assert result.exit_code == 0, result.output
    assert pdf_text(out).count("Egzemplarz dla:") == 4  # a heading and a page footer per copy


def test_by_id_and_annulled(make_signed_agreement, organiser, runner, tmp_path: Path):
    agreement = make_signed_agreement()
    annul_by_organiser(organiser, agreement.fair_id, agreement.id, "Pomyłka")
    out = tmp_path / "annulled.pdf"
    result = runner.invoke(args=["agreements", "pdf", str(agreement.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert agreement.number in pdf_text(out)


def test_unknown_number(app, runner, tmp_path: Path):
    out = tmp_path / "none.pdf"
    result = runner.invoke(args=["agreements", "pdf", "GZ/tczew/999", "-o", str(out)])
    assert result.exit_code == 1
    assert "There is no agreement GZ/tczew/999." in result.output
    assert not out.exists()


def test_unsigned_agreement(trading_fair, make_participant, make_draft, runner, tmp_path: Path):
    draft = make_draft(make_participant(), make_participant())
    out = tmp_path / "draft.pdf"
    result = runner.invoke(args=["agreements", "pdf", str(draft.id), "-o", str(out)])
    assert result.exit_code == 1
    assert "nie zostało jeszcze podpisane" in result.output  # the domain error, in the default locale
    assert not out.exists()


def test_output_is_required(app, runner):
    result = runner.invoke(args=["agreements", "pdf", "GZ/tczew/001"])
    assert result.exit_code == 2 and "--output" in result.output
