"""Arguments besides actors: targets, places, dates, casualty numbers and seized items.

- **targets**: the armed group whose members were hit (``15 ISIS militants``);
  ``militants`` or ``extremists`` without a name mean the armed group last named.
- **places**: locations under place prepositions, leaving out attributions.
- **date**: a date phrase on the trigger or its verb, normalised by
  :mod:`kg.extract.dates` against the article's date.
- **casualties**: the amount of each victim phrase (:mod:`kg.extract.numbers`);
  vague amounts (``dozens``) and hedges (``at least``) become notes.
- **seized** items: the objects of a seizure verb, one text per conjunct.
"""
from __future__ import annotations

from .. import dates as dates_mod
from .. import numbers
from .actors import verb_actors
from .context import Context, Frame, is_noun, is_reporting

#: Words that open an attribution whose subtree is a source, never an argument.
SOURCE_WORDS = ("according", "per", "citing")
#: Prepositions whose object may be the date of an event.
_DATE_PREPS = ("on", "in", "during", "at")
#: Words that are numbers to the number reader but no amount of victims on their own.
_NOT_AMOUNTS = ("a", "an", "one")
_ARTICLES = ("a", "an")
#: Singular group words that count as one person only with a determiner (``the cell``).
_GROUP_WORDS = ("cell", "group", "element", "member")
#: Forms of ``die``: their subject is the victim, never an actor.
_DIE_FORMS = ("die", "died", "dies")
#: Prefix of capture verbs, which seize things as well as people (``captured weapons``).
_CAPTURE_PREFIX = "captur"
#: ``member(s)`` of an unnamed group are the last-named armed group's.
_MEMBER_WORDS = ("members", "member")


def mentions_in(ctx: Context, tokens, types) -> list[int]:
    out: list[int] = []
    for t in tokens:
        mi = ctx.tok_m[t.i]
        if mi is not None and ctx.mentions[mi].type in types and mi not in out:
            out.append(mi)
    return out


