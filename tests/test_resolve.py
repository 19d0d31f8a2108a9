"""Entity resolution on hand-written records: every merge rule and the must-not-merge cases."""
from __future__ import annotations

import random

import pytest

from kg.model import Article, ArticleRecord, Mention, Role
from kg.resolve import name_key, resolve_entities


def record(aid: str, text: str, spans, roles=()):
    """A record whose mentions are ``(surface, type[, gid, canonical, rule])`` found left to right in ``text``."""
    mentions, pos = [], 0
    for sp in spans:
        surface, type_, *rest = sp
        gid = rest[0] if len(rest) > 0 else None
        canonical = rest[1] if len(rest) > 1 else None
        rule = rest[2] if len(rest) > 2 else "test"
        at = text.index(surface, pos)
        mentions.append(Mention(surface, type_, at, at + len(surface), 0, rule, gid=gid, canonical=canonical))
        pos = at + len(surface)
    art = Article(id=aid, source_file=f"{aid}.txt", title=aid, text=text)
    return ArticleRecord(article=art, sentences=((0, len(text)),), mentions=tuple(mentions), roles=tuple(roles))


def by_label(res):
    return {e.label: e for e in res.entities}


def refs(res, aid):
    return [res.mention_map[(aid, i)] for i in range(len([k for k in res.mention_map if k[0] == aid]))]


# --- merge rules ------------------------------------------------------------------------------


def test_gazetteer_aliases_merge_and_keep_every_surface_form():
    r1 = record("a", "ISIS and ISIL and Daesh.", [("ISIS", "Organization", "org:isis"), ("ISIL", "Organization", "org:isis"),
                                                  ("Daesh", "Organization", "org:isis")])
    r2 = record("b", "The Islamic State and the IS group.", [("Islamic State", "Organization"), ("IS group", "Organization")])
    res = resolve_entities([r1, r2])
    [e] = res.entities
    assert e.label == "ISIS" and e.key == "isis" and e.gid == "org:isis"
    assert set(e.alt_labels) == {"ISIL", "Daesh", "Islamic State", "IS group"}
    assert e.docs == ("a", "b") and len(e.evidence) == 5
    assert set(res.reasons.values()) <= {"self", "gazetteer"}


def test_acronym_defined_in_text_joins_its_long_form_everywhere():
    r1 = record("a", "the Northern Rivers Command (NRC) said. NRC forces moved.",
                [("Northern Rivers Command", "Organization"), ("NRC", "Organization"), ("NRC", "Organization")])
    r2 = record("b", "NRC raided a house.", [("NRC", "Organization")])
    res = resolve_entities([r1, r2])
    [e] = res.entities
    assert e.label == "Northern Rivers Command" and e.alt_labels == ("NRC",)
    assert res.mention_map[("b", 0)] == res.mention_map[("a", 0)]
    assert res.reasons[("a", 1)] == "acronym"


def test_acronym_alone_elsewhere_joins_the_only_long_form_defining_it():
    r1 = record("a", "the Northern Rivers Command (NRC) said.", [("Northern Rivers Command", "Organization")])
    r2 = record("b", "NRC raided a house.", [("NRC", "Organization")])
    res = resolve_entities([r1, r2])
    # the text defines the acronym even where NER did not mark it
    assert len(res.entities) == 1 and res.reasons[("b", 0)] == "acronym"
    r1 = record("a", "the Northern Rivers Command (NRC) said.", [("Northern Rivers Command", "Organization"), ("NRC", "Organization")])
    r3 = record("c", "the Northern Railway Company (NRC) said.", [("Northern Railway Company", "Organization"), ("NRC", "Organization")])
    r4 = record("d", "NRC raided a house.", [("NRC", "Organization")])
    res = resolve_entities([r1, r3, r4])
    # two long forms define NRC: the long forms stay apart and a bare NRC elsewhere joins neither
    refs = {res.mention_map[(a, 0)] for a in "acd"}
    assert len(refs) == 3


def test_acronym_with_lower_case_letters():
    r = record("a", "the US Central Command (Centcom) said. Centcom added.",
               [("US Central Command", "Organization"), ("Centcom", "Organization"), ("Centcom", "Organization")])
    [e] = resolve_entities([r]).entities
    assert e.label == "US Central Command"


def test_parenthesis_that_is_not_an_acronym_is_ignored():
    r = record("a", "the Anbar Provincial Council (Iraq) and Iraq.",
               [("Anbar Provincial Council", "Organization"), ("Iraq", "Location", "IQ")])
    assert len(resolve_entities([r]).entities) == 2


