"""Officials, titles, ranks and descriptors on hand-built Docs (rule components only)."""
from __future__ import annotations

import pytest

from kg.extract.entities import extract_mentions
from kg.extract.officials import extract_roles

from .entity_docs import rule_doc, sent_index


def roles_of(text, ents):
    doc = rule_doc(text, ents)
    sent_of = sent_index(doc)
    ms, roles = extract_roles(doc, extract_mentions(doc, sent_of), sent_of)
    return doc, ms, roles


def summary(text, ents):
    """``[(person, org text or canonical, title, rank)]`` and the people's final types."""
    doc, ms, roles = roles_of(text, ents)
    out = []
    for r in roles:
        org = ms[r.org].canonical or ms[r.org].text if r.org is not None else None
        out.append((ms[r.person].text, org, r.title, r.rank))
    return out, {m.text: (m.type, m.descriptor) for m in ms if m.type in ("Person", "Official")}


def test_title_for_organisation_then_rank_then_name():
    rows, people = summary("Spokesman for the Iraqi Interior Ministry Brigadier General Saad Maan said that 15 militants died.",
                           [("Saad Maan", "PERSON")])
    assert rows == [("Saad Maan", "Iraqi Interior Ministry", "spokesman", "Brigadier General")]
    assert people["Saad Maan"] == ("Official", None)


@pytest.mark.parametrize("rank_text, rank", [
    ("Lt. Gen.", "Lieutenant General"), ("Lt Gen", "Lieutenant General"), ("Lieutenant General", "Lieutenant General"),
    ("Maj. Gen.", "Major General"), ("Maj Gen", "Major General"), ("Brig. Gen.", "Brigadier General"),
    ("Staff Maj. Gen.", "Staff Major General"), ("Col.", "Colonel"), ("police Col.", "Police Colonel"),
])
def test_organisation_title_rank_name_with_and_without_dots(rank_text, rank):
    rows, _ = summary(f"CTS chief {rank_text} Karim al-Tamimi said so.", [("Karim al-Tamimi", "PERSON")])
    assert rows == [("Karim al-Tamimi", "Iraqi Counter-Terrorism Service", "chief", rank)]


def test_ministry_media_director():
    rows, _ = summary("Iraq said it. Ministry of Defense media director Maj. Gen. Tahseen al-Khafaji spoke.",
                      [("Iraq", "GPE"), ("Ministry of Defense", "ORG"), ("Tahseen al-Khafaji", "PERSON")])
    assert rows == [("Tahseen al-Khafaji", "Iraqi Ministry of Defense", "media director", "Major General")]


def test_member_of_committee_in_parliament_with_honorific():
    rows, people = summary(
        "Commenting, member of the Security and Defense Committee in the Iraqi parliament Sheikh Eyad al-Jubouri told reporters.",
        [("Sheikh Eyad al-Jubouri", "PERSON")])
    assert rows == [("Eyad al-Jubouri", "Security and Defense Committee", "member", None)]
    assert people["Eyad al-Jubouri"][0] == "Official"


def test_member_of_lowercase_body_of_named_council():
    rows, _ = summary("For his part, member of the security committee of the Anbar Provincial Council Na'im al-Ka'oud, told us.",
                      [("the Anbar Provincial Council Na'im al-Ka'oud", "ORG")])
    assert rows == [("Na'im al-Ka'oud", "Anbar Provincial Council", "member", None)]


def test_title_implies_its_organisation():
    doc, ms, roles = roles_of("US Defense Secretary James Mattis announced it.", [("US", "GPE"), ("James Mattis", "PERSON")])
    [role] = roles
    org = ms[role.org]
    assert (org.type, org.gid, org.canonical, org.rule) == ("Organization", "org:us-dod", "US Department of Defense",
                                                             "officials:implied-org")
    assert role.title == "Defense Secretary" and ms[role.person].type == "Official"


def test_us_title_defaults_to_the_us_even_in_an_iraqi_article():
    rows, _ = summary("Iraq and Iraq again. Defense Secretary Lloyd Austin called.", [("Iraq", "GPE"), ("Iraq", "GPE"),
                                                                                    ("Lloyd Austin", "PERSON")])
    assert rows == [("Lloyd Austin", "US Department of Defense", "Defense Secretary", None)]