def _subtree_excluding(ctx: Context, root, skip) -> list:
    """Tokens of ``root``'s subtree, leaving out subtrees under attributions and reporting clauses."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.i in skip or c.lower_ in SOURCE_WORDS or (is_reporting(ctx, c) and c.i != root.i):
                continue
            stack.append(c)
    return out


def places_under(ctx: Context, tok) -> list[int]:
    out: list[int] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ctx.lx.place_preps:
            out.extend(i for i in mentions_in(ctx, _subtree_excluding(ctx, c, set()), ("Location",)) if i not in out)
    return out


def date_of(ctx: Context, frame: Frame):
    """A date phrase attached to the trigger or its verb (never to a reporting verb)."""
    heads = [frame.tok] + ([frame.anchor] if frame.anchor is not None and not is_reporting(ctx, frame.anchor) else [])
    cands = []
    for h in heads:
        if h.dep_ == "appos" and h.head.i in ctx.tok_date:
            cands.append(ctx.tok_date[h.head.i])
        for c in h.children:
            if c.i in ctx.tok_date and c.dep_ in ("nmod", "compound", "npadvmod", "tmod", "amod", "nummod", "pobj", "appos"):
                cands.append(ctx.tok_date[c.i])
            elif c.dep_ == "prep" and c.lower_ in _DATE_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj" and p.i in ctx.tok_date:
                        cands.append(ctx.tok_date[p.i])
                    elif p.dep_ == "pobj" and p.tag_ == "NNP" and p.idx >= ctx.dateline_end:  # a date the NER missed
                        span = ctx.doc[p.left_edge.i:p.right_edge.i + 1]
                        if len(span) <= 4 and dates_mod.normalize(span.text) is not None:
                            cands.append(span)
            elif c.dep_ in ("npadvmod", "nmod", "compound") and c.tag_ == "NNP":
                text = ctx.doc[c.left_edge.i:c.right_edge.i + 1].text
                n = dates_mod.normalize(text)
                if n is not None and (n.value or n.note):
                    cands.append(ctx.doc[c.left_edge.i:c.right_edge.i + 1])
    for ent in cands:
        n = dates_mod.normalize(ent.text, ctx.ref, ctx.year_hint if ctx.ref is None else None)
        if n is not None:
            return n
    return None


def amount_of(ctx: Context, noun):
    """The amount of a victim noun phrase: its own number word or its ``nummod``."""
    if noun.tag_ == "CD" or numbers.is_number_word(noun.text) and noun.lower_ not in _NOT_AMOUNTS:
        toks = [t for t in ctx.doc[noun.left_edge.i:noun.i + 1] if not t.is_punct]
        return numbers.amount(" ".join(t.text for t in toks))
    for c in noun.children:
        if c.dep_ in ("nummod", "quantmod") or (c.dep_ == "amod" and numbers.is_number_word(c.text) and c.lower_ not in _ARTICLES):
            toks = [t for t in ctx.doc[c.left_edge.i:c.i + 1] if not t.is_punct]
            return numbers.amount(" ".join(t.text for t in toks))
    for c in noun.children:  # "a dozen ISIS guys"
        if c.dep_ == "det" and c.lower_ in _ARTICLES and noun.lower_ in ctx.lx.person_nouns | ctx.lx.militant_nouns:
            return numbers.Amount(1, None, None, c.text)
    if noun.tag_ in ("NN", "NNP") and (noun.lower_ in ctx.lx.militant_nouns | ctx.lx.person_nouns or ctx.mtype(ctx.tok_m[noun.i]) in ("Person", "Official")):
        if noun.lower_ not in _GROUP_WORDS or any(c.dep_ == "det" for c in noun.children):
            return numbers.Amount(1, None, None, noun.text)
    return None


def victims_of(ctx: Context, v) -> list:
    """Who a casualty verb or noun hit."""
    low = v.lower_
    if is_noun(v) and low in ctx.lx.casualty_nouns:  # "the death of 15 members"
        return [p for c in v.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    out = []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
    for c in v.children:
        if (c.dep_ == "dobj" and not passive) or c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and low in _DIE_FORMS):
            out.append(c)
    if not out and v.dep_ in ("acl", "amod", "relcl") and is_noun(v.head):  # "28 people killed", "people who were killed"
        out.append(v.head)
    out = [v.head if (t.tag_ in ("WP", "WDT") and v.dep_ == "relcl") else t for t in out]
    return [t for o in out for t in [o, *[c for c in o.conjuncts if c.i > o.i]]]


def apply_casualty(ctx: Context, frame: Frame, v) -> None:
    lx = ctx.lx
    fld = lx.casualty_verbs.get(v.lower_) or lx.casualty_nouns.get(v.lower_)
    if fld is None:
        return
    victims = victims_of(ctx, v)
    if fld == "arrested" and v.lower_.startswith(_CAPTURE_PREFIX) and victims and not any(
            amount_of(ctx, x) or x.lower_ in lx.militant_nouns | lx.person_nouns for x in victims):
        return  # "captured weapons" is a seizure
    total, vague, texts = None, None, []
    for x in victims:
        amt = amount_of(ctx, x)
        texts.append(ctx.doc[x.left_edge.i:x.right_edge.i + 1].text if x.right_edge.i - x.left_edge.i < 8 else x.text)
        if amt is None:
            continue
        if amt.value is not None:
            total = (total or 0) + amt.value
            if amt.approx:
                frame.notes.append(f"{fld}: {amt.approx} {amt.value}")
        elif amt.vague:
            vague = amt.vague
    for c in v.children:  # "was killed, along with two of his companions"
        if c.lower_ == "along" or (c.dep_ == "prep" and c.lower_ == "with" and v.lower_ in lx.casualty_verbs):
            for p in [g for w in ([c] if c.lower_ == "with" else [w for w in c.children if w.lower_ == "with"]) for g in w.children if g.dep_ == "pobj"]:
                amt = amount_of(ctx, p)
                if amt and amt.value is not None and total is not None:
                    total += amt.value
    if total is not None:
        if getattr(frame, fld) is None:
            setattr(frame, fld, total)
        elif getattr(frame, fld) != total:
            frame.notes.append(f"{fld}: {total}")
    elif vague:
        frame.notes.append(f"{fld}: {vague}")
    frame.victims.extend(victims)
    if fld in ("killed", "arrested", "injured") and not is_noun(v):
        if not frame.actors and v.lower_ not in _DIE_FORMS:
            frame.actors.extend(verb_actors(ctx, v, frame))
    for x in victims:
        victim_targets(ctx, frame, x)


def victim_targets(ctx: Context, frame: Frame, x) -> None:
    """The armed group of the people hit: named in the phrase, or the group last named before."""
    lx = ctx.lx
    named = [i for i in mentions_in(ctx, x.subtree, ("Organization",)) if ctx.is_group(i)]
    if named:
        frame.targets.extend(i for i in named if i not in frame.targets)
        return
    head = x
    if x.tag_ == "CD":
        of = [p for c in x.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        head = of[0] if of else x
    if head.lower_ in lx.militant_nouns or (head.lower_ in _MEMBER_WORDS and not named):
        g = _last_group(ctx, x)
        if g is not None and g not in frame.targets:
            frame.targets.append(g)


def _last_group(ctx: Context, tok) -> int | None:
    best = None
    for i, m in enumerate(ctx.mentions):
        if m.start <= tok.idx and ctx.is_group(i) and (best is None or m.start > ctx.mentions[best].start):
            best = i
    return best


def seized_items(ctx: Context, v) -> list[str]:
    """Objects of a seizure verb (``seized medium arms and explosive belts``), one text per conjunct."""
    items = []
    roots = [v.head] if v.dep_ == "amod" else [c for c in v.children if c.dep_ == "dobj"]  # "seized weapons" mis-tagged JJ
    for root in roots:
        if root.lower_ in ctx.lx.containers:  # "a cache of weapons and suicide vests"
            root = next((p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"), root)
        for o in [root, *(c for c in root.conjuncts if c.i > root.i)]:
            if o.lower_ in ctx.lx.militant_nouns | ctx.lx.person_nouns or o.tag_ == "CD":
                continue
            skip = {d.i for k in o.children if k.dep_ in ("conj", "cc", "punct", "appos", "prep", "relcl", "acl") for d in k.subtree}
            toks = [t for t in o.subtree if t.i not in skip and t.dep_ != "det" and t.i != v.i]
            if toks:
                items.append(ctx.doc[toks[0].i:toks[-1].i + 1].text)
    return items