def test_short_forms_of_a_person_named_in_full():
    r = record("a", "US Defense Secretary James Mattis spoke. Mattis said. Al-Bayati and Sarmed al-Bayati met. Abu Raghif "
                    "quoted Fadel Abu Raghif.",
               [("James Mattis", "Official"), ("Mattis", "Person"), ("Al-Bayati", "Person"), ("Sarmed al-Bayati", "Person"),
                ("Abu Raghif", "Person"), ("Fadel Abu Raghif", "Person")])
    res = resolve_entities([r])
    e = by_label(res)
    assert set(e) == {"James Mattis", "Sarmed al-Bayati", "Fadel Abu Raghif"}
    assert e["James Mattis"].type == "Official" and e["James Mattis"].alt_labels == ("Mattis",)
    assert e["Sarmed al-Bayati"].alt_labels == ("Al-Bayati",)
    assert res.reasons[("a", 1)] == "short-form"


def test_short_form_across_a_duplicated_article():
    r1 = record("a", "Spokesman Saad Maan said.", [("Saad Maan", "Official")])
    r2 = record("b", "Maan said it again.", [("Maan", "Person")])
    res = resolve_entities([r1, r2], {"b": ("a", 0.95)})
    assert len(res.entities) == 1 and res.entities[0].label == "Saad Maan"


def test_apostrophes_and_diacritics_are_spelling_variants():
    r1 = record("a", "member Na'im al-Ka'oud said. Ka'oud is a sheikh.", [("Na'im al-Ka'oud", "Official"), ("Ka'oud", "Person")])
    r2 = record("b", "member Naim al-Kaoud said. Kaoud is a sheikh.", [("Naim al-Kaoud", "Official"), ("Kaoud", "Person")])
    r3 = record("c", "Naïm al-Kaoud.", [("Naïm al-Kaoud", "Person")])
    res = resolve_entities([r1, r2, r3])
    [e] = res.entities
    assert e.label == "Na'im al-Ka'oud" and e.key == "naim-al-kaoud" and e.type == "Official"
    assert set(e.alt_labels) == {"Ka'oud", "Naim al-Kaoud", "Kaoud", "Naïm al-Kaoud"}


@pytest.mark.parametrize("variants, label", [
    (["Salaheddine", "Salaheddeine", "Salahuddin", "Salah al-Din"], "Salah al-Din"),
    (["Khan Yunis", "Khan Younis"], "Khan Younis"),
    (["Ninawa", "Nineveh"], "Nineveh"),
])
def test_transliterations_resolve_through_the_gazetteer(variants, label):
    recs = [record(f"d{i}", f"Raids in {v}.", [(v, "Location")]) for i, v in enumerate(variants)]
    [e] = resolve_entities(recs).entities
    assert e.label == label and set(e.alt_labels) == set(variants) - {label}


def test_gazetteer_details_are_filled():
    r = record("a", "Kirkuk and Iraq and the Balkana Mountains.",
               [("Kirkuk", "Location", "IQ-KI"), ("Iraq", "Location", "IQ"), ("Balkana Mountains", "Location")])
    e = by_label(resolve_entities([r]))
    assert e["Kirkuk"].gid == "IQ-KI" and e["Kirkuk"].part_of == ("location/iraq",)
    assert any(s.startswith("https://sws.geonames.org/") for s in e["Kirkuk"].same_as)
    assert e["Kirkuk"].lat and e["Kirkuk"].lon
    assert e["Balkana Mountains"].part_of == ("location/kirkuk", "location/iraq")


def test_memberships_one_per_person_org_title_with_evidence_from_each_document():
    texts = ["Spokesman for the Iraqi Interior Ministry Brigadier General Saad Maan said.",
             "Spokesman for the Iraqi Interior Ministry Brigadier General Saad Maan said again."]
    recs = []
    for aid, t in zip("ab", texts):
        recs.append(record(aid, t, [("Iraqi Interior Ministry", "Organization", "org:iq-interior-ministry"),
                                    ("Saad Maan", "Official")],
                           roles=[Role(person=1, org=0, title="spokesman", rank="Brigadier General", start=0,
                                       end=t.index(" said"), sent=0, rule="officials:prefix")]))
    res = resolve_entities(recs)
    [m] = res.memberships
    assert m.person == "person/saad-maan" and m.org == "organization/iraqi-interior-ministry"
    assert (m.title, m.rank, m.docs) == ("spokesman", "Brigadier General", ("a", "b"))
    assert {ev.doc for ev in m.evidence} == {"a", "b"}
    p = by_label(res)["Saad Maan"]
    assert p.titles == ("spokesman",) and p.ranks == ("Brigadier General",)
    assert p.member_of == ("organization/iraqi-interior-ministry",)


