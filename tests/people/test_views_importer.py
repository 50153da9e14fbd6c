"""The participants import page (app/people/views/importer.py): the template, preview, confirm."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.extensions import db
from app.fairs.models import Fair
from app.fairs.roles import Role
from app.people.csv_import import import_participants
from app.people.models import Participant


def test_the_csv_import_applies_the_same_rule(client: FlaskClient, fair: Fair, organiser: Participant,
                                              login: Callable[[Participant], None]) -> None:
    login(organiser)
    data = "imię;nazwisko;e-mail;organizacja;sektor\nJan;Lokalny;jan@tczew.local;Klub;NGO\n".encode()
    r = client.post(f"/f/{fair.slug}/admin/import", data={"file": (io.BytesIO(data), "lista.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    assert "jan@tczew.local" in r.get_data(as_text=True)


HEADER = "imię;nazwisko;e-mail;organizacja;sektor;miasto"
LUCJA = "Łucja;Żółkiewska;lucja@example.org;Fundacja Gęś;fundacja;Tczew"
JAN = "Jan;Gęś;jan@example.org;Spółdzielnia Socjalna Świętokrzyska;spółdzielnia socjalna;Tczew"


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding) + b"\r\n"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imported(email: str) -> Participant:
    return db.session.scalars(select(Participant).where(Participant.email == email)).one()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


# --- the page -----------------------------------------------------------------------------

def page(r) -> str:
    return r.get_data(as_text=True)


def upload(client, fair, data: bytes, name: str = "uczestnicy.csv"):
    return client.post(f"/f/{fair.slug}/admin/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_page_explains_the_columns_and_offers_the_template(client, fair, organiser, login):
    login(organiser)
    r = client.get(f"/f/{fair.slug}/admin/import")
    assert r.status_code == 200
    assert "pokaż telefon" in page(r)
    assert f"/f/{fair.slug}/admin/import/template.csv" in page(r)


def test_participants_page_links_to_the_import(client, fair, organiser, login):
    login(organiser)
    assert f"/f/{fair.slug}/admin/import" in page(client.get(f"/f/{fair.slug}/admin/participants"))


def test_template_is_utf8_with_bom_and_polish_headers(client, fair, organiser, login):
    login(organiser)
    r = client.get(f"/f/{fair.slug}/admin/import/template.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert r.data.startswith(b"\xef\xbb\xbf")
    assert r.data[3:].decode("utf-8").split("\r\n")[0].split(";")[:5] == [
        "imię", "nazwisko", "e-mail", "telefon", "organizacja"]


def test_template_file_with_a_row_added_imports(client, fair, organiser, login):
    login(organiser)
    template = client.get(f"/f/{fair.slug}/admin/import/template.csv").data
    row = "Łucja;Żółkiewska;lucja@example.org;600 100 200;Fundacja Gęś;ngo;Tczew;notariusz;tak;nie\r\n"
    report = import_participants(organiser, fair.id, template + row.encode("utf-8"))
    assert report.created == 1
    assert imported("lucja@example.org").role == Role.NOTARY


def test_preview_shows_counts_and_writes_nothing(client, fair, organiser, login):
    login(organiser)
    before = count(Participant)
    r = upload(client, fair, csv_file(HEADER, LUCJA, JAN, encoding="cp1250"))
    assert r.status_code == 200
    assert 'id="import-confirm"' in page(r)
    assert "Żółkiewska" in page(r)
    assert count(Participant) == before


def test_preview_lists_problems_with_line_numbers(client, fair, organiser, login):
    login(organiser)
    r = upload(client, fair, csv_file(HEADER, LUCJA, 'Jan;Gęś;zły;"Fundacja\nGęś";ngo;', "Ewa;;;Org;ngo;"))
    assert r.status_code == 422
    assert re.findall(r'data-line="(\d+)" data-code="(\w+)"', page(r)) == [
        ("3", "invalid_email"), ("5", "missing_last_name")]
    assert 'id="import-confirm"' not in page(r)


def test_confirm_imports_the_previewed_file(client, fair, organiser, login):
    login(organiser)
    preview = upload(client, fair, csv_file(HEADER, LUCJA, JAN))
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', page(preview)).group(1)
    r = client.post(f"/f/{fair.slug}/admin/import", data={"content": content})
    assert r.status_code == 303
    assert r.headers["Location"].endswith(f"/f/{fair.slug}/admin/participants")
    assert imported("lucja@example.org").last_name == "Żółkiewska"
    assert "Żółkiewska" in page(client.get(r.headers["Location"]))


def test_confirm_rechecks_the_file(client, fair, organiser, login, make_participant):
    login(organiser)
    content = base64.b64encode(csv_file(HEADER, LUCJA, JAN)).decode()
    make_participant(email="lucja@example.org")  # registered between preview and import
    r = client.post(f"/f/{fair.slug}/admin/import", data={"content": content})
    assert r.status_code == 422
    assert 'data-code="import_invalid"' in page(r)
    assert 'data-line="2" data-code="duplicate_email"' in page(r)
    assert count(Participant) == 2


def test_confirm_with_damaged_content_is_refused(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/import", data={"content": "not base64!"})
    assert r.status_code == 422
    assert 'data-code="import_content"' in page(r)


def test_xlsx_upload_asks_for_csv(client, fair, organiser, login):
    login(organiser)
    r = upload(client, fair, xlsx_bytes(), name="uczestnicy.xlsx")
    assert r.status_code == 422
    assert 'data-code="import_spreadsheet"' in page(r)


def test_upload_without_a_file_is_an_error(client, fair, organiser, login):
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/import", data={}, content_type="multipart/form-data")
    assert r.status_code == 422
    assert 'aria-invalid="true"' in page(r)


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 1024}])
def test_upload_over_the_request_limit_is_explained(client, fair, organiser, login):
    login(organiser)
    r = upload(client, fair, csv_file(HEADER, *[LUCJA] * 50))
    assert r.status_code == 413
    assert 'data-code="import_too_large"' in page(r)


@pytest.mark.parametrize("method", ["get", "post"])
def test_participant_gets_403(client, fair, make_participant, login, method):
    login(make_participant())
    r = getattr(client, method)(f"/f/{fair.slug}/admin/import")
    assert r.status_code == 403
    assert client.get(f"/f/{fair.slug}/admin/import/template.csv").status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, fair):
    r = client.get(f"/f/{fair.slug}/admin/import")
    assert r.status_code == 302
    assert "/login" in r.headers["Location"]
