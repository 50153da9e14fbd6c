"""Import of opening balances (app/ledger/imports.py): all or nothing, line-numbered errors,
encodings, separators."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import Forbidden, ValidationError
from app.core.extensions import db
from app.ledger.accounts import find_organisation_account, find_person_account
from app.ledger.imports import import_opening_balances
from app.ledger.models import Entry, EntryKind


def _errors(excinfo):
    return [(e["line"], e["code"]) for e in excinfo.value.details["errors"]]


def _entries():
    return db.session.scalar(select(func.count()).select_from(Entry))


def test_import_posts_one_opening_entry_per_row(orgs, organiser, fair, balance_of):
    data = "organizacja;punkty;opis\nFundacja Żółw;120;saldo 2025\nStowarzyszenie Łąka;-30;\n".encode()
    result = import_opening_balances(organiser, fair.id, data)
    assert (result.posted, result.already_posted, result.points) == (1 + 1, 0, 90)
    assert balance_of(find_organisation_account(orgs[0].id)) == 120
    assert balance_of(find_organisation_account(orgs[1].id)) == -30
    kinds = set(db.session.scalars(select(Entry.kind)))
    assert kinds == {EntryKind.OPENING}


def test_import_reads_windows_1250_and_commas(orgs, organiser, fair, balance_of):
    data = "organisation,points\nFundacja Żółw,5\n".encode("cp1250")
    import_opening_balances(organiser, fair.id, data)
    assert balance_of(find_organisation_account(orgs[0].id)) == 5


def test_import_reads_utf8_with_bom_and_case_insensitive_names(orgs, organiser, fair, balance_of):
    data = "\ufeffOrganizacja;Punkty\nfundacja żółw;7\n".encode()
    import_opening_balances(organiser, fair.id, data)
    assert balance_of(find_organisation_account(orgs[0].id)) == 7


def test_import_finds_people_by_email(make_participant, organiser, fair, balance_of):
    person = make_participant(email="ala@example.org")
    import_opening_balances(organiser, fair.id, b"email;punkty\nALA@example.org;15\n")
    assert balance_of(find_person_account(person.id)) == 15


def test_import_with_any_bad_row_imports_nothing_and_numbers_the_lines(orgs, organiser, fair):
    data = ("organizacja;punkty\n"
            "Fundacja Żółw;10\n"
            "Nieznana;10\n"
            "Stowarzyszenie Łąka;dużo\n"
            "Stowarzyszenie Łąka;0\n").encode()
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, data)
    assert err.value.code == "import_invalid"
    assert _errors(err) == [(3, "import_unknown_organisation"), (4, "import_invalid_points"),
                            (5, "import_invalid_points"), (5, "import_duplicate_account")]
    assert _entries() == 0
    assert find_organisation_account(orgs[0].id) is None


def test_import_counts_lines_of_quoted_multiline_cells(orgs, organiser, fair):
    data = 'organizacja;punkty;opis\nFundacja Żółw;10;"dwie\nlinie"\nNieznana;1;\n'.encode()
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, data)
    assert _errors(err) == [(4, "import_unknown_organisation")]


def test_import_checks_limits_per_line(orgs, organiser, fair):
    data = "organizacja;punkty\nFundacja Żółw;1001\n".encode()
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, data)
    assert _errors(err) == [(2, "above_ceiling")]


def test_import_refuses_a_row_with_both_or_neither_target(orgs, make_participant, organiser, fair):
    make_participant(email="ola@example.org")
    data = "organizacja;email;punkty\nFundacja Żółw;ola@example.org;5\n;;5\n".encode()
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, data)
    assert _errors(err) == [(2, "import_target_missing"), (3, "import_target_missing")]


def test_import_refuses_unknown_email(orgs, organiser, fair):
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, b"email;punkty\nnikt@example.org;5\n")
    assert _errors(err) == [(2, "import_unknown_email")]


def test_import_refuses_huge_amounts(orgs, organiser, fair):
    data = "organizacja;punkty\nFundacja Żółw;-2000000\n".encode()
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, data)
    assert _errors(err) == [(2, "points_too_large")]


def test_same_file_imported_twice_posts_once(orgs, organiser, fair, balance_of):
    data = "organizacja;punkty\nFundacja Żółw;900\n".encode()
    import_opening_balances(organiser, fair.id, data)
    again = import_opening_balances(organiser, fair.id, data)
    assert (again.posted, again.already_posted) == (0, 1)
    assert balance_of(find_organisation_account(orgs[0].id)) == 900


def test_import_without_points_column_is_refused(orgs, organiser, fair):
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, "organizacja;kwota\nFundacja Żółw;5\n".encode())
    assert err.value.code == "import_missing_column"


def test_empty_file_is_refused(organiser, fair):
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, b"")
    assert err.value.code == "import_empty"


def test_header_only_file_is_refused(organiser, fair):
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, b"organizacja;punkty\n\n")
    assert err.value.code == "import_empty"


def test_undecodable_file_is_refused(organiser, fair):
    with pytest.raises(ValidationError) as err:
        import_opening_balances(organiser, fair.id, b"organizacja;punkty\n\x81\x83;5\n")
    assert err.value.code == "import_encoding"


def test_import_needs_an_organiser_of_the_fair(make_participant, fair):
    with pytest.raises(Forbidden) as err:
        import_opening_balances(make_participant(), fair.id, b"organizacja;punkty\nX;5\n")
    assert err.value.code == "not_account_manager"
