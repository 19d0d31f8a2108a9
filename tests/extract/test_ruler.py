"""``kg_span_ruler`` finds exactly what spaCy's ``span_ruler`` finds with the same patterns."""
from __future__ import annotations

import random
import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg import gazetteer
from kg.extract.entities import role_lexicon, role_patterns, rule_patterns
from kg.extract.ruler import SpanRules, Splits, _hashes, sequences


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def keys(spans):
    return [(s.start, s.end, s.label_, s.id_) for s in spans]


def both(nlp, patterns):
    """spaCy's span_ruler and ours, with the same patterns."""
    ruler = spacy.blank("en").add_pipe("span_ruler", config={"phrase_matcher_attr": "LOWER", "validate": False})
    ruler.add_patterns(patterns)
    ours = SpanRules(nlp)
    ours.add_patterns(patterns)
    return ruler, ours


def rank_text(seed: int = 7) -> str:
    """Ranks written every way the patterns allow and some they do not: prefixes, dots, hyphens, case."""
    rnd = random.Random(seed)
    lex = role_lexicon()
    parts = []
    for variants in lex["ranks"].values():
        for v in variants:
            for _ in range(3):
                out = [rnd.choice(sorted(lex["rank_prefixes"])).title()] if rnd.random() < .4 else []
                for i, w in enumerate(re.split(r"[\s-]+", v)):
                    if i and rnd.random() < .4:
                        out.append(rnd.choice(["-", "–", " - "]))
                    out.append(rnd.choice([w, w.title(), w.upper()]) + rnd.choice(["", ".", " .", ". ."]))
                parts.append(" ".join(out))
    parts += [w for h in lex["honorifics"] + lex["descriptors"] for w in (h, h.title(), h.upper())]
    return " Ali said . ".join(parts)


def test_role_matches_equal_span_ruler(nlp):
    ruler, ours = both(nlp, role_patterns())
    doc = nlp(rank_text())
    found = keys(ours.match(doc))
    assert len(found) > 500 and found == keys(ruler.match(doc))


def test_role_matches_equal_span_ruler_on_any_tokens(nlp):
    """Token sequences a tokenizer would not make (``general.``) match alike too."""
    rnd = random.Random(3)
    words = []
    for p in role_patterns():
        if not isinstance(p["pattern"], str):
            seqs = sequences(p["pattern"])[1]
            for seq in rnd.sample(seqs, min(6, len(seqs))):
                words += [rnd.choice([w, w.title(), w.upper()]) for w in seq] + ["x"]
    ruler, ours = both(nlp, role_patterns())
    doc = Doc(nlp.vocab, words=words)
    assert keys(ours.match(doc)) == keys(ruler.match(doc))


def test_gazetteer_matches_equal_span_ruler(nlp):
    patterns = gazetteer.load().patterns(lambda t: [x.text for x in nlp.tokenizer(t)]) + rule_patterns()
    acronyms = ["".join(t["ORTH"] for t in p["pattern"]) for p in patterns
                if isinstance(p["pattern"], list) and all("ORTH" in t for t in p["pattern"])]
    text = ("The Security and Defense Committee met in Baghdad and Mosul with the US, the U.S. and ISIS-K. "
            "Wilayat al-Khair wal-Baraka, the Albu Nimr tribe and Mount Qandil near the Atshana mountains. "
            + " , ".join(acronyms + [a.lower() for a in acronyms] + [a.title() for a in acronyms]))
    ruler, ours = both(nlp, patterns)
    doc = nlp(text)
    found = keys(ours.match(doc))
    assert len(found) > len(acronyms) and found == keys(ruler.match(doc))
    assert len(ours.matcher) < 10  # only the regex rules stay token patterns


def test_sequences_of_non_phrase_patterns_are_none():
    assert sequences([{"LOWER": "a", "OP": "+"}]) is None
    assert sequences([{"TEXT": {"REGEX": "^A"}}]) is None
    assert sequences([{"LOWER": "a"}, {"ORTH": "B"}]) is None  # two attributes
    assert sequences([{"LOWER": {"IN": ["a", "b"]}}] * 20) is None  # too many sequences
    assert sequences([{"LOWER": {"IN": ["Gen", "gen"]}}]) == ("LOWER", [("gen",)])  # "Gen" never equals a LOWER


# --------------------------------------------------------------------------------------------
# Phrase patterns given as hashes (no pattern Doc); Splits: the tokenizer's splits, cached

WORDS = ["al", "Al", "AL", "mosul", "Mosul", "dam", "Dam", "-", ".", "isis", "ISIS", "k", "K", "'s", "\n\n", " "]


@settings(max_examples=200, deadline=None)
@given(attr=st.sampled_from(["LOWER", "ORTH"]),
       patterns=st.lists(st.tuples(st.sampled_from(["A", "B", "C"]),
                                   st.lists(st.sampled_from(WORDS), min_size=1, max_size=5)), max_size=25),
       words=st.lists(st.sampled_from(WORDS), max_size=60))
def test_hashed_phrase_patterns_match_like_pattern_docs(nlp, attr, patterns, words):
    """``PhraseMatcher.add`` given the hashes of a sequence (as SpanRules does) finds what it finds given a Doc."""
    hashed, docs = PhraseMatcher(nlp.vocab, attr=attr), PhraseMatcher(nlp.vocab, attr=attr)
    for key, seq in patterns:
        hashed.add(key, [_hashes(nlp.vocab.strings, seq, attr == "LOWER")])
        docs.add(key, [Doc(nlp.vocab, words=seq)])
    doc = Doc(nlp.vocab, words=words)
    assert sorted(hashed(doc)) == sorted(docs(doc))


def test_splits_come_from_the_user_cache(nlp, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    first = Splits(nlp.tokenizer)
    assert first.many(["ISIS-K fighters", "Mosul Dam"]) == [("ISIS", "-", "K", "fighters"), ("Mosul", "Dam")]
    first.save()
    again = Splits(nlp.tokenizer)
    calls = []
    monkeypatch.setattr(again, "tokenizer", lambda t: calls.append(t) or nlp.tokenizer(t))
    assert again("Mosul Dam") == ("Mosul", "Dam") and again("Kirkuk") == ("Kirkuk",) and calls == ["Kirkuk"]
    again.save()
    assert set(Splits(nlp.tokenizer)._stored) == {"Mosul Dam", "Kirkuk"}  # only what was asked for is kept
    other = spacy.blank("en")
    other.tokenizer.add_special_case("Dam", [{"ORTH": "Da"}, {"ORTH": "m"}])
    assert Splits(other.tokenizer).key != again.key  # other rules: another entry


def test_splits_without_a_cache(nlp, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    s = Splits(nlp.tokenizer)
    assert s("U.S.-led") == tuple(t.text for t in nlp.tokenizer("U.S.-led"))
    s.save()  # nothing to write to, no error
