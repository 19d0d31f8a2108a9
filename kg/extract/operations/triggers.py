"""Trigger detection and the filters that reject a trigger as no real operation.

One pass over the Doc (a vectorised look-up of every token's lower-case hash
against the lexicon) yields *frames* for trigger nouns (``raid``, ``search
operation``) and trigger verbs (``raided``), plus the casualty tokens
(``killed``, ``deaths``) and seizure tokens (``seized``) that
:mod:`.frames` attaches later. The filters here drop generic
(``regularly announce various operations``), negated, hypothetical
(``ability to execute attacks``) and modifier-excluded (``hunger strike``)
triggers.
"""
from __future__ import annotations

import numpy as np

from .context import Context, Frame, is_noun, is_reporting, is_verb

#: Dependencies by which an event noun is an argument of its verb.
_ARG_OF_VERB = {"dobj", "nsubj", "nsubjpass", "attr", "obj", "oprd", "dative", "npadvmod", "advcl", "xcomp"}
#: Dependencies of the left modifiers that refine or exclude a trigger noun's kind.
_MODIFIER_DEPS = ("compound", "amod", "nmod")
#: Determiners that make a bare ``campaign`` refer back to an operation named before.
_DEFINITE = ("the", "this", "that")
#: Determiners that negate a trigger (``no raid``).
_NEGATING_DETS = ("no",)
#: Subordinators of hypothetical clauses.
_CONDITIONALS = ("if", "unless")
#: Mention types whose words are names, never triggers.
_NAMED_TYPES = ("Organization", "Location", "Person", "Official")
#: Dependencies of trigger verbs used as modifiers (``raided villages``), which are no triggers.
_MODIFIER_VERB_DEPS = ("amod", "compound")
#: Dependencies of casualty words the tagger did not tag as verbs (``killed`` as an adjective).
_CASUALTY_DEPS = ("amod", "acl", "conj", "advcl", "xcomp", "pcomp")
#: How far (in tokens) an event noun's head chain is followed to its verb.
_MAX_ANCHOR_HOPS = 8


def _left_words(doc, tok, n: int = 3) -> str:
    """The ``n`` lower-case words left of ``tok``, hyphenated pieces rejoined (``counter-terrorism``)."""
    return " ".join(t.lower_ for t in doc[max(tok.i - n, 0):tok.i] if not t.is_punct or t.text == "-").replace(" - ", "-")


def _noun_kind(ctx: Context, tok) -> str | None:
    """Kind of a trigger noun, or ``None`` when its modifiers rule it out."""
    entry = ctx.lx.nouns[tok.lower_]
    mods = [c.lower_ for c in tok.children if c.dep_ in _MODIFIER_DEPS and c.i < tok.i]
    left = _left_words(ctx.doc, tok)
    if any(x in entry.get("exclude", ()) for x in mods) or any(left.endswith(x) for x in entry.get("exclude", ())):
        return None
    for mod, kind in sorted(entry.get("modifiers", {}).items(), key=lambda kv: -len(kv[0])):
        if mod in mods or left.endswith(mod) and (len(left) == len(mod) or left[-len(mod) - 1] in " -"):
            return kind
    if entry.get("requires_modifier"):  # "the campaign" may still refer back to a security campaign
        return None
    return entry["kind"]


def _anaphor_only(ctx: Context, tok) -> str | None:
    """Kind of a bare word that is no trigger alone but refers back when definite (``the campaign``)."""
    entry = ctx.lx.nouns[tok.lower_]
    mods = {c.lower_ for c in tok.children if c.dep_ in _MODIFIER_DEPS and c.i < tok.i}
    if mods & set(entry.get("exclude", ())):
        return None
    if entry.get("requires_modifier") and any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children):
        return entry["kind"]
    return None


def anchor_of(ctx: Context, tok) -> tuple[object, str]:
    """The verb an event noun depends on, and the noun's relation to it."""
    n, rel = tok, ""
    for _ in range(_MAX_ANCHOR_HOPS):
        h = n.head
        if h.i == n.i:
            return None, ""
        if n.dep_ in ("pobj", "pcomp") and h.dep_ in ("prep", "agent"):
            rel = ("prep:" + h.lower_) if h.dep_ == "prep" else "agent"
            if is_verb(h.head) and h.head.i != h.i:
                return h.head, rel
            n = h.head
            if n.i == h.i:
                return None, ""
            continue
        if n.dep_ in _ARG_OF_VERB and is_verb(h):
            return h, n.dep_
        if n.dep_ in ("conj", "appos", "compound", "pobj", "prep"):
            n = h
            continue
        return None, ""
    return None, ""


