"""Entity typing rules on hand-built Docs (rule components only, no statistical model)."""
from __future__ import annotations

import pytest

from kg.extract.entities import GAZ_RULER, ROLE_RULER, add_entity_rules, extract_mentions, reconcile_ents

from .entity_docs import ents, parsed_doc, rule_doc, rule_nlp, sent_index


def mentions(doc):
    return extract_mentions(doc, sent_index(doc))


def typed(doc):
    return [(m.text, m.type) for m in mentions(doc)]


# --- pipeline set-up -------------------------------------------------------------------------


def test_add_entity_rules_is_idempotent():
    nlp = rule_nlp()
    before = list(nlp.pipe_names)
    add_entity_rules(nlp)
    assert nlp.pipe_names == before
    assert nlp.pipe_names.count(GAZ_RULER) == 1 and ROLE_RULER in nlp.pipe_names


def test_reconcile_of_nothing_is_nothing():
    assert reconcile_ents([], []) == []


# --- gazetteer hits override or correct the model's label ------------------------------------


def test_gazetteer_corrects_model_labels():
    doc = rule_doc("Raids hit Ninawa and Sulaymaniyah, and a strike hit Aleppo.",
                   [("Ninawa", "PERSON"), ("Sulaymaniyah", "ORG"), ("Aleppo", "NORP")])
    assert ents(doc) == [("Ninawa", "GPE", "IQ-NI"), ("Sulaymaniyah", "GPE", "IQ-SU"), ("Aleppo", "GPE", "SY-HL")]
    ms = mentions(doc)
    assert [m.type for m in ms] == ["Location"] * 3
    assert ms[0].canonical == "Nineveh" and ms[0].gid == "IQ-NI"


def test_landform_found_without_any_model_entity():
    doc = rule_doc("The army searched the Qara Chokh mountains in the north.")
    [m] = mentions(doc)
    assert (m.text, m.type, m.gid) == ("Qara Chokh mountains", "Location", "landform:qara-chokh-mountains")


def test_border_area_from_country_names_and_demonyms():
    doc = rule_doc("Militants were killed on the Iraqi-Syrian borders and on the border between Iraq and Syria.")
    assert {m.gid for m in mentions(doc)} == {"landform:iraq-syria-border"}


def test_model_keeps_names_no_list_has():
    doc = rule_doc("Troops entered Baghouz and met Zorbax Industries.", [("Baghouz", "GPE"), ("Zorbax Industries", "ORG")])
    assert typed(doc) == [("Baghouz", "Location"), ("Zorbax Industries", "Organization")]


def test_transliteration_variant_gets_the_gazetteer_id():
    doc = rule_doc("Raids in Salaheddeine continued.", [("Salaheddeine", "GPE")])
    [m] = mentions(doc)
    assert m.gid == "IQ-SD" and m.canonical == "Salah al-Din"


# --- what is (not) an entity -----------------------------------------------------------------


def test_adjectives_are_not_entities_but_peshmerga_is_an_organization():
    doc = rule_doc("Iraqi and jihadist sources said Peshmerga forces moved.",
                   [("Iraqi", "NORP"), ("jihadist", "NORP"), ("Peshmerga", "NORP")])
    assert typed(doc) == [("Peshmerga forces", "Organization")]


def test_generic_force_phrases_only_when_they_name_a_force():
    doc = rule_doc("Iraqi security forces and US forces met the Federal Police. Later security forces left.")
    assert [(m.text, m.canonical) for m in mentions(doc)] == [
        ("Iraqi security forces", "Iraqi security forces"), ("US forces", "US forces"), ("Federal Police", "Federal Police")]


def test_lowercase_common_words_do_not_match_names():
    doc = rule_doc("The federal police told us that the islamic state is weak.")
    assert mentions(doc) == []


def test_acronyms_are_case_sensitive():
    doc = rule_doc("The IS group and the US said it is over.")
    assert [(m.text, m.gid) for m in mentions(doc)] == [("IS group", "org:isis"), ("US", "US")]


def test_case_free_alias():
    doc = rule_doc("He was killed by an international coalition airstrike.")
    [m] = mentions(doc)
    assert m.gid == "org:global-coalition"


