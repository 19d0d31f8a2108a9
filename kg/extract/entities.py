"""Entity mentions: the statistical NER mapped onto the vocabulary's types.

Baseline: ORG → Organization, GPE/LOC/FAC → Location, PERSON → Person
(officials are decided in :mod:`kg.extract.officials`).
"""
from __future__ import annotations

from ..model import Mention

LABEL_MAP = {"ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location", "PERSON": "Person"}


def add_entity_rules(nlp) -> None:
    """Add the rule components to a loaded pipeline (idempotent)."""


def extract_mentions(doc, sent_of) -> list[Mention]:
    out = []
    for ent in doc.ents:
        t = LABEL_MAP.get(ent.label_)
        if t is None:
            continue
        out.append(Mention(ent.text, t, ent.start_char, ent.end_char, sent_of(ent.start_char), f"ner:{ent.label_}", 0.7))
    return out
