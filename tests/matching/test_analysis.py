"""Polish text as matching terms (app/matching/analysis.py): lemmas, stop words, folding."""

from app.matching.analysis import analyse, fold, post_terms, readable


def test_inflected_forms_share_a_lemma():
    assert analyse("salę") == analyse("sale") == analyse("sali") == ["sala"]
    assert analyse("krzesłami") == ["krzesło"]


def test_a_noun_reading_comes_before_a_verb_reading():
    assert analyse("pomieszczenia") == ["pomieszczenie"]


def test_stop_words_numbers_and_short_words_are_left_out():
    assert analyse("Potrzebujemy sali dla 20 osób na 2 godziny") == ["sala"]


def test_terms_are_compared_folded_and_shown_readable():
    assert fold("krzesło") == "krzeslo"
    assert readable(["krzesło", "krzeslo"]) == {"krzeslo": "krzesło"}


def test_a_posts_terms_are_its_title_and_details():
    assert post_terms("Rzutnik", "z ekranem") == "rzutnik ekran"


def test_a_word_typed_without_polish_letters_gets_its_lemma():
    assert analyse("Stoly na kiermasz") == ["stół", "kiermasz"]
    assert analyse("Zajecia dla seniorow") == ["zajęcia", "senior"]