def test_dates_and_numbers_stay_untouched():
    doc = rule_doc("On July 13 some 15 ISIS militants died.", [("July 13", "DATE"), ("15", "CARDINAL"), ("ISIS", "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("July 13", "DATE"), ("15", "CARDINAL"), ("ISIS", "ORG")]


# --- overlaps between the model and the gazetteer --------------------------------------------


def test_longer_model_name_wins_over_a_place_inside_it():
    doc = rule_doc("He spoke to the Anbar Provincial Council yesterday.", [("the Anbar Provincial Council", "ORG")])
    assert typed(doc) == [("Anbar Provincial Council", "Organization")]


def test_model_run_on_of_organisation_and_person_is_split():
    doc = rule_doc("member of the security committee of the Anbar Provincial Council Na'im al-Ka'oud said",
                   [("the Anbar Provincial Council Na'im al-Ka'oud", "ORG")])
    assert typed(doc) == [("Anbar Provincial Council", "Organization"), ("Na'im al-Ka'oud", "Person")]


def test_rank_inside_an_organisation_entity_ends_it():
    doc = rule_doc("Spokesman for the Iraqi Interior Ministry Brigadier General Saad Maan said.",
                   [("Spokesman", "NORP"), ("the Iraqi Interior Ministry Brigadier", "ORG"), ("General Saad Maan", "PERSON")])
    assert typed(doc) == [("Iraqi Interior Ministry", "Organization"), ("Saad Maan", "Person")]


def test_title_words_are_not_entities():
    doc = rule_doc("US Defense Secretary James Mattis said.", [("US", "GPE"), ("Defense", "ORG"), ("James Mattis", "PERSON")])
    assert typed(doc) == [("US", "Location"), ("James Mattis", "Person")]


def test_honorific_and_rank_are_trimmed_from_people():
    doc = rule_doc("Sheikh Eyad al-Jubouri and Maj. Gen. Tahseen al-Khafaji spoke.",
                   [("Sheikh Eyad al-Jubouri", "PERSON"), ("Maj", "PERSON"), ("Tahseen al-Khafaji", "PERSON")])
    assert typed(doc) == [("Eyad al-Jubouri", "Person"), ("Tahseen al-Khafaji", "Person")]


def test_given_name_left_out_by_the_model_is_taken_in():
    doc = rule_doc("the council member Naim al-Kaoud told reporters", [("al-Kaoud", "PERSON")])
    assert typed(doc) == [("Naim al-Kaoud", "Person")]


def test_weak_place_only_confirms_a_model_entity():
    # "Hit" (a town in Anbar) is also an English word: alone it is not a place ...
    assert mentions(rule_doc("Hit by airstrikes, the militants fled.")) == []
    # ... but when the model calls it a place, the gazetteer gives it an id
    [m] = mentions(rule_doc("Militants attacked Hit on Monday.", [("Hit", "GPE")]))
    assert m.gid and m.type == "Location"


def test_one_word_person_is_not_relabelled_by_a_minor_place():
    doc = rule_doc("Saad Maan said it. Maan added more.", [("Saad Maan", "PERSON"), ("Maan", "PERSON")])
    assert typed(doc) == [("Saad Maan", "Person"), ("Maan", "Person")]


def test_person_name_containing_a_country_stays_a_person():
    doc = rule_doc("Jordan Peterson spoke.", [("Jordan Peterson", "PERSON")])
    assert typed(doc) == [("Jordan Peterson", "Person")]


# --- surnames, national bodies, metonymy ------------------------------------------------------


def test_surname_of_a_person_named_in_full_is_a_person():
    doc = rule_doc("James Mattis spoke. Mattis said more. Later Mattis left.",
                   [("James Mattis", "PERSON"), ("Mattis", "NORP")])
    assert typed(doc) == [("James Mattis", "Person"), ("Mattis", "Person"), ("Mattis", "Person")]
    assert [m.rule for m in mentions(doc)][1:] == ["entities:surname", "entities:surname"]


def test_country_less_ministry_takes_the_article_country():
    doc = rule_doc("Iraq and Iraqi forces: the Ministry of Defense said so.", [("Iraq", "GPE"), ("Iraqi", "NORP")])
    ms = mentions(doc)
    assert [(m.text, m.gid) for m in ms][-1] == ("Ministry of Defense", "org:iq-defense-ministry")
    assert ms[-1].canonical == "Iraqi Ministry of Defense"


def test_country_qualified_ministries_stay_distinct():
    doc = rule_doc("The Iraqi Interior Ministry and the Iraqi Defense Ministry and Iraq's Interior Ministry met.")
    assert [m.gid for m in mentions(doc)] == ["org:iq-interior-ministry", "org:iq-defense-ministry", "org:iq-interior-ministry"]


def test_capital_as_actor_stands_for_its_country():
    doc = parsed_doc(["Washington", "deploys", "troops"], [1, 1, 1], ["nsubj", "ROOT", "dobj"], ["B-GPE", "O", "O"])
    [m] = mentions(doc)
    assert (m.gid, m.rule) == ("US", "entities:metonymy")
    doc = parsed_doc(["In", "Baghdad", ",", "police", "met"], [4, 0, 4, 4, 4], ["prep", "pobj", "punct", "nsubj", "ROOT"],
                     ["O", "B-GPE", "O", "O", "O"], spaces=[True, False, True, True, False])
    [m] = mentions(doc)
    assert m.gid == "IQ-BG"


# --- rules for names no list has --------------------------------------------------------------


@pytest.mark.parametrize("text, name", [
    ("a soldier of the Abu Musa al-Ashaari Brigade in Kirkuk", "Abu Musa al-Ashaari Brigade"),
    ("the governor of the so-called Wilayat al-Khair wal-Baraka, he said", "Wilayat al-Khair wal-Baraka"),
    ("sheikhs of the Shammar tribe met", "Shammar tribe"),
    ("the Anbar Operations Command said", "Anbar Operations Command"),
])
def test_organisation_name_rules(text, name):
    assert (name, "Organization") in typed(rule_doc(text))


def test_rule_name_does_not_cut_through_a_model_person():
    doc = rule_doc("Ahmed Brigade Smith spoke.", [("Ahmed Brigade Smith", "PERSON")])
    assert typed(doc) == [("Ahmed Brigade Smith", "Person")]


def test_mentions_are_sorted_and_carry_sentence_indices():
    doc = rule_doc("ISIS attacked. Kirkuk was hit.")
    ms = mentions(doc)
    assert [(m.text, m.sent) for m in ms] == [("ISIS", 0), ("Kirkuk", 1)]
    assert all(doc.text[m.start:m.end] == m.text for m in ms)


def test_landform_rule_for_names_no_list_has():
    assert ("Atshana mountains", "Location") in typed(rule_doc("militants hiding in the Atshana mountains", [("Atshana", "ORG")]))
    # a known place followed by a landform word stays that place
    assert typed(rule_doc("ISIS is present in the Anbar desert and Kirkuk hills.")) == [
        ("ISIS", "Organization"), ("Anbar", "Location"), ("Kirkuk", "Location")]


def test_model_entity_is_cut_at_an_opening_bracket():
    doc = rule_doc("controlled by Hayat Tahrir al-Sham (HTS), which", [("Hayat Tahrir al-Sham (HTS", "ORG")])
    assert [(m.text, m.gid) for m in mentions(doc)] == [("Hayat Tahrir al-Sham", "org:hts"), ("HTS", "org:hts")]


def test_lowercase_ministry_of_the_article_country():
    doc = rule_doc("Syria's interior ministry said Syrian forces moved.", [("Syria", "GPE"), ("Syrian", "NORP")])
    assert [(m.text, m.gid) for m in mentions(doc)][-1] == ("interior ministry", "org:sy-interior-ministry")


def test_title_inside_an_organisation_name_does_not_cut_it():
    doc = rule_doc("the Office of the Prime Minister said", [("the Office of the Prime Minister", "ORG")])
    assert typed(doc) == [("Office of the Prime Minister", "Organization")]


def test_sentence_initial_place_name_needs_the_tagger_to_read_it_as_a_name():
    words, heads, deps = ["Samarra", "was", "calm"], [1, 1, 1], ["nsubj", "ROOT", "acomp"]
    assert typed(parsed_doc(words, heads, deps, pos=["PROPN", "AUX", "ADJ"])) == [("Samarra", "Location")]
    assert typed(parsed_doc(words, heads, deps, pos=["VERB", "AUX", "ADJ"])) == []


def test_name_before_a_place_noun_is_a_place():
    doc = rule_doc("the commander of the Sulayman Beg sector and the Abu Ghraib area",
                   [("Sulayman Beg", "ORG"), ("Abu Ghraib", "PERSON")])
    assert typed(doc) == [("Sulayman Beg", "Location"), ("Abu Ghraib", "Location")]
    doc = rule_doc("the Kirkuk Police Command area", [("Kirkuk Police Command", "ORG")])
    assert typed(doc) == [("Kirkuk Police Command", "Organization")]