def test_implied_organisation_keeps_its_canonical_label_only():
    r = record("a", "US Defense Secretary James Mattis.",
               [("Defense Secretary", "Organization", "org:us-dod", "US Department of Defense", "officials:implied-org"),
                ("James Mattis", "Official")], roles=[Role(1, 0, "Defense Secretary", None, 0, 33, 0, "officials:prefix")])
    e = by_label(resolve_entities([r]))
    assert e["US Department of Defense"].alt_labels == ()
    assert e["James Mattis"].member_of == ("organization/us-department-of-defense",)


def test_descriptor_is_kept_for_people():
    r = record("a", "security expert Sarmed al-Bayati said.", [("Sarmed al-Bayati", "Person")])
    r = ArticleRecord(r.article, r.sentences, (Mention("Sarmed al-Bayati", "Person", 16, 32, 0, "t", descriptor="security expert"),))
    [e] = resolve_entities([r]).entities
    assert e.descriptor == "security expert" and e.type == "Person"


def test_mention_without_gid_but_with_a_canonical_gazetteer_label():
    r = record("a", "Security forces and Iraqi security forces.",
               [("Security forces", "Organization", None, "Iraqi security forces"),
                ("Iraqi security forces", "Organization", "org:iq-isf")])
    [e] = resolve_entities([r]).entities
    assert e.label == "Iraqi security forces"


def test_kind_vote_for_a_name_typed_both_ways():
    r1 = record("a", "Zorbax said.", [("Zorbax", "Organization")])
    r2 = record("b", "Zorbax said.", [("Zorbax", "Organization")])
    r3 = record("c", "in Zorbax.", [("Zorbax", "Location")])
    res = resolve_entities([r1, r2, r3])
    [e] = res.entities
    assert e.type == "Organization" and res.reasons[("c", 0)] == "kind-vote"


# --- must not merge ---------------------------------------------------------------------------


def test_two_people_sharing_a_surname_in_different_articles_stay_apart():
    r1 = record("a", "MP Eyad al-Jubouri said. Jubouri added.", [("Eyad al-Jubouri", "Official"), ("Jubouri", "Person")])
    r2 = record("b", "Governor Ahmed al-Jubouri said. Jubouri added.", [("Ahmed al-Jubouri", "Official"), ("Jubouri", "Person")])
    r3 = record("c", "Jubouri said nothing.", [("Jubouri", "Person")])
    res = resolve_entities([r1, r2, r3])
    e = by_label(res)
    assert e["Eyad al-Jubouri"].alt_labels == ("Jubouri",) and e["Ahmed al-Jubouri"].alt_labels == ("Jubouri",)
    assert "Jubouri" in e and e["Jubouri"].docs == ("c",)
    assert len({x.key for x in res.entities}) == 3


def test_surname_shared_by_two_people_in_one_article_goes_to_the_nearest_before():
    r = record("a", "Eyad al-Jubouri spoke. Ahmed al-Jubouri answered. Jubouri added.",
               [("Eyad al-Jubouri", "Person"), ("Ahmed al-Jubouri", "Person"), ("Jubouri", "Person")])
    res = resolve_entities([r])
    assert res.mention_map[("a", 2)] == res.mention_map[("a", 1)] != res.mention_map[("a", 0)]


def test_interior_and_defense_ministries_stay_apart():
    r = record("a", "The Iraqi Interior Ministry and the Iraqi Defense Ministry.",
               [("Iraqi Interior Ministry", "Organization", "org:iq-interior-ministry"),
                ("Iraqi Defense Ministry", "Organization", "org:iq-defense-ministry")])
    assert len(resolve_entities([r]).entities) == 2
    r2 = record("b", "The Zorbax Interior Ministry and the Zorbax Defense Ministry.",
                [("Zorbax Interior Ministry", "Organization"), ("Zorbax Defense Ministry", "Organization")])
    assert len(resolve_entities([r2]).entities) == 2


