"""Gazetteer data files, lookups and the place hierarchy."""
from __future__ import annotations

import json

import pytest

from kg import gazetteer
from kg.gazetteer import DATA_DIR, compact, fold, get, load, lookup, parents, skeleton


@pytest.fixture(scope="module")
def gaz():
    return load()


# --- the public API ---------------------------------------------------------------------------


def test_load_is_cached(gaz):
    assert load() is gaz


@pytest.mark.parametrize("text, gid, canonical", [
    ("ISIS", "org:isis", "ISIS"), ("ISIL", "org:isis", "ISIS"), ("Daesh", "org:isis", "ISIS"),
    ("Islamic State", "org:isis", "ISIS"), ("IS group", "org:isis", "ISIS"),
    ("Ninawa", "IQ-NI", "Nineveh"), ("Nineveh", "IQ-NI", "Nineveh"),
    ("Salah ad Din", "IQ-SD", "Salah al-Din"), ("Salahuddin", "IQ-SD", "Salah al-Din"),
    ("Sulaymaniyah", "IQ-SU", "Sulaymaniyah"), ("Halab", "SY-HL", "Aleppo"), ("Aleppo province", "SY-HL", "Aleppo"),
    ("Khan Yunis", "PS-KYS", "Khan Younis"), ("Khan Younis", "PS-KYS", "Khan Younis"),
    ("Qara Chokh mountains", "landform:qara-chokh-mountains", "Qara Chokh Mountains"),
    ("Counter-Terrorism Service", "org:iq-cts", "Iraqi Counter-Terrorism Service"),
    ("Centcom", "org:centcom", "US Central Command"), ("Pentagon", "org:us-dod", "US Department of Defense"),
    ("U.S.", "US", "United States"), ("Iraq's Interior Ministry", "org:iq-interior-ministry", "Iraqi Interior Ministry"),
    ("Peshmerga", "org:peshmerga", "Peshmerga"),
])
def test_lookup_aliases(text, gid, canonical):
    e = lookup(text)
    assert (e.gid, e.canonical) == (gid, canonical)


@pytest.mark.parametrize("text, gid", [("Salaheddeine", "IQ-SD"), ("Salahudeen", "IQ-SD"), ("Hawija", None)])
def test_lookup_transliteration_variants(text, gid):
    e = lookup(text)
    if gid:
        assert e.gid == gid
    else:
        assert e is not None and e.type == "Location"


def test_lookup_misses_and_type_filter():
    assert lookup("Zorbax Industries") is None
    assert lookup("ISIS", type="Location") is None
    assert lookup("Kirkuk", type="Location").gid == "IQ-KI"


def test_given_names_are_never_fuzzy_places():
    assert lookup("Ahmed") is None or lookup("Ahmed").gid != "IQ-AN"
    assert load().fuzzy("Hussein") is None


def test_entry_fields_of_a_city_province_and_landform():
    k = get("IQ-KI")
    assert k.type == "Location" and k.kind == "adm1" and k.iso == "IQ-KI" and k.parents == ("IQ",)
    assert "https://sws.geonames.org/94787/" in k.same_as and k.lat and k.lon  # the province carries its city
    assert get("geonames:94787") is k  # the city id redirects to the merged entry
    mosul = lookup("Mosul")
    assert mosul.gid.startswith("geonames:") and mosul.parents == ("IQ-NI",) and mosul.population > 1_000_000
    b = lookup("Balkana Mountains")
    assert b.parents == ("IQ-KI", "IQ-SD") and b.lat and b.source


def test_parents_is_the_transitive_place_hierarchy():
    assert parents("landform:balkana-mountains") == ("IQ-KI", "IQ-SD", "IQ")
    assert parents("IQ-SU") == ("IQ-KR", "IQ")
    assert parents("IQ") == ()
    assert parents("no:such") == ()


