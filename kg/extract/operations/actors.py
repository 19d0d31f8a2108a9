"""Actors (``kg:conductedBy``): who carried out an operation.

An actor is the subject (active) or agent (passive) of the verb governing a
trigger, a co-actor attached to it (``assisted by Peshmerga forces``), or an
organisation or nationality modifying the trigger (``coalition airstrike``,
``Israeli airstrikes`` = the Israeli military). Force phrases NER missed
(``Iraqi security forces``) become new Organization mentions. Sources are never
actors: subjects of reporting verbs and ``according to X`` are skipped, and
pronouns or bare ``troops`` point back to the force last named nearby.
"""
from __future__ import annotations

from .context import SUBJ_DEPS, Context, Frame, gazetteer_lookup, is_noun, is_reporting, is_verb
from .data import norm

#: Words that open an attribution (``according to X``): what they govern is a source.
_ATTRIBUTION_WORDS = ("according", "per", "citing", "quoting")
#: Participles attaching a co-actor (``The Iraqi army, assisted by Peshmerga forces``).
_CO_ACTOR_VERBS = ("assisted", "backed", "supported", "aided", "joined", "accompanied", "helped")
#: Possessives by which a reporting organisation speaks of its own forces (``the ministry said its forces …``).
_OWN_POSSESSIVES = ("its", "their", "our")
#: Pronouns that point back to the force last named.
_ACTOR_PRONOUNS = ("they", "it")
#: Heads of a nation's force named by an organisation mention (``Israeli army``).
_NATIONAL_HEADS = ("military", "army", "forces", "troops")
#: Force heads besides the strong ones that a nationality makes a national force (``Israeli forces``).
_NATIONAL_EXTRA_HEADS = {"forces", "troops"}


def _in_source(ctx: Context, tok) -> bool:
    """Whether ``tok`` sits under an attribution (``according to X``, ``per X``)."""
    for a in [tok, *tok.ancestors]:
        if a.lower_ in _ATTRIBUTION_WORDS and a.dep_ in ("prep", "advcl", "mark"):
            return True
        if is_verb(a) and a.dep_ in ("ROOT",):
            break
    return False


def _np_mention(ctx: Context, tok, types=("Organization",)) -> int | None:
    """A mention of one of ``types`` covering ``tok`` or one of its left modifiers."""
    mi = ctx.tok_m[tok.i]
    if mi is not None and ctx.mentions[mi].type in types:
        return mi
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod", "poss"):
            mi = ctx.tok_m[c.i]
            if mi is not None and ctx.mentions[mi].type in types:
                return mi
            for g in c.children:  # "Hamas-led group": Hamas is under "led"
                mi = ctx.tok_m[g.i]
                if g.dep_ in ("npadvmod", "compound") and mi is not None and ctx.mentions[mi].type in types:
                    return mi
    return None


