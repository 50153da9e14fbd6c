import pytest

from app.core.errors import DomainError
from app.core.extensions import db
from app.network.sectors import Sector
from app.people.organisations import OrganisationData, create_organisation, remove_organisation, update_organisation


def test_create_organisation(fair, organiser):
    org = create_organisation(organiser, fair.id, OrganisationData("  Klub  Sportowy Sokół ", Sector.NGO))
    assert org.name == "Klub Sportowy Sokół"


def test_duplicate_organisation_refused(fair, organiser):
    create_organisation(organiser, fair.id, OrganisationData("Muzeum Wisły", Sector.PUBLIC))
    with pytest.raises(DomainError) as err:
        create_organisation(organiser, fair.id, OrganisationData("muzeum wisły", Sector.PUBLIC))
    assert err.value.code == "duplicate_organisation"


def test_rename_onto_existing_name_refused(fair, organiser):
    a = create_organisation(organiser, fair.id, OrganisationData("A", Sector.NGO))
    create_organisation(organiser, fair.id, OrganisationData("B", Sector.NGO))
    with pytest.raises(DomainError) as err:
        update_organisation(organiser, fair.id, a.id, OrganisationData("b", Sector.NGO))
    assert err.value.code == "duplicate_organisation"


def test_cannot_remove_organisation_with_people(fair, organiser, make_participant):
    p = make_participant(organisation="Pełna Organizacja")
    with pytest.raises(DomainError) as err:
        remove_organisation(organiser, fair.id, p.organisation_id)
    assert err.value.code == "organisation_not_empty"


def test_remove_empty_organisation(fair, organiser):
    org = create_organisation(organiser, fair.id, OrganisationData("Pusta", Sector.BUSINESS))
    remove_organisation(organiser, fair.id, org.id)
    db.session.refresh(org)
    assert org.removed_at is not None


def test_participant_cannot_create_organisation(fair, make_participant):
    p = make_participant()
    with pytest.raises(DomainError) as err:
        create_organisation(p, fair.id, OrganisationData("X", Sector.NGO))
    assert err.value.code == "forbidden_role"
