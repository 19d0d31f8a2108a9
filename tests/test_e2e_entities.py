"""Entities, officials and resolution of the seed articles, end to end on the real model (loaded once)."""
from __future__ import annotations

import pytest

from .conftest import SEEDS


@pytest.fixture(scope="module")
def kb():
    from kg.ingest import iter_articles
    from kg.pipeline import assemble, map_articles

    return assemble(list(map_articles(iter_articles([str(SEEDS)]))))


@pytest.fixture(scope="module")
def by_label(kb):
    out = {}
    for e in kb.entities:
        out.setdefault(e.label, []).append(e)
    return out


def one(by_label, label):
    [e] = by_label[label]
    return e


def files(kb, e):
    src = {d.article.id: d.article.source_file for d in kb.documents}
    return sorted({src[d] for d in e.docs})


def test_saad_maan_is_one_official_across_both_copies_of_the_story(kb, by_label):
    e = one(by_label, "Saad Maan")
    assert e.type == "Official" and e.titles == ("spokesman",) and e.ranks == ("Brigadier General",)
    assert "Maan" in e.alt_labels
    ministry = one(by_label, "Iraqi Interior Ministry")
    assert e.member_of == (ministry.ref,)
    assert files(kb, e) == ["000_25240327df0f3b13.txt", "001_a24904526fcae996.txt"]
    [m] = [m for m in kb.memberships if m.person == e.ref]
    assert (m.org, m.title, m.rank) == (ministry.ref, "spokesman", "Brigadier General")


def test_ninawa_is_a_location_resolving_to_nineveh(by_label):
    e = one(by_label, "Nineveh")
    assert e.type == "Location" and e.gid == "IQ-NI" and "Ninawa" in e.alt_labels
    assert e.part_of == (one(by_label, "Iraq").ref,)


def test_qara_chokh_mountains_is_a_location(by_label):
    e = one(by_label, "Qara Chokh Mountains")
    assert e.type == "Location" and e.lat and e.lon


def test_misread_places_are_places(by_label):
    for label in ("Sulaymaniyah", "Aleppo", "Salah al-Din", "Khan Younis", "Balkana Mountains", "Kirkuk"):
        assert one(by_label, label).type == "Location", label
    assert {"Salaheddine", "Salaheddeine"} <= set(one(by_label, "Salah al-Din").alt_labels)


@pytest.mark.parametrize("person, title, rank, org", [
    ("James Mattis", "Defense Secretary", None, "US Department of Defense"),
    ("Eyad al-Jubouri", "member", None, "Security and Defense Committee"),
    ("Na'im al-Ka'oud", "member", None, "Anbar Provincial Council"),
    ("Tahseen al-Khafaji", "media director", "Major General", "Iraqi Ministry of Defense"),
    ("Karim al-Tamimi", "chief", "Lieutenant General", "Iraqi Counter-Terrorism Service"),
])
def test_officials_with_title_rank_and_organisation(by_label, person, title, rank, org):
    e = one(by_label, person)
    assert e.type == "Official" and title in e.titles
    assert (rank in e.ranks) if rank else e.ranks == ()
    assert one(by_label, org).ref in e.member_of


def test_heads_of_state_are_officials(by_label):
    assert one(by_label, "Donald Trump").type == "Official"
    assert one(by_label, "Benjamin Netanyahu").titles == ("Prime Minister",)


def test_experts_are_people_with_a_descriptor(by_label):
    for name in ("Sarmed al-Bayati", "Fadel Abu Raghif", "Safaa al-Aasam"):
        e = one(by_label, name)
        assert (e.type, e.descriptor) == ("Person", "security expert"), name


def test_short_forms_and_spellings_merge(by_label):
    assert {"Mattis"} == set(one(by_label, "James Mattis").alt_labels)
    assert {"Naim al-Kaoud", "Ka'oud", "Kaoud"} <= set(one(by_label, "Na'im al-Ka'oud").alt_labels)
    assert "Al-Bayati" in one(by_label, "Sarmed al-Bayati").alt_labels
    assert "Abu Raghif" in one(by_label, "Fadel Abu Raghif").alt_labels


def test_aliases_and_acronyms_merge(by_label):
    isis = one(by_label, "ISIS")
    assert {"Islamic State of Iraq and Syria", "IS group"} <= set(isis.alt_labels)
    assert {"CTS", "Counter-Terrorism Service"} <= set(one(by_label, "Iraqi Counter-Terrorism Service").alt_labels)
    assert "Centcom" in one(by_label, "US Central Command").alt_labels


def test_no_junk_nodes(by_label):
    labels = set(by_label)
    for junk in ("Mattis", "Maan", "Iraqi", "Defense", "Spokesman", "Jubouri", "Washington", "Peshmerga forces"):
        assert junk not in labels, junk
    assert all(len(v) == 1 for v in by_label.values()), [k for k, v in by_label.items() if len(v) > 1]


def test_keys_are_unique_slugs(kb):
    from kg.vocab import slug

    refs = [e.ref for e in kb.entities]
    assert len(refs) == len(set(refs))
    assert all(e.key.startswith(slug(e.label)) for e in kb.entities)
