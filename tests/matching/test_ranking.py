"""The posts that answer a post (app/matching/ranking.py), at a fair: offers for a need and needs
for an offer, of other organisations, live ones only, the same category first, the fair's
synonyms, the explanation; the process's index kept up to date by patches."""

from app.floor.kinds import PostKind
from app.floor.posts import PostData, edit_post, hide_post, withdraw_post
from app.matching.ranking import indexes, suggestions_for, suggestions_for_posts
from app.matching.synonyms import set_synonyms


def titles(found):
    return [s.post.title for s in found]


def test_a_need_gets_offers_and_never_other_needs(trading_fair, make_participant, make_post):
    need = make_post(make_participant(), "Potrzebna sala na spotkanie", kind=PostKind.NEED)
    make_post(make_participant(), "Sala konferencyjna", kind=PostKind.OFFER)
    make_post(make_participant(), "Szukamy sali", kind=PostKind.NEED)
    assert titles(suggestions_for(need)) == ["Sala konferencyjna"]


def test_an_offer_gets_needs_and_never_other_offers(trading_fair, make_participant, make_post):
    offer = make_post(make_participant(), "Sala konferencyjna", kind=PostKind.OFFER)
    make_post(make_participant(), "Sala dla 20 osób", kind=PostKind.OFFER)
    make_post(make_participant(), "Potrzebna sala", kind=PostKind.NEED)
    assert titles(suggestions_for(offer)) == ["Potrzebna sala"]


def test_posts_of_the_same_organisation_are_left_out(trading_fair, make_participant, make_post):
    me = make_participant(organisation="Razem")
    need = make_post(me, "Sala", kind=PostKind.NEED)
    make_post(make_participant(organisation="Razem"), "Sala duża", kind=PostKind.OFFER)
    assert suggestions_for(need) == []


def test_only_live_posts_are_suggested(trading_fair, organiser, make_participant, make_post):
    need = make_post(make_participant(), "Sala", kind=PostKind.NEED)
    withdrawn = make_post(make_participant(), "Sala A")
    hidden = make_post(make_participant(), "Sala B")
    make_post(make_participant(), "Sala C")
    assert len(suggestions_for(need)) == 3
    withdraw_post(withdrawn.author, trading_fair.id, withdrawn.id)
    hide_post(organiser, trading_fair.id, hidden.id, "spam")
    assert titles(suggestions_for(need)) == ["Sala C"]


def test_the_same_category_ranks_first_but_another_is_not_filtered_out(trading_fair, make_participant,
                                                                         make_post):
    need = make_post(make_participant(), "Rzutnik na szkolenie", kind=PostKind.NEED, category_key="equipment")
    make_post(make_participant(), "Rzutnik w sali", category_key="rooms")
    make_post(make_participant(), "Rzutnik", category_key="equipment")
    assert titles(suggestions_for(need)) == ["Rzutnik", "Rzutnik w sali"]


def test_a_fair_synonym_makes_a_match_explained(trading_fair, organiser, make_participant, make_post):
    need = make_post(make_participant(), "Żuczek na wycieczkę", kind=PostKind.NEED, category_key="transport")
    make_post(make_participant(), "Mikrobus z kierowcą", category_key="transport")
    assert suggestions_for(need) == []  # a word of this town only: in no lexicon or thesaurus
    set_synonyms(organiser, trading_fair.id, "żuczek = mikrobus")
    found = suggestions_for(need)
    assert titles(found) == ["Mikrobus z kierowcą"] and found[0].shared == ["żuczek/mikrobus"]


def test_the_shipped_lexicon_links_the_fairs_words_with_no_group_of_the_fair(trading_fair, make_participant,
                                                                             make_post):
    need = make_post(make_participant(), "Busik na wycieczkę", kind=PostKind.NEED, category_key="transport")
    make_post(make_participant(), "Mikrobus z kierowcą", category_key="transport")
    found = suggestions_for(need)
    assert titles(found) == ["Mikrobus z kierowcą"] and found[0].shared == ["busik/mikrobus"]


def test_the_explanation_names_the_shared_lemmas(trading_fair, make_participant, make_post):
    need = make_post(make_participant(), "Sale na spotkania", kind=PostKind.NEED)
    make_post(make_participant(), "Udostępnimy salę na spotkanie zarządu")
    assert set(suggestions_for(need)[0].shared) == {"spotkanie", "sala"}


def test_new_and_edited_posts_are_patched_into_the_index(trading_fair, make_participant, make_post, category):
    need = make_post(make_participant(), "Sala", kind=PostKind.NEED)
    first = make_post(make_participant(), "Sala duża")
    assert titles(suggestions_for(need)) == ["Sala duża"]
    offers = indexes().held[(trading_fair.id, PostKind.OFFER)].index
    make_post(make_participant(), "Sala mała")
    edit_post(first.author, trading_fair.id, first.id,
              PostData(kind=PostKind.OFFER, category_id=category("rooms"), title="Bus"))
    assert titles(suggestions_for(need)) == ["Sala mała"]
    # The same index, patched (the live suggestions of the new offer also rank the needs' index).
    assert indexes().held[(trading_fair.id, PostKind.OFFER)].index is offers and len(offers.recent) == 2


def test_several_posts_at_once(trading_fair, make_participant, make_post):
    me = make_participant()
    need = make_post(me, "Sala", kind=PostKind.NEED)
    offer = make_post(me, "Rzutnik")
    make_post(make_participant(), "Sala duża")
    make_post(make_participant(), "Potrzebny rzutnik", kind=PostKind.NEED)
    found = suggestions_for_posts([need, offer])
    assert titles(found[need.id]) == ["Sala duża"] and titles(found[offer.id]) == ["Potrzebny rzutnik"]