def _force_phrase(ctx: Context, tok) -> int | None:
    """Organization mention for a force phrase (``Federal Police``, ``Iraqi security forces``), added when NER missed it."""
    lx = ctx.lx
    if tok.lower_ not in lx.force_heads or not is_noun(tok):
        return None
    mi = ctx.tok_m[tok.i]
    if mi is not None and ctx.mentions[mi].type == "Organization":
        return mi
    mods = [c for c in tok.children if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
    if tok.dep_ == "compound":  # "international coalition airstrike": the modifiers hang on the trigger
        mods += [c for c in tok.head.children if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod")]
    mods.sort(key=lambda c: c.i)
    first = tok.i
    for c in reversed(mods):  # the contiguous block of modifiers left of the head
        if c.right_edge.i < first - 1 and not all(ctx.doc[k].text in "-–" for k in range(c.right_edge.i + 1, first)):
            break
        first = min(first, c.left_edge.i)
    while first < tok.i and (ctx.doc[first].tag_ in ("DT", "PRP$", "POS", "CD") or ctx.doc[first].is_punct):
        first += 1
    words: list[list] = []  # hyphenated pieces make one word: "counter-terrorism"
    for t in ctx.doc[first:tok.i]:
        if words and not ctx.doc[t.i - 1].whitespace_:
            words[-1].append(t)
        else:
            words.append([t])

    def qualifies(w: list) -> bool:
        text = "".join(t.text for t in w).lower()
        return text in lx.force_mods or any(t.tag_ in ("NNP", "NNPS") or t.ent_type_ in ("NORP", "GPE", "ORG") for t in w)

    while words and not qualifies(words[0]):
        words.pop(0)
    if any(not qualifies(w) for w in words):
        words = words[max(i for i, w in enumerate(words) if not qualifies(w)) + 1:]
    first = words[0][0].i if words else tok.i
    if any(ctx.tok_m[t.i] is not None and ctx.mentions[ctx.tok_m[t.i]].type == "Organization" for t in ctx.doc[first:tok.i]):
        return None  # "Counter-Terrorism Service forces": the organisation is the actor
    specific = bool(words) or (tok.tag_ == "NNP" and tok.lower_ in lx.strong_heads)
    if not specific:
        return None
    span = ctx.doc[first:tok.i + 1]
    text = span.text
    canonical, gid = None, None
    entry = gazetteer_lookup(text)
    if entry is not None and getattr(entry, "type", None) == "Organization":
        canonical, gid = getattr(entry, "canonical", None), getattr(entry, "gid", None)
    elif not any(t.tag_ in ("NNP", "NNPS") or t.ent_type_ in ("NORP", "GPE") for t in span):
        pattern = lx.bare_canonical.get(text.lower())
        if pattern is None or ctx.demonym is None:
            if pattern is not None:
                return None  # "security forces" of no known country: not an entity
        else:
            canonical = pattern.format(demonym=ctx.demonym)
    return ctx.add_mention(span.start_char, span.end_char, "Organization", "force-phrase", 0.6, canonical, gid)


def _national_actor(ctx: Context, tok) -> int | None:
    """``Israeli`` (airstrikes) / ``Israel's`` (offensive) → the nation's military."""
    lx = ctx.lx
    dem = lx.demonyms.get(norm(tok.text))
    if dem is None:
        return None
    canonical = lx.national_forces.format(demonym=dem)
    for i, m in enumerate(ctx.mentions):
        if m.type == "Organization" and (norm(m.canonical or m.text) == canonical.lower()):
            return i
    for i, m in enumerate(ctx.mentions):
        k = norm(m.text)
        if m.type == "Organization" and k.startswith(dem.lower() + " ") and k.split()[-1] in _NATIONAL_HEADS:
            return i
    for t in ctx.doc:  # "The Israeli military said …" named elsewhere in the article
        if t.lower_ in lx.strong_heads | _NATIONAL_EXTRA_HEADS and any(
                c.dep_ in ("amod", "compound") and lx.demonyms.get(norm(c.text)) == dem for c in t.children if c.i < t.i):
            mi = _force_phrase(ctx, t)
            if mi is not None:
                return mi
    return ctx.add_mention(tok.idx, tok.idx + len(tok.text), "Organization", "nationality", 0.5, canonical)


def actor_of(ctx: Context, tok, frame: Frame | None = None) -> list[int]:
    """Mention indices for an actor token (organisation, force phrase, pronoun, conjuncts)."""
    out: list[int] = []
    for t in [tok, *[c for c in tok.conjuncts if c.i > tok.i]]:
        if _in_source(ctx, t):
            continue
        mi = _np_mention(ctx, t)
        if mi is None and t.lower_ in ctx.lx.force_heads:
            mi = _force_phrase(ctx, t)
            if mi is None and frame is not None:
                mi = _reporting_org(ctx, t)  # "the ministry said its forces …"
                if mi is None and not any(c.dep_ == "poss" for c in t.children):
                    mi = _recent_force(ctx, frame.sent, t)
        if mi is None and t.lower_ in ctx.lx.assets:  # "Iraqi F-16 jets", "coalition aircraft"
            for c in sorted(t.children, key=lambda c: c.i):
                if c.i < t.i and c.dep_ in ("amod", "compound", "nmod", "poss"):
                    if c.lower_ in ctx.lx.force_heads:
                        mi = _force_phrase(ctx, c)
                    elif c.ent_type_ in ("NORP", "GPE") or c.dep_ == "poss":
                        mi = _national_actor(ctx, c)
                    if mi is not None:
                        break
        if mi is None and t.lower_ not in ctx.lx.force_heads:  # "US-led coalition aircraft"
            for c in t.children:
                if c.dep_ == "compound" and c.lower_ in ctx.lx.force_heads:
                    mi = _force_phrase(ctx, c)
                    break
        if mi is None and t.tag_ == "PRP" and t.lower_ in _ACTOR_PRONOUNS and frame is not None:
            mi = _recent_force(ctx, frame.sent, t)
        if mi is None and (t.ent_type_ == "NORP" or t.dep_ == "poss"):
            mi = _national_actor(ctx, t)
        if mi is None:
            loc = _np_mention(ctx, t, ("Location",))
            if loc is not None and t.dep_ == "poss":
                mi = _national_actor(ctx, t)
        if mi is not None and ctx.mtype(mi) == "Organization":
            out.append(mi)
            ctx.actor_toks.update(x.i for x in t.subtree if x.dep_ in ("compound", "amod", "poss", "nmod") or x.i == t.i)
        for c in t.children:  # "The Iraqi army, assisted by Peshmerga forces"
            if c.dep_ == "acl" and c.lower_ in _CO_ACTOR_VERBS:
                for a in c.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                out.extend(actor_of(ctx, p, frame))
    return out


def _reporting_org(ctx: Context, tok) -> int | None:
    """The organisation reporting about its own forces (``the ministry said its forces killed …``)."""
    if not any(c.dep_ == "poss" and c.lower_ in _OWN_POSSESSIVES for c in tok.children):
        return None
    for a in tok.ancestors:
        if is_reporting(ctx, a):
            for c in a.children:
                if c.dep_ == "nsubj":
                    mi = _np_mention(ctx, c)
                    if mi is not None and ctx.mtype(mi) == "Organization" and not ctx.is_group(mi):
                        return mi
            return None
    return None


def _recent_force(ctx: Context, sent: int, before) -> int | None:
    """The force last named as a subject in this or the two previous sentences."""
    lo = ctx.sent_of.sentences[max(sent - 2, 0)][0] if ctx.sent_of.sentences else 0
    first = ctx.doc.char_span(lo, lo + 1, alignment_mode="expand")
    best = None
    for t in ctx.doc[first.start if first is not None else 0:before.i]:
        if t.dep_ in ("nsubj", "nsubjpass") and not is_reporting(ctx, t.head):
            mi = _np_mention(ctx, t)
            if mi is None and t.lower_ in ctx.lx.force_heads:
                mi = _force_phrase(ctx, t)
            if mi is not None and ctx.mtype(mi) == "Organization" and not ctx.is_group(mi):
                best = mi
    return best


def verb_actors(ctx: Context, v, frame: Frame) -> list[int]:
    """Subject (active) or agent (passive) of ``v``; inherited from a coordinated or governing verb."""
    out: list[int] = []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
    for c in v.children:
        if c.dep_ == "nsubj" and not passive:
            out.extend(actor_of(ctx, c, frame))
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj" and p.i != frame.tok.i:
                    out.extend(actor_of(ctx, p, frame))
    if not out and not passive and v.dep_ in ("conj", "xcomp", "advcl", "pcomp") and v.head.i != v.i and not is_reporting(ctx, v.head):
        if not any(c.dep_ in SUBJ_DEPS for c in v.children):
            out.extend(verb_actors(ctx, v.head, frame))
    return out
