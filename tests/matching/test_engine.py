"""The ranking apart from the database (app/matching/engine.py): BM25 over terms, widened terms,
the category boost, patching as posts come and go."""

import pytest

from app.matching.analysis import analyse
from app.matching.engine import Doc, Index
from app.matching.synonyms import Thesaurus, compile_groups

ROOMS, EQUIPMENT = 1, 2


def doc(post_id, text, category=ROOMS, organisation=None, version=1):
    return Doc(post_id, organisation or 100 + post_id, category, tuple(analyse(text)), version)


def ids(index, text, category=ROOMS, organisation=1, **kw):
    query = index.query(analyse(text), **kw)
    return [h.doc.id for h in index.rank(query, category, organisation)]


def test_inflected_words_meet_and_unrelated_posts_are_not_listed():
    index = Index.build([doc(1, "Sala konferencyjna"), doc(2, "Bus z kierowcą", category=EQUIPMENT)])
    assert ids(index, "Potrzebna sala na spotkanie") == [1]


def test_a_typo_and_missing_polish_letters_still_meet():
    index = Index.build([doc(1, "Projektor multimedialny", EQUIPMENT), doc(2, "Krzesła składane", EQUIPMENT)])
    assert ids(index, "projektr", EQUIPMENT) == [1]
    assert ids(index, "krzesla", EQUIPMENT) == [2]


def test_the_same_category_triples_the_score():
    index = Index.build([doc(1, "Sala", EQUIPMENT), doc(2, "Sala", ROOMS)])
    hits = index.rank(index.query(["sala"]), ROOMS, 1)
    assert [h.doc.id for h in hits] == [2, 1]
    assert hits[0].score == pytest.approx(3 * hits[1].score)


def test_the_asking_organisation_is_left_out():
    index = Index.build([doc(1, "Sala", organisation=7), doc(2, "Sala", organisation=8)])
    assert ids(index, "sala", organisation=7) == [2]


def test_a_fair_synonym_links_words_and_explains_itself():
    index = Index.build([doc(1, "Projektor multimedialny", EQUIPMENT)])
    groups = compile_groups(("rzutnik = projektor multimedialny",))
    assert ids(index, "rzutnik", EQUIPMENT, fuzzy=False) == []
    hits = index.rank(index.query(["rzutnik"], groups, fuzzy=False), EQUIPMENT, 1)
    assert [h.doc.id for h in hits] == [1]
    assert hits[0].shared == ["rzutnik/projektor multimedialny"]


def test_the_thesaurus_widens_with_less_weight_than_a_shared_word():
    thesaurus = Thesaurus({"rzutnik": [("projektor", 0.5)]})
    index = Index.build([doc(1, "Projektor", EQUIPMENT), doc(2, "Rzutnik", EQUIPMENT)])
    hits = index.rank(index.query(["rzutnik"], thesaurus=thesaurus), EQUIPMENT, 1)
    assert [h.doc.id for h in hits] == [2, 1]
    assert [h.shared for h in hits] == [["rzutnik"], ["rzutnik/projektor"]]


def test_a_new_post_is_patched_in_and_scored_as_a_rebuild_would():
    base = [doc(i, f"Sala numer {i} stoły krzesła") for i in range(1, 200)]
    index = Index.build(base)
    new = doc(500, "Sala z rzutnikiem")
    patched = index.patched(set(), [new])
    assert patched is index and patched.recent == [new]
    rebuilt = Index.build([*base, new])
    got = {h.doc.id: h.score for h in patched.rank(patched.query(["sala", "rzutnik"]), ROOMS, 1, limit=300)}
    want = {h.doc.id: h.score for h in rebuilt.rank(rebuilt.query(["sala", "rzutnik"]), ROOMS, 1, limit=300)}
    assert ids(patched, "rzutnik")[0] == 500
    assert abs(got[500] - want[500]) / want[500] < 0.05


def test_a_post_that_left_is_masked_and_an_edit_replaces_it():
    index = Index.build([doc(1, "Sala"), doc(2, "Sala duża")])
    index = index.patched({1}, [doc(2, "Bus", version=2)])
    assert ids(index, "sala") == []
    assert ids(index, "bus") == [2]
    assert index.versions() == {2: 2}


def test_many_changes_rebuild_the_index():
    index = Index.build([doc(1, "Sala")])
    rebuilt = index.patched(set(), [doc(i, "Bus") for i in range(2, 100)])
    assert rebuilt is not index and rebuilt.recent == [] and len(rebuilt) == 99


def test_words_of_one_family_meet_by_their_character_n_grams_and_explain_it():
    index = Index.build([doc(1, "Cyberbezpieczeństwo dla organizacji"), doc(2, "Sala")])
    hits = index.rank(index.query(analyse("zabezpieczenie"), fuzzy=False), ROOMS, 1)
    assert [(h.doc.id, h.shared) for h in hits] == [(1, ["zabezpieczenie/cyberbezpieczeństwo"])]


def test_a_patched_in_posts_words_are_character_neighbours_at_once():
    index = Index.build([doc(1, "Drukarnia"), doc(2, "Sala")]).patched(set(), [doc(3, "Drukarz")])
    assert sorted(ids(index, "drukarka", fuzzy=False)) == [1, 3]


def test_character_neighbours_work_from_a_fair_that_started_empty():
    index = Index.build([]).patched(set(), [doc(1, "Cyberbezpieczeństwo"), doc(2, "Sala")])
    assert ids(index, "zabezpieczenie", fuzzy=False) == [1]
