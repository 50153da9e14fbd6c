"""CSV import of participants (app/people/csv_import.py): encodings, separators, line numbers,
all-or-nothing, who may import."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.storage.events import DomainEvent
from app.fairs.roles import Role
from app.network.sectors import Sector
from app.people.csv_import import ImportRejected, import_participants, preview_import
from app.people.csv_rows import MAX_BYTES
from app.people.models import Organisation, Participant

HEADER = "imię;nazwisko;e-mail;organizacja;sektor;miasto"
LUCJA = "Łucja;Żółkiewska;lucja@example.org;Fundacja Gęś;fundacja;Tczew"
JAN = "Jan;Gęś;jan@example.org;Spółdzielnia Socjalna Świętokrzyska;spółdzielnia socjalna;Tczew"


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding) + b"\r\n"


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imported(email: str) -> Participant:
    return db.session.scalars(select(Participant).where(Participant.email == email)).one()


def rejected(organiser, fair, data: bytes) -> ImportRejected:
    with pytest.raises(ImportRejected) as err:
        import_participants(organiser, fair.id, data)
    return err.value


def lines_and_codes(err: ImportRejected) -> set[tuple[int, str]]:
    return {(p.line, p.code) for p in err.problems}


# --- good files ---------------------------------------------------------------------------

def test_imports_utf8_file_separated_with_semicolons(fair, organiser):
    report = import_participants(organiser, fair.id, csv_file(HEADER, LUCJA, JAN))
    assert (report.created, report.encoding, report.delimiter) == (2, "UTF-8", ";")
    lucja = imported("lucja@example.org")
    assert (lucja.first_name, lucja.last_name) == ("Łucja", "Żółkiewska")
    assert lucja.organisation.name == "Fundacja Gęś"
    assert lucja.organisation.sector == Sector.NGO
    assert lucja.organisation.city == "Tczew"
    assert lucja.registered_via == "import"
    assert imported("jan@example.org").organisation.sector == Sector.SOCIAL_COOPERATIVE


def test_imports_utf8_file_with_bom(fair, organiser):
    report = import_participants(organiser, fair.id, b"\xef\xbb\xbf" + csv_file(HEADER, LUCJA))
    assert (report.created, report.encoding) == (1, "UTF-8")
    assert imported("lucja@example.org").first_name == "Łucja"


def test_imports_cp1250_file_separated_with_commas(fair, organiser):
    data = csv_file(HEADER.replace(";", ","), LUCJA.replace(";", ","), JAN.replace(";", ","),
                    encoding="cp1250")
    report = import_participants(organiser, fair.id, data)
    assert (report.created, report.encoding, report.delimiter) == (2, "Windows-1250", ",")
    assert imported("lucja@example.org").last_name == "Żółkiewska"
    assert imported("jan@example.org").organisation.name == "Spółdzielnia Socjalna Świętokrzyska"


def test_quoted_value_may_hold_the_separator(fair, organiser):
    data = csv_file(HEADER.replace(";", ","), 'Łucja,Żółkiewska,lucja@example.org,"Fundacja Gęś, Tczew",ngo,')
    import_participants(organiser, fair.id, data)
    assert imported("lucja@example.org").organisation.name == "Fundacja Gęś, Tczew"


def test_english_headers_and_values(fair, organiser):
    data = csv_file("First name,Last name,Email,Organization,Sector,Town,Role,Show email,Show phone,Phone",
                    "Łucja,Żółkiewska,lucja@example.org,Gęś Ltd,business,Tczew,notary,yes,no,600 100 200")
    import_participants(organiser, fair.id, data)
    lucja = imported("lucja@example.org")
    assert lucja.role == Role.NOTARY
    assert lucja.organisation.sector == Sector.BUSINESS
    assert (lucja.show_email, lucja.show_phone, lucja.phone) == (True, False, "600 100 200")


def test_headers_ignore_case_diacritics_and_unknown_columns(fair, organiser):
    data = csv_file("IMIE;Nazwisko;E-MAIL;Organizacja;SEKTOR;Pokaz telefon;Uwagi",
                    "Łucja;Żółkiewska;lucja@example.org;Fundacja Gęś;NGO;x;wegetarianka")
    report = import_participants(organiser, fair.id, data)
    assert report.ignored_columns == ["Uwagi"]
    assert imported("lucja@example.org").show_phone is True


def test_one_column_may_hold_the_whole_name(fair, organiser):
    data = csv_file("imię i nazwisko;e-mail;organizacja;sektor",
                    "Anna Maria Świętokrzyska;anna@example.org;Fundacja Gęś;ngo")
    import_participants(organiser, fair.id, data)
    anna = imported("anna@example.org")
    assert (anna.first_name, anna.last_name) == ("Anna Maria", "Świętokrzyska")


def test_excel_separator_line_is_understood_and_counted(fair, organiser):
    data = csv_file("sep=,", HEADER.replace(";", ","), "Jan,,,Org,ngo,")
    err = rejected(organiser, fair, data)
    assert lines_and_codes(err) == {(3, "missing_last_name")}


def test_resident_represents_themself(fair, organiser):
    data = csv_file(HEADER, "Łucja;Żółkiewska;lucja@example.org;;mieszkanka;Tczew")
    report = import_participants(organiser, fair.id, data)
    lucja = imported("lucja@example.org")
    assert lucja.organisation.name == "Łucja Żółkiewska"
    assert lucja.organisation.sector == Sector.RESIDENT
    assert report.new_organisations == 1


def test_existing_organisation_is_reused_and_counted(fair, organiser, make_organisation):
    make_organisation("Fundacja Gęś", Sector.NGO)
    data = csv_file(HEADER, LUCJA, "Jan;Gęś;;fundacja gęś;ngo;", "Ewa;Łęcka;;Nowa Firma;firma;")
    report = import_participants(organiser, fair.id, data)
    assert (report.created, report.organisations, report.new_organisations) == (3, 2, 1)
    assert count(Organisation) == 3  # the organiser's, Fundacja Gęś, Nowa Firma


def test_import_records_one_event_with_the_count(fair, organiser):
    import_participants(organiser, fair.id, csv_file(HEADER, LUCJA, JAN))
    events = db.session.scalars(select(DomainEvent).where(DomainEvent.type == "participants.imported")).all()
    assert [e.payload["count"] for e in events] == [2]
    assert events[0].payload["organisations_created"] == 2


def test_preview_counts_and_writes_nothing(fair, organiser):
    before = count(Participant)
    report = preview_import(organiser, fair.id, csv_file(HEADER, LUCJA, JAN, "Ewa;Łęcka;;Fundacja Gęś;ngo;"))
    assert (report.ok, report.participants, report.organisations, report.new_organisations) == (True, 3, 2, 2)
    assert report.created == 0
    assert count(Participant) == before


# --- bad rows -----------------------------------------------------------------------------

def test_bad_rows_are_reported_by_line_and_nothing_is_imported(fair, organiser):
    before = count(Participant)
    data = csv_file(HEADER, LUCJA,
                    ";Gęś;bez-imienia@example.org;Fundacja Gęś;ngo;",  # line 3: no first name
                    "Jan;Gęś;to nie e-mail;Fundacja Gęś;ngo;",  # line 4: bad e-mail
                    "Ewa;Łęcka;ewa@example.org;Fundacja Gęś;kosmici;",  # line 5: unknown sector
                    JAN)
    err = rejected(organiser, fair, data)
    assert err.code == "import_invalid"
    assert lines_and_codes(err) == {(3, "missing_first_name"), (4, "invalid_email"), (5, "unknown_sector")}
    assert count(Participant) == before


def test_problem_names_the_column_as_written_in_the_file(fair, organiser):
    err = rejected(organiser, fair, csv_file(HEADER, "Jan;Gęś;zły;Fundacja Gęś;ngo;"))
    assert [p.column for p in err.problems] == ["e-mail"]


def test_one_line_may_have_several_problems(fair, organiser):
    err = rejected(organiser, fair, csv_file(HEADER, ";;zły;;;"))
    assert lines_and_codes(err) == {(2, "missing_first_name"), (2, "missing_last_name"), (2, "invalid_email"),
                                    (2, "missing_organisation"), (2, "missing_sector")}


def test_quoted_newline_shifts_the_line_numbers(fair, organiser):
    data = csv_file(HEADER,
                    'Łucja;Żółkiewska;lucja@example.org;"Fundacja\nGęś";ngo;',  # lines 2-3
                    "Jan;;jan@example.org;Fundacja Gęś;ngo;")  # line 4
    err = rejected(organiser, fair, data)
    assert lines_and_codes(err) == {(4, "missing_last_name")}


def test_bad_row_spanning_lines_reports_its_range(fair, organiser):
    data = csv_file(HEADER, 'Łucja;Żółkiewska;zły;"Fundacja\r\nGęś";ngo;')
    [problem] = rejected(organiser, fair, data).problems
    assert (problem.line, problem.lines, problem.code) == (2, "2–3", "invalid_email")


def test_blank_lines_are_skipped_but_counted(fair, organiser):
    data = csv_file(HEADER, LUCJA, "", ";;;;;", "Jan;Gęś;zły;Org;ngo;")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(5, "invalid_email")}


def test_organisers_cannot_be_imported(fair, organiser):
    data = csv_file(HEADER + ";rola", LUCJA + ";organizator", JAN + ";notariusz")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(2, "role_not_allowed")}


def test_unknown_role_and_yes_no_value_are_reported(fair, organiser):
    data = csv_file(HEADER + ";rola;pokaż e-mail", LUCJA + ";szef;może")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(2, "unknown_role"), (2, "invalid_flag")}


def test_more_cells_than_columns_is_reported(fair, organiser):
    data = csv_file(HEADER.replace(";", ","), "Łucja,Żółkiewska,lucja@example.org,Fundacja Gęś, Tczew,ngo,Tczew")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(2, "extra_cells")}


def test_sector_differing_from_the_registered_organisation_is_reported(fair, organiser, make_organisation):
    make_organisation("Fundacja Gęś", Sector.NGO)
    data = csv_file(HEADER, "Łucja;Żółkiewska;;Fundacja Gęś;firma;")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(2, "sector_mismatch")}


def test_sector_differing_within_the_file_is_reported(fair, organiser):
    data = csv_file(HEADER, LUCJA, "Jan;Gęś;;Fundacja Gęś;firma;")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(3, "sector_mismatch_in_file")}


# --- duplicates ---------------------------------------------------------------------------

def test_same_email_twice_in_the_file_is_reported(fair, organiser):
    data = csv_file(HEADER, LUCJA, JAN, "Łucja;Gęś;LUCJA@example.org;Inna Fundacja;ngo;")
    err = rejected(organiser, fair, data)
    assert lines_and_codes(err) == {(4, "duplicate_email_in_file")}
    assert count(Participant) == 1


def test_same_person_twice_in_one_organisation_is_reported(fair, organiser):
    data = csv_file(HEADER, "Łucja;Żółkiewska;;Fundacja Gęś;ngo;", "łucja;ŻÓŁKIEWSKA;;fundacja gęś;ngo;")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(3, "duplicate_person_in_file")}


def test_same_name_in_another_organisation_is_fine(fair, organiser):
    data = csv_file(HEADER, "Łucja;Żółkiewska;;Fundacja Gęś;ngo;", "Łucja;Żółkiewska;;Urząd Miasta;public;")
    assert import_participants(organiser, fair.id, data).created == 2


def test_existing_participant_is_reported_with_who_it_is(fair, organiser, make_participant):
    make_participant("Łucja", "Żółkiewska", email="lucja@example.org", organisation="Stowarzyszenie Źródło")
    err = rejected(organiser, fair, csv_file(HEADER, JAN, LUCJA))
    assert lines_and_codes(err) == {(3, "duplicate_email")}
    assert "Łucja Żółkiewska (Stowarzyszenie Źródło)" in str(err.problems[0].message)
    assert count(Participant) == 2


def test_existing_person_in_the_same_organisation_is_reported(fair, organiser, make_participant):
    make_participant("Jan", "Gęś", email="", organisation="Fundacja Gęś")
    data = csv_file(HEADER, "Jan;Gęś;;Fundacja Gęś;ngo;")
    assert lines_and_codes(rejected(organiser, fair, data)) == {(2, "duplicate_person")}


# --- files that cannot be read ------------------------------------------------------------

def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(("data", "code"), [
    (b"", "import_empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "import_empty"),
    (csv_file(HEADER), "import_no_rows"),
    (xlsx_bytes(), "import_spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "import_spreadsheet"),
    (csv_file(HEADER, LUCJA, encoding="utf-16"), "import_encoding"),
    (csv_file(HEADER, LUCJA, encoding="utf-16-le"), "import_encoding"),
    (bytes(range(256)) * 4, "import_encoding"),
    (csv_file(HEADER, "Anna;Wiśniewska;;Fundacja Gęś;ngo;", encoding="iso-8859-2"), "import_encoding"),
    (csv_file(HEADER, 'Łucja;Żółkiewska;;"Fundacja Gęś;ngo;'), "import_malformed"),
    (csv_file("imię;imiona;nazwisko;organizacja;sektor", "a;b;c;d;ngo"), "import_duplicate_columns"),
], ids=["empty", "blank", "header-only", "xlsx", "xls", "utf-16", "utf-16-no-bom", "random",
        "latin-2", "open-quote", "double-column"])
def test_unreadable_files_are_refused_with_a_code(fair, organiser, data, code):
    err = rejected(organiser, fair, data)
    assert err.code == code
    assert err.problems == []


def test_spreadsheet_message_says_save_as_csv(fair, organiser):
    assert "CSV" in str(rejected(organiser, fair, xlsx_bytes()).message)


def test_encoding_message_names_the_accepted_encodings(fair, organiser):
    message = str(rejected(organiser, fair, csv_file(HEADER, LUCJA, encoding="utf-16")).message)
    assert "UTF-8" in message and "Windows-1250" in message


def test_file_over_the_size_limit_is_refused(fair, organiser):
    data = csv_file(HEADER, *[LUCJA] * (MAX_BYTES // len(LUCJA) + 1))
    assert rejected(organiser, fair, data).code == "import_too_large"


def test_missing_columns_are_listed_with_those_found(fair, organiser):
    err = rejected(organiser, fair, csv_file("imię;nazwisko;telefon", "Łucja;Żółkiewska;600100200"))
    assert err.code == "import_missing_columns"
    message = str(err.message)
    assert "organizacja" in message and "sektor" in message
    assert "“imię”, “nazwisko”, “telefon”" in message


# --- who may import -----------------------------------------------------------------------

def test_participant_may_not_import(fair, make_participant):
    someone = make_participant()
    with pytest.raises(DomainError) as err:
        import_participants(someone, fair.id, csv_file(HEADER, LUCJA))
    assert err.value.code == "forbidden_role"


def test_organiser_of_another_fair_may_not_import(fair, make_fair, make_participant):
    other = make_fair()
    boss = make_participant(role=Role.ORGANISER, fair_id=other.id)
    with pytest.raises(DomainError) as err:
        preview_import(boss, fair.id, csv_file(HEADER, LUCJA))
    assert err.value.code == "not_logged_in"


def test_returning_people_and_members_are_recognised(fair, organiser, make_fair, make_participant):
    earlier = make_fair()
    before = make_participant("Łucja", "Żółkiewska", email="lucja@example.org", fair_id=earlier.id,
                              organisation="Fundacja Gęś", sector=Sector.NGO)
    import_participants(organiser, fair.id, csv_file(HEADER, LUCJA, JAN))
    lucja = db.session.scalars(select(Participant).where(Participant.fair_id == fair.id,
                                                         Participant.email == "lucja@example.org")).one()
    assert lucja.person_id == before.person_id
    assert lucja.organisation.member_id == before.organisation.member_id
    assert imported("jan@example.org").person_id != before.person_id