def test_specialise_and_demonyms(gaz):
    assert gaz.specialise("interior-ministry", "IQ").gid == "org:iq-interior-ministry"
    assert gaz.specialise("defense-ministry", "US").gid == "org:us-dod"
    assert gaz.specialise("interior-ministry", "ZZ") is None
    assert gaz.demonym("Iraqi") == "IQ" and gaz.demonym("Syrian") == "SY" and gaz.demonym("Table") is None
    assert gaz.country("org:iq-cts") == "IQ" and gaz.country("IQ-NI") == "IQ" and gaz.country("IQ") == "IQ"


def test_capitals_are_marked(gaz):
    assert lookup("Washington").capital_of == "US"
    assert lookup("Baghdad").capital_of == "IQ"
    assert lookup("Mosul").capital_of is None


# --- matching keys ----------------------------------------------------------------------------


def test_fold_compact_skeleton():
    assert fold("Na'im al-Ka'oud") == fold("Naim al Kaoud") == "naim al kaoud"
    assert fold("The Ministry of Defence") == "ministry of defense"
    assert fold("Ḩalab") == "halab"
    assert compact("Salah ad-Din") == "salahdin"
    assert skeleton("Salaheddeine") == skeleton("Salah al-Din") == skeleton("Salahuddin")
    assert skeleton("Khan Younis") == skeleton("Khan Yunis")
    assert skeleton("Hawijah") == skeleton("Hawija")


def test_strong_and_weak_names(gaz):
    assert gaz.is_strong("Kirkuk") and gaz.is_strong("Qara Chokh mountains") and gaz.is_strong("ISIS")
    assert not gaz.is_strong("Hit")  # a town in Anbar, and an English word
    assert not gaz.is_strong("Karim")  # a given name that is also a GeoNames alternate name


def test_person_override_is_reserved_for_significant_places(gaz):
    assert lookup("Ninawa").override_person and lookup("Iraq").override_person
    assert not lookup("Ma'an").override_person  # a Jordanian province, and the surname of Saad Maan


def test_patterns_acronyms_case_sensitive(gaz):
    pats = gaz.patterns()
    us = [p for p in pats if p["id"] == "US" and isinstance(p["pattern"], list)]
    assert {"ORTH": "US"} in [p["pattern"][0] for p in us]
    assert any(str(p["pattern"]).lower() == "qara chokh mountains" for p in pats if p["id"] == "landform:qara-chokh-mountains")
    assert all(p["label"] in ("ORG", "GPE", "LOC") for p in pats)


# --- data files -------------------------------------------------------------------------------


def _jsonl(name):
    return [json.loads(line) for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_curated_entry_has_aliases_and_a_source():
    ids = set()
    for name in ("organizations.jsonl", "landforms.jsonl"):
        for d in _jsonl(name):
            assert d["id"] not in ids, d["id"]
            ids.add(d["id"])
            assert d["name"] and d["source"] and isinstance(d.get("aliases", []), list), d["id"]
    for name in ("subdivisions.jsonl", "countries.jsonl"):
        for d in _jsonl(name):
            assert d["code"] and d["name"] and d["source"]


def test_references_between_entries_resolve(gaz):
    for d in _jsonl("landforms.jsonl"):
        for p in d["parents"]:
            assert gaz.get(p) is not None, (d["id"], p)
    for d in _jsonl("organizations.jsonl"):
        if d.get("parent"):
            assert gaz.get(d["parent"]) is not None, d["id"]
    bodies = {d["generic"] for d in _jsonl("organizations.jsonl") if d.get("generic")}
    for d in _jsonl("organizations.jsonl"):
        if d.get("body") in bodies:
            assert d.get("country"), d["id"]


def test_bad_data_line_names_the_file_and_the_fix(tmp_path, monkeypatch):
    (tmp_path / "organizations.jsonl").write_text('{"id": "org:x", "name": "X"\n', encoding="utf-8")
    monkeypatch.setattr(gazetteer, "DATA_DIR", tmp_path)
    with pytest.raises(gazetteer.GazetteerError, match=r"organizations\.jsonl:1: invalid JSON"):
        list(gazetteer._read_jsonl("organizations.jsonl"))