def test_organisations_sharing_a_word_stay_apart():
    r = record("a", "The Anbar Provincial Council and the Anbar Operations Command and Anbar.",
               [("Anbar Provincial Council", "Organization"), ("Anbar Operations Command", "Organization"),
                ("Anbar", "Location", "IQ-AN")])
    assert len(resolve_entities([r]).entities) == 3


# --- keys and determinism ---------------------------------------------------------------------


def test_keys_are_unique_per_path_and_deterministic():
    r1 = record("a", "Ali Hassan spoke.", [("Ali Hassan", "Person")])
    r2 = record("b", "Ali Hassan! spoke.", [("Ali Hassan!", "Person")])
    res = resolve_entities([r1, r2])
    keys = [e.key for e in res.entities]
    assert len(keys) == len(set(keys)) or len(res.entities) == 1
    recs = [record(f"d{i}", f"ISIS and {x} met {y}.", [("ISIS", "Organization", "org:isis"), (x, "Location"), (y, "Person")])
            for i, (x, y) in enumerate([("Kirkuk", "Ali Hassan"), ("Mosul", "Ali Hasan"), ("Kirkuk", "Omar Said")])]
    first = resolve_entities(recs)
    shuffled = recs[:]
    random.Random(3).shuffle(shuffled)
    second = resolve_entities(shuffled)
    assert first.entities == second.entities and first.memberships == second.memberships
    assert dict(first.mention_map) == dict(second.mention_map)
    assert [e.ref for e in first.entities] == sorted(e.ref for e in first.entities)


def test_same_label_different_entities_get_distinct_keys():
    r = record("a", "Ali Hassan met Ali Hassan's son.", [("Ali Hassan", "Person")])
    loc = record("b", "In Hassan town.", [("Hassan", "Person")])
    res = resolve_entities([r, loc])
    assert len({e.ref for e in res.entities}) == len(res.entities)


def test_name_key_folds_spelling():
    assert name_key("Ministry of Defence", "Organization") == name_key("Defense Ministry", "Organization")
    assert name_key("Mohammed Hassan", "Person") == name_key("Mohamed Hasan", "Person")


def test_generic_body_joins_the_specific_one_named_in_the_same_article():
    r = record("a", "The Iraqi Interior Ministry said. Later the Interior Ministry added.",
               [("Iraqi Interior Ministry", "Organization", "org:iq-interior-ministry"),
                ("Interior Ministry", "Organization", "org:generic-interior-ministry")])
    [e] = resolve_entities([r]).entities
    assert e.gid == "org:iq-interior-ministry" and e.alt_labels == ("Interior Ministry",)


def test_spelling_variants_of_places_without_gazetteer_id():
    r1 = record("a", "Fighting in Baghouz.", [("Baghouz", "Location")])
    r2 = record("b", "Fighting in Baghuz.", [("Baghuz", "Location")])
    r3 = record("c", "Fighting in Bagdoz.", [("Bagdoz", "Location")])
    res = resolve_entities([r1, r2, r3])
    assert res.mention_map[("a", 0)] == res.mention_map[("b", 0)] != res.mention_map[("c", 0)]
    assert res.reasons[("b", 0)] == "spelling"


def test_spelling_variants_of_people_merge_only_with_the_same_post():
    def rec(aid, name, org="Joint Operations Command"):
        text = f"spokesman of the {org} {name} said."
        return record(aid, text, [(org, "Organization"), (name, "Official")],
                      roles=[Role(1, 0, "spokesman", None, 0, len(text) - 6, 0, "officials:prefix")])
    res = resolve_entities([rec("a", "Yehia Rasool"), rec("b", "Yahya Rasool"), rec("c", "Yehia Rasoul", "Kirkuk Police Command")])
    assert res.mention_map[("a", 1)] == res.mention_map[("b", 1)] != res.mention_map[("c", 1)]
    plain = [record("d", "Yehia Rasool said.", [("Yehia Rasool", "Person")]), record("e", "Yahya Rasool said.", [("Yahya Rasool", "Person")])]
    assert len(resolve_entities(plain).entities) == 2


def test_kunya_refers_to_its_bearer_from_the_front_of_the_name():
    r = record("a", "leader Abu al-Hussein al-Husseini al-Qurashi died. Abu al-Hussein was killed in Idlib.",
               [("Abu al-Hussein al-Husseini al-Qurashi", "Official"), ("Abu al-Hussein", "Person")])
    [e] = resolve_entities([r]).entities
    assert e.alt_labels == ("Abu al-Hussein",)
