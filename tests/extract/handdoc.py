"""Hand-built spaCy Docs for rule tests: no statistical model is loaded.

A sentence is written as its text plus one ``word/TAG/dep/head[/ENT]`` item per
token (``head`` is the absolute token index, the root points at itself; ``ENT``
is an IOB tag like ``B-ORG``). Coarse POS tags are derived from the fine tags.
"""
from __future__ import annotations

from functools import lru_cache

from kg.extract.common import SentenceIndex
from kg.model import Article, Mention

_POS = {"NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "VB": "VERB", "VBD": "VERB", "VBG": "VERB",
        "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "MD": "AUX", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "RB": "ADV",
        "IN": "ADP", "DT": "DET", "CD": "NUM", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WDT": "PRON", "CC": "CCONJ",
        "TO": "PART", "POS": "PART", "RP": "ADP", ",": "PUNCT", ".": "PUNCT", "``": "PUNCT", "''": "PUNCT", "HYPH": "PUNCT",
        "-LRB-": "PUNCT", "-RRB-": "PUNCT", ":": "PUNCT", "_SP": "SPACE", "EX": "PRON", "PDT": "DET", "UH": "INTJ"}
#: NER label → entity type, as the baseline entity rules map them.
TYPES = {"ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location", "PERSON": "Person"}


@lru_cache(maxsize=1)
def vocab():
    import spacy

    return spacy.blank("en").vocab  # English lexical attributes (lower_, like_num …), no statistical model


def hand_doc(text: str, spec: str):
    """Doc of ``text`` with the parse in ``spec`` (one ``word/TAG/dep/head[/ENT]`` per token)."""
    from spacy.tokens import Doc

    items = [x.rsplit("/", 4) if x.count("/") >= 4 and x.split("/")[-1][:2] in ("B-", "I-") else x.rsplit("/", 3) for x in spec.split()]
    words, tags, deps, heads, ents = [], [], [], [], []
    for it in items:
        w, tag, dep, head = it[:4]
        words.append(w.replace("\\s", " "))
        tags.append(tag)
        deps.append(dep)
        heads.append(int(head))
        ents.append(it[4] if len(it) == 5 else "O")
    spaces, pos = [], 0
    for w in words:
        at = text.index(w, pos)
        pos = at + len(w)
        spaces.append(pos < len(text) and text[pos] == " ")
    doc = Doc(vocab(), words=words, spaces=spaces, tags=tags, pos=[_POS.get(t, "X") for t in tags], deps=deps,
              heads=heads, ents=ents)
    assert doc.text.replace(" ", "") == text.replace(" ", ""), doc.text
    return doc


def parts(doc, date: str | None = None):
    """``(mentions, sent_of, article)`` for a hand-built doc, mentions from its entities."""
    sent_of = SentenceIndex([(s.start_char, s.end_char) for s in doc.sents])
    mentions = [Mention(e.text, TYPES[e.label_], e.start_char, e.end_char, sent_of(e.start_char), f"ner:{e.label_}")
                for e in doc.ents if e.label_ in TYPES]
    article = Article(id="t", source_file="t.txt", title="T", text=doc.text, date=date)
    return mentions, sent_of, article
