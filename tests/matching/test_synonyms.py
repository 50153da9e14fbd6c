"""A fair's synonym groups (app/matching/synonyms.py): parsed one a line, replaced by organisers
only, audited; compiled for ranking; the thesaurus underneath."""

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.extensions import db
from app.core.serving import WARM_UPS
from app.core.storage.audit import AuditEvent
from app.matching.synonyms import (
    WEIGHT_FAIR,
    WEIGHT_LEXICON,
    WEIGHT_THESAURUS,
    Thesaurus,
    compile_groups,
    fair_compiled_groups,
    groups_text,
    lexicon,
    parse_groups,
    set_synonyms,
    thesaurus,
    warm_up,
)


def test_one_group_a_line_blank_lines_and_repeats_dropped():
    assert parse_groups("rzutnik = projektor = Projektor\n\n  sala= salka ") == [
        ["rzutnik", "projektor"], ["sala", "salka"]]


@pytest.mark.parametrize(("text", "code"), [
    ("rzutnik", "synonym_group_too_small"),
    ("rzutnik = " + "x" * 81, "synonym_member_too_long"),
    ("sala = 12", "synonym_member_empty"),
    ("a = b" * 200, "synonym_line_too_long"),
    ("\n".join(f"sala{i} = salka{i}" for i in range(501)), "too_many_synonym_groups"),
])
def test_a_bad_line_is_refused_with_its_code(text, code):
    with pytest.raises(DomainError) as err:
        parse_groups(text)
    assert err.value.code == code


def test_an_organiser_replaces_the_groups_and_it_is_audited(fair, organiser):
    set_synonyms(organiser, fair.id, "rzutnik = projektor")
    set_synonyms(organiser, fair.id, "sala = pomieszczenie\nbus=busik")
    assert groups_text(fair.id) == "sala = pomieszczenie\nbus = busik"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.fair_id == fair.id)).all()
    assert actions.count("synonyms.set_synonyms") == 2


def test_a_participant_may_not_set_synonyms(fair, make_participant):
    with pytest.raises(DomainError) as err:
        set_synonyms(make_participant(), fair.id, "rzutnik = projektor")
    assert err.value.code == "forbidden_role"


def test_groups_compile_to_folded_lemma_phrases(fair, organiser):
    set_synonyms(organiser, fair.id, "Rzutnik = projektor multimedialny")
    compiled = fair_compiled_groups(fair.id)
    assert [[m.terms for m in g] for g in compiled.groups[:1]] == [[("rzutnik",), ("projektor", "multimedialny")]]
    assert compile_groups(("rzutniki = sale",)).expand({"rzutnik"})[0].term == "sala"


def test_the_fairs_own_groups_come_first_and_weigh_more_than_the_lexicons(fair, organiser):
    set_synonyms(organiser, fair.id, "rzutnik = projektor")
    compiled = fair_compiled_groups(fair.id)
    assert compiled.groups[1:] == lexicon().groups  # then every group of the shipped lexicon
    assert compiled.weights == (WEIGHT_FAIR, *(WEIGHT_LEXICON,) * len(lexicon().groups))
    assert WEIGHT_FAIR > WEIGHT_LEXICON > WEIGHT_THESAURUS


def test_the_lexicon_is_read_without_its_comments():
    assert lexicon().groups and all(len(g) >= 2 for g in lexicon().groups)
    assert not any(m.text.startswith("#") for g in lexicon().groups for m in g)


def test_the_thesaurus_links_both_ways():
    assert ("projektor", 0.7) in thesaurus().related["rzutnik"]
    assert "rzutnik" in dict(thesaurus().related["projektor"])
    assert Thesaurus({}).expand({"sala"}) == []


def test_the_thesaurus_goes_a_second_step_through_synonyms_only():
    related = Thesaurus({"bus": [("autobus", 0.7), ("pojazd", 0.5)], "autobus": [("autokar", 0.7)],
                         "pojazd": [("rower", 0.5)]})
    widened = {e.term: round(e.weight, 2) for e in related.expand({"bus"})}
    assert widened == {"autobus": 0.7, "pojazd": 0.5, "autokar": 0.49}


def test_a_serving_process_loads_the_thesaurus_before_its_first_request(app):
    assert warm_up in app.extensions[WARM_UPS]  # `serve` runs these before it takes requests
    thesaurus.cache_clear()
    warm_up()
    assert thesaurus.cache_info().currsize == 1
