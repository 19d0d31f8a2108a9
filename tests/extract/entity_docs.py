"""Hand-built Docs run through the project's rule components only (no statistical model).

``rule_doc(text, ents)`` makes a Doc of ``text`` with the entities a model
would have produced (``[("Ninawa", "PERSON"), …]``, matched left to right), then
runs a blank English pipeline with a sentencizer and the components of
:func:`kg.extract.entities.add_entity_rules`.
"""
from __future__ import annotations

from functools import lru_cache

from kg.extract.common import SentenceIndex
from kg.extract.entities import add_entity_rules


@lru_cache(maxsize=1)
def rule_nlp():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_entity_rules(nlp)
    return nlp


def _spans(doc, ents):
    spans, pos = [], 0
    for sub, label in ents:
        at = doc.text.index(sub, pos)
        span = doc.char_span(at, at + len(sub), label=label)
        assert span is not None, f"{sub!r} is not on token boundaries of {doc.text!r}"
        spans.append(span)
        pos = at + len(sub)
    return spans


def run_rules(doc):
    for _, proc in rule_nlp().pipeline:
        doc = proc(doc)
    return doc


def rule_doc(text: str, ents=()):
    """Doc of ``text`` with model entities ``ents`` after the rule components."""
    doc = rule_nlp().make_doc(text)
    doc.ents = _spans(doc, ents)
    return run_rules(doc)


def parsed_doc(words, heads, deps, ents=(), spaces=None, pos=None):
    """Doc with a hand-set dependency parse (``heads`` absolute indices), IOB ``ents`` and optional POS, after the rules."""
    from spacy.tokens import Doc

    spaces = spaces if spaces is not None else [True] * (len(words) - 1) + [False]
    iob = list(ents) or ["O"] * len(words)
    extra = {"pos": pos, "tags": [{"PROPN": "NNP", "VERB": "VBD"}.get(p, "NN") for p in pos]} if pos else {}
    doc = Doc(rule_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, ents=iob,
              sent_starts=[True] + [False] * (len(words) - 1), **extra)
    return run_rules(doc)


def sent_index(doc) -> SentenceIndex:
    return SentenceIndex([(s.start_char, s.end_char) for s in doc.sents])


def ents(doc):
    """``[(text, label, id)]`` of the Doc's entities."""
    return [(e.text, e.label_, e.id_) for e in doc.ents]