@pytest.mark.parametrize("text, name, title", [
    ("US President Donald Trump has said so.", "Donald Trump", "President"),
    ("talks with Israeli Prime Minister Benjamin Netanyahu ended.", "Benjamin Netanyahu", "Prime Minister"),
])
def test_heads_of_state_and_government_are_officials(text, name, title):
    rows, people = summary(text, [(name, "PERSON")])
    assert rows == [(name, None, title, None)]
    assert people[name] == ("Official", None)


def test_experts_are_people_with_a_descriptor():
    rows, people = summary("Its influence is waning, security expert Sarmed al-Bayati told Al-Fassel.",
                           [("Sarmed al-Bayati", "PERSON")])
    assert rows == []
    assert people["Sarmed al-Bayati"] == ("Person", "security expert")


def test_descriptor_in_apposition():
    rows, people = summary("Fadel Abu Raghif, a security expert, said so.", [("Fadel Abu Raghif", "PERSON")])
    assert rows == [] and people["Fadel Abu Raghif"] == ("Person", "security expert")


def test_title_in_apposition_after_the_name():
    rows, _ = summary("Farhad Shami, a spokesman for the SDF, said the raid ended.", [("Farhad Shami", "PERSON")])
    assert rows == [("Farhad Shami", "Syrian Democratic Forces", "spokesman", None)]


def test_title_of_organisation_then_comma_then_name():
    rows, _ = summary("The spokesman of the Joint Operations Command, Tahsin al-Khafaji, said it.", [("Tahsin al-Khafaji", "PERSON")])
    assert rows == [("Tahsin al-Khafaji", "Joint Operations Command", "spokesman", None)]


def test_leftmost_title_of_a_chain_is_the_persons():
    rows, _ = summary("Spokesman for the Commander-in-Chief of the Armed Forces Major General Yehia Rasool said.",
                      [("Yehia Rasool", "PERSON")])
    assert [r[2:] for r in rows] == [("spokesman", "Major General")]


def test_lowercase_rank_words_are_not_ranks():
    rows, people = summary("In a major operation, general Ahmed Saleh was seen.", [("Ahmed Saleh", "PERSON")])
    assert rows == [] and people["Ahmed Saleh"][0] == "Person"


def test_rank_alone_makes_an_official():
    rows, people = summary("Later, Brigadier General Saad Maan said it.", [("Saad Maan", "PERSON")])
    assert rows == [("Saad Maan", None, None, "Brigadier General")]
    assert people["Saad Maan"][0] == "Official"


def test_people_without_a_post_stay_people():
    rows, people = summary("Maan said that Ahmed Saleh met the ISIS fighters.", [("Maan", "PERSON"), ("Ahmed Saleh", "PERSON")])
    assert rows == [] and {t for t, _ in people.values()} == {"Person"}


def test_role_spans_the_whole_phrase():
    doc, ms, roles = roles_of("CTS chief Lt. Gen. Karim al-Tamimi said.", [("Karim al-Tamimi", "PERSON")])
    [r] = roles
    assert doc.text[r.start:r.end] == "CTS chief Lt. Gen. Karim al-Tamimi"
    assert r.sent == ms[r.person].sent and r.rule == "officials:prefix"


def test_rank_before_and_title_in_apposition_combine():
    rows, _ = summary("Gen. Michael Langley, the head of U.S. Africa Command, told lawmakers.", [("Michael Langley", "PERSON")])
    assert rows == [("Michael Langley", "US Africa Command", "head", "General")]


def test_official_of_organisation_after_the_name():
    rows, _ = summary("Lt. Col. Ali Hamid of the Kirkuk Operations Command told Rudaw.", [("Ali Hamid", "PERSON")])
    assert rows == [("Ali Hamid", "Kirkuk Operations Command", None, "Lieutenant Colonel")]


def test_title_naming_a_national_body_of_a_country():
    rows, _ = summary("Turkish Defence Minister Yasar Guler said.", [("Yasar Guler", "PERSON")])
    assert rows == [("Yasar Guler", "Turkish Defense Ministry", "Defense Minister", None)]