def negated_or_irrealis(ctx: Context, tok, anchor) -> bool:
    """Whether ``tok`` is negated (``no raid``), idiomatic (``under attack``) or hypothetical: under a modal, an
    irrealis governor (``ability to``), a purpose infinitive or a condition, up to the reporting verb."""
    lx = ctx.lx
    if any(c.dep_ == "neg" or c.lower_ in _NEGATING_DETS and c.dep_ == "det" for c in tok.children):
        return True
    if tok.head.lower_ in lx.idioms and tok.dep_ == "pobj":
        return True
    chain = [tok, *tok.ancestors]
    for a in chain:
        if is_reporting(ctx, a) and a.i != tok.i:
            break
        if a.i != tok.i and a.lower_ in lx.irrealis:
            return True
        if is_verb(a):
            for c in a.children:
                if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in lx.modals):
                    return True
                if c.dep_ == "aux" and c.tag_ == "TO" and a.head.lower_ not in lx.aspectual:
                    return True  # purpose or intention: "remnants use to stage attacks"
                if c.dep_ == "mark" and c.lower_ in _CONDITIONALS:
                    return True
    return False


def is_generic(ctx: Context, tok, anchor, has_date: bool, definite: bool) -> bool:
    """Whether a trigger reports no one event: generic adjective (``various operations``), habitual verb or adverb
    (``regularly announce``), or an undated indefinite plural in the simple present."""
    lx = ctx.lx
    if any(c.dep_ in ("amod", "det", "compound") and c.lower_ in lx.generic_adj for c in tok.children):
        return True
    plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_.endswith("s") and not tok.lower_.endswith("ss")
    verbs = [anchor] if anchor is not None else []
    if is_verb(tok):
        verbs.append(tok)
    for v in verbs:
        if v.lower_ in lx.generic_verbs:
            return True
        if any(c.dep_ == "advmod" and c.lower_ in lx.generic_adv for c in v.children):
            return True
        if v.head.lower_ in lx.generic_verbs and v.dep_ in ("xcomp",):
            return True
    if plural and not has_date and not definite and verbs:
        v = verbs[0]
        if v.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in v.children):
            return True
    return False


def find_frames(ctx: Context) -> tuple[list[Frame], list, list]:
    """Trigger frames plus the casualty and seizure tokens (one pass over the Doc)."""
    from spacy.attrs import LOWER  # here: the corpus-level stages import this package without parsing

    lx, frames, casualties, seizures = ctx.lx, [], [], []
    if not len(ctx.doc):
        return frames, casualties, seizures
    hits = np.flatnonzero(np.isin(ctx.doc.to_array(LOWER), lx.hashes))  # Token objects only for candidate words
    for i in hits.tolist():
        tok = ctx.doc[i]
        low = tok.lower_
        mi = ctx.tok_m[tok.i]
        if mi is not None and ctx.mentions[mi].type in _NAMED_TYPES:
            continue
        if low in lx.nouns and is_noun(tok):
            kind = _noun_kind(ctx, tok)
            if kind:
                frames.append(Frame(tok, kind, "noun", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text)))
            elif kind := _anaphor_only(ctx, tok):
                frames.append(Frame(tok, kind, "noun", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text),
                                    anaphor_only=True))
            continue
        if low in lx.verbs and is_verb(tok) and tok.tag_ != "VBG" and tok.dep_ not in _MODIFIER_VERB_DEPS:
            frames.append(Frame(tok, lx.verbs[low]["kind"], "verb", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text)))
            continue
        if low in lx.casualty_verbs and (is_verb(tok) or tok.dep_ in _CASUALTY_DEPS):
            casualties.append(tok)
        elif low in lx.casualty_nouns and is_noun(tok):
            casualties.append(tok)
        if low in lx.seize and (is_verb(tok) or tok.dep_ == "amod"):
            seizures.append(tok)
    return frames, casualties, seizures
