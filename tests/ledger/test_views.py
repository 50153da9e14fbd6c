"""Ledger pages (app/ledger/views.py): my points, statements (HTML, CSV, PDF), forms, exports."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from sqlalchemy import func, select

from app.core.extensions import db
from app.ledger.accounts import find_organisation_account, find_person_account
from app.ledger.models import Entry
from app.ledger.operations import award_points, transfer_points
from tests.ledger.conftest import organisation_of


def _key(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="key"[^>]*value="([0-9a-f]{32})"', page).group(1)


@pytest.fixture
def member(make_participant):
    return make_participant("Bożena", "Żak", organisation="Fundacja Ćma")


@pytest.fixture
def member_org_account(member, org_account):
    return org_account(member.organisation_id)


# --- my points ----------------------------------------------------------------------------

def test_my_points_needs_login(client, fair):
    r = client.get(f"/f/{fair.slug}/points")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_my_points_without_accounts_says_so(client, login, member, fair):
    login(member)
    r = client.get(f"/f/{fair.slug}/points")
    assert r.status_code == 200
    assert 'id="no-account"' in r.get_data(as_text=True)


def test_my_points_shows_person_and_organisation_balances(client, login, member, make_participant, fair,
                                                          operator):
    boss = make_participant(organisation="Fundacja Ćma")
    award_points(operator, boss.organisation_id, member.id, 35, "Dyżur przy wejściu", "k")
    login(member)
    page = client.get(f"/f/{fair.slug}/points").get_data(as_text=True)
    person = find_person_account(member.id)
    org = find_organisation_account(member.organisation_id)
    assert f'id="account-{person.id}"' in page and f'id="account-{org.id}"' in page
    assert 'data-balance="35"' in page and 'data-balance="-35"' in page
    assert "Dyżur przy wejściu" in page


def test_my_points_warns_near_the_floor(client, login, member, member_org_account, make_account, operator,
                                        fair):
    transfer_points(operator, member_org_account.id, make_account().id, 460, "Sala", "k")
    login(member)
    page = client.get(f"/f/{fair.slug}/points").get_data(as_text=True)
    assert 'class="near-floor"' in page


def test_my_points_no_warning_far_from_the_floor(client, login, member, member_org_account, make_account,
                                                 operator, fair):
    transfer_points(operator, member_org_account.id, make_account().id, 100, "Sala", "k")
    login(member)
    assert 'class="near-floor"' not in client.get(f"/f/{fair.slug}/points").get_data(as_text=True)


def test_my_points_is_in_polish_by_default(client, login, member, fair):
    login(member)
    page = client.get(f"/f/{fair.slug}/points").get_data(as_text=True)
    assert "Moje punkty" in page


# --- statements ---------------------------------------------------------------------------

def test_holder_sees_own_statement_with_running_balance(client, login, member, member_org_account,
                                                        make_account, operator, fair):
    target = make_account("Klub Seniora Wrzos")
    transfer_points(operator, member_org_account.id, target.id, 30, "Catering na zebranie", "k1")
    transfer_points(operator, target.id, member_org_account.id, 10, "Zwrot części", "k2")
    login(member)
    r = client.get(f"/f/{fair.slug}/points/accounts/{member_org_account.id}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Catering na zebranie" in page and "Klub Seniora Wrzos" in page
    assert "−30" in page and "−20" in page  # running balance after both lines


def test_member_cannot_see_another_organisations_statement(client, login, member, make_account, fair):
    other = make_account()
    login(member)
    assert client.get(f"/f/{fair.slug}/points/accounts/{other.id}").status_code == 403


def test_statement_period_filter_excludes_other_days(client, login, organiser, member_org_account,
                                                     make_account, operator, fair):
    transfer_points(operator, member_org_account.id, make_account().id, 30, "Dzisiejszy wpis", "k1")
    login(organiser)
    page = client.get(f"/f/{fair.slug}/points/accounts/{member_org_account.id}?since=2001-01-01"
                      f"&until=2001-01-31").get_data(as_text=True)
    assert "Dzisiejszy wpis" not in page


def test_statement_csv_reads_back_with_polish_letters(client, login, organiser, member_org_account,
                                                      make_account, operator, fair):
    target = make_account("Stowarzyszenie Źdźbło")
    transfer_points(operator, member_org_account.id, target.id, 45, "Użyczenie sali – żółty pokój", "k")
    login(organiser)
    r = client.get(f"/f/{fair.slug}/points/accounts/{member_org_account.id}/statement.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    text = r.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Data"
    line = next(row for row in rows if "Użyczenie sali – żółty pokój" in row)
    assert line[4] == "między giełdami" and line[5] == "Stowarzyszenie Źdźbło" and line[6] == "-45" and line[7] == "-45"


def test_statement_pdf_reads_back_with_pdftotext(client, login, organiser, member_org_account, make_account,
                                                 operator, fair, tmp_path):
    transfer_points(operator, member_org_account.id, make_account().id, 45, "Warsztaty ceramiczne", "k")
    login(organiser)
    r = client.get(f"/f/{fair.slug}/points/accounts/{member_org_account.id}/statement.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(r.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Fundacja Ćma" in text and "Warsztaty ceramiczne" in text and "Wyciąg" in text


def test_entry_page_is_hidden_from_outsiders(client, login, member, make_account, operator, fair):
    a, b = make_account(), make_account()
    entry = transfer_points(operator, a.id, b.id, 5, "x", "k")
    login(member)
    assert client.get(f"/f/{fair.slug}/points/entries/{entry.id}").status_code == 404


# --- forms --------------------------------------------------------------------------------

def test_member_sends_points_through_the_form(client, login, member, member_org_account, make_account,
                                              fair, balance_of):
    target = make_account()
    login(member)
    url = f"/f/{fair.slug}/points/send"
    data = {"key": _key(client, url), "source": f"org:{member.organisation_id}",
            "target": f"org:{organisation_of(target)}", "points": "12", "memo": "Transport"}
    r = client.post(url, data=data)
    assert r.status_code == 303
    assert balance_of(target) == 12


def test_double_submitted_form_posts_once(client, login, member, member_org_account, make_account, fair,
                                          balance_of):
    target = make_account()
    login(member)
    url = f"/f/{fair.slug}/points/send"
    data = {"key": _key(client, url), "source": f"org:{member.organisation_id}",
            "target": f"org:{organisation_of(target)}", "points": "12", "memo": "Transport"}
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 303
    assert balance_of(target) == 12
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 1


def test_form_shows_the_limit_error(client, login, member, member_org_account, make_account, fair):
    target = make_account()
    login(member)
    url = f"/f/{fair.slug}/points/send"
    data = {"key": _key(client, url), "source": f"org:{member.organisation_id}",
            "target": f"org:{organisation_of(target)}", "points": "501", "memo": "Transport"}
    r = client.post(url, data=data)
    assert r.status_code == 409
    assert "-500" in r.get_data(as_text=True) and "Fundacja Ćma" in r.get_data(as_text=True)


def test_member_cannot_choose_someone_elses_account_in_the_form(client, login, member, make_account, fair):
    other, target = make_account(), make_account()
    login(member)
    url = f"/f/{fair.slug}/points/send"
    data = {"key": _key(client, url), "source": f"org:{organisation_of(other)}",
            "target": f"org:{organisation_of(target)}", "points": "5", "memo": "x"}
    assert client.post(url, data=data).status_code == 422


def test_member_awards_a_volunteer_through_the_form(client, login, member, make_participant, fair,
                                                    balance_of):
    volunteer = make_participant("Kamil")
    login(member)
    url = f"/f/{fair.slug}/points/award"
    data = {"key": _key(client, url), "organisation": str(member.organisation_id),
            "volunteer": str(volunteer.id), "points": "8", "reason": "Rozkładanie stołów"}
    assert client.post(url, data=data).status_code == 303
    assert balance_of(find_person_account(volunteer.id)) == 8


def test_organiser_posts_an_opening_balance(client, login, organiser, make_organisation, fair, balance_of):
    org = make_organisation("Koło Gospodyń Wiejskich")
    login(organiser)
    url = f"/f/{fair.slug}/admin/points/opening"
    data = {"key": _key(client, url), "target": f"org:{org.id}", "points": "-40", "memo": "Z Wymiennika"}
    assert client.post(url, data=data).status_code == 303
    assert balance_of(find_organisation_account(org.id)) == -40


def test_participant_cannot_open_organiser_pages(client, login, member, fair):
    login(member)
    for path in ("admin/points", "admin/points/opening", "admin/points/import", "admin/points/network",
                 "admin/points/export/ledger.json"):
        assert client.get(f"/f/{fair.slug}/{path}").status_code == 403, path


def test_organiser_reverses_an_entry(client, login, organiser, make_account, operator, fair, balance_of):
    a, b = make_account(), make_account()
    original = transfer_points(operator, a.id, b.id, 20, "Pomyłka", "k")
    login(organiser)
    url = f"/f/{fair.slug}/admin/points/entries/{original.id}/reverse"
    r = client.post(url, data={"key": _key(client, url), "reason": "Zła osoba"})
    assert r.status_code == 303
    assert (balance_of(a), balance_of(b)) == (0, 0)


def test_second_reversal_through_the_form_is_refused(client, login, organiser, make_account, operator, fair):
    a, b = make_account(), make_account()
    original = transfer_points(operator, a.id, b.id, 20, "Pomyłka", "k")
    login(organiser)
    url = f"/f/{fair.slug}/admin/points/entries/{original.id}/reverse"
    client.post(url, data={"key": _key(client, url), "reason": "raz"})
    r = client.post(url, data={"key": _key(client, url), "reason": "dwa"})
    assert r.status_code == 409
    assert "został już wycofany" in r.get_data(as_text=True)


def test_organiser_sets_limits(client, login, organiser, make_account, fair):
    account = make_account()
    login(organiser)
    r = client.post(f"/f/{fair.slug}/admin/points/accounts/{account.id}/limits",
                    data={"floor": "-100", "ceiling": "300"})
    assert r.status_code == 303
    db.session.expire_all()
    assert (account.floor, account.ceiling) == (-100, 300)


def test_accounts_list_shows_fair_accounts_and_opens_missing_ones(client, login, organiser,
                                                                   make_organisation, fair):
    org = make_organisation("Ochotnicza Straż Pożarna")
    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/points").get_data(as_text=True)
    assert "jeszcze konta punktowego" in page
    assert client.post(f"/f/{fair.slug}/admin/points/open-accounts").status_code == 303
    page = client.get(f"/f/{fair.slug}/admin/points").get_data(as_text=True)
    assert "Ochotnicza Straż Pożarna" in page and find_organisation_account(org.id) is not None


def test_network_totals_page(client, login, coordinator, make_organisation, fair, operator):
    from app.ledger.hooks import on_obligation_fulfilled

    giver, receiver = make_organisation(), make_organisation()
    on_obligation_fulfilled(1, giver.id, receiver.id, 70, fair.id, None)
    login(coordinator)
    page = client.get(f"/f/{coordinator.fair.slug}/admin/points/network").get_data(as_text=True)
    assert 'id="in-circulation"' in page and ">70<" in page
    assert fair.name in page


def test_import_page_lists_errors_by_line(client, login, organiser, fair):
    login(organiser)
    body = b"organizacja;punkty\nNieznana Fundacja;10\n"
    r = client.post(f"/f/{fair.slug}/admin/points/import",
                    data={"file": (io.BytesIO(body), "salda.csv")}, content_type="multipart/form-data")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert 'id="import-errors"' in page and "Wiersz 2" in page


def test_import_page_imports_a_good_file(client, login, organiser, make_organisation, fair, balance_of):
    org = make_organisation("Teatr Żak")
    login(organiser)
    body = "organizacja;punkty;opis\nTeatr Żak;150;saldo 2025\n".encode("cp1250")
    r = client.post(f"/f/{fair.slug}/admin/points/import",
                    data={"file": (io.BytesIO(body), "salda.csv")}, content_type="multipart/form-data")
    assert r.status_code == 303
    assert balance_of(find_organisation_account(org.id)) == 150


def test_export_endpoints(client, login, coordinator, make_account, operator, fair):
    a, b = make_account("Świetlica Ósemka"), make_account()
    transfer_points(operator, a.id, b.id, 20, "Zajęcia plastyczne", "k")
    login(coordinator)
    entries = client.get(f"/f/{coordinator.fair.slug}/admin/points/export/entries.csv")
    assert entries.status_code == 200 and "Świetlica Ósemka" in entries.get_data(as_text=True)
    balances = client.get(f"/f/{coordinator.fair.slug}/admin/points/export/balances.csv")
    assert "account_ref" in balances.get_data(as_text=True)
    document = client.get(f"/f/{coordinator.fair.slug}/admin/points/export/ledger.json").get_json()
    assert document["format"] == "gielda-ledger" and len(document["entries"]) == 1


def test_every_ledger_csv_download_neutralises_typed_text(client, login, coordinator, make_account, operator,
                                                        fair):
    """entries.csv, balances.csv and a statement: a memo or a name that starts like a formula comes
    out with a leading apostrophe; points and balances stay numbers."""
    hostile = make_account('=HYPERLINK("http://evil.example")', floor=-100)
    target = make_account("@Fundacja Ćma")
    transfer_points(operator, hostile.id, target.id, 25, "-2+3 za salę", "k-hostile")
    login(coordinator)

    def rows(path, delimiter):
        r = client.get(f"/f/{coordinator.fair.slug}/{path}")
        assert r.status_code == 200 and r.mimetype == "text/csv", path
        return list(csv.reader(io.StringIO(r.data.decode("utf-8-sig")), delimiter=delimiter))

    entries = rows("admin/points/export/entries.csv", ",")
    assert {(row[4], row[10], row[11]) for row in entries[1:]} == {
        ("'-2+3 za salę", '\'=HYPERLINK("http://evil.example")', "-25"), ("'-2+3 za salę", "'@Fundacja Ćma", "25")}
    balances = rows("admin/points/export/balances.csv", ",")
    assert {(row[2], row[4]) for row in balances[1:]} == {
        ('\'=HYPERLINK("http://evil.example")', "-25"), ("'@Fundacja Ćma", "25")}
    statement = rows(f"points/accounts/{hostile.id}/statement.csv", ";")
    line = next(row for row in statement if row[1].isdigit())
    assert (line[3], line[4], line[5], line[6], line[7]) == (
        "'-2+3 za salę", "między giełdami", "'@Fundacja Ćma", "-25", "-25")
    for table in (entries, balances, statement):
        for row in table:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"-\d+", cell), cell


def test_points_link_in_the_menu(client, login, member, fair):
    login(member)
    page = client.get(f"/f/{fair.slug}/me").get_data(as_text=True)
    assert f'href="/f/{fair.slug}/points"' in page


# --- an organiser sees their own fair only ------------------------------------------------------

@pytest.mark.parametrize("path", ["/admin/points/network", "/admin/points/export/entries.csv",
                                  "/admin/points/export/balances.csv", "/admin/points/export/ledger.json"])
def test_whole_network_pages_are_for_the_coordinator_only(client, login, organiser, fair, path):
    login(organiser)
    assert client.get(f"/f/{fair.slug}{path}").status_code == 403


@pytest.fixture
def other_fairs_entry(make_fair, make_account, operator):
    """An opening balance (touching the system account) and a transfer at another fair."""
    from app.ledger.operations import post_opening_balance

    other = make_fair(slug="kociewie")
    a, b = make_account("Fundacja Obca", fair_id=other.id), make_account("Klub Obcy", fair_id=other.id)
    opening = post_opening_balance(operator, a.id, 100, "Bilans otwarcia", "open-a")
    transfer = transfer_points(operator, a.id, b.id, 30, "Sekretna notatka", "t-a")
    return opening, transfer


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("path", ["/points/entries/{id}", "/admin/points/entries/{id}/reverse"])
def test_an_organiser_reads_no_entry_of_another_fair(client, login, organiser, fair, other_fairs_entry,
                                                     which, path):
    entry = other_fairs_entry[which]
    login(organiser)
    r = client.get(f"/f/{fair.slug}" + path.format(id=entry.id))
    assert r.status_code == 404
    assert "Sekretna" not in r.get_data(as_text=True) and "Fundacja Obca" not in r.get_data(as_text=True)


def test_an_organiser_sees_no_system_account(client, login, organiser, fair, other_fairs_entry):
    from app.ledger.accounts import OPENING, system_account

    login(organiser)
    page = client.get(f"/f/{fair.slug}/admin/points").get_data(as_text=True)
    assert "Fundacja Obca" not in page
    system = system_account(OPENING)
    assert client.get(f"/f/{fair.slug}/points/accounts/{system.id}").status_code == 403


def test_the_coordinator_reads_every_fair(client, login, coordinator, fair, other_fairs_entry):
    login(coordinator)
    r = client.get(f"/f/{coordinator.fair.slug}/points/entries/{other_fairs_entry[1].id}")
    assert r.status_code == 200 and "Sekretna notatka" in r.get_data(as_text=True)
