"""Building frames: reading one trigger's arguments, then attaching casualty and seizure clauses.

:func:`fill` reads a trigger frame's anchor verb, date, actors, targets and
places, and rejects it when it is a toll (:mod:`.tolls`), negated, hypothetical,
generic or the object of a non-event verb (``underwent an operation``).
:func:`assign` attaches each casualty clause (``killed 15 ISIS militants``) and
seizure (``seized weapons``) to the frame that governs it; a casualty clause no
frame governs becomes a frame of its own, kept only when someone did it or it
has a count.
"""
from __future__ import annotations

from .actors import actor_of, verb_actors
from .arguments import apply_casualty, date_of, mentions_in, places_under, seized_items, victim_targets, victims_of
from .context import Context, Frame, is_noun, is_reporting, is_verb
from .data import norm
from .tolls import clause_verbs, day_precise, is_aggregate
from .triggers import anchor_of, is_generic, negated_or_irrealis

#: Participles naming who carried out a trigger noun (``an operation conducted by X``).
_CONDUCT_VERBS = ("conducted", "carried", "launched", "led", "executed", "mounted", "backed",
                  "supported", "assisted", "aided", "supervised")
#: ``X claimed responsibility for the attack``: X is the actor.
_RESPONSIBILITY = "responsibility"
_CLAIM_VERBS = ("claimed", "claims", "claim", "claiming")


def fill(ctx: Context, f: Frame) -> bool:
    """Read the frame's arguments; ``False`` when the frame is no real operation."""
    lx, tok = ctx.lx, f.tok
    raw_anchor = None
    if f.source == "noun":
        f.anchor, f.rel = anchor_of(ctx, tok)
        raw_anchor = f.anchor
        if f.anchor is not None and is_reporting(ctx, f.anchor) and f.rel in ("dobj", "nsubj", "nsubjpass", "attr"):
            f.anchor = None
        dets = [c for c in tok.children if c.dep_ in ("det", "poss") and c.lower_ in lx.anaphor_dets]
        f.anaphoric = bool(dets)
    else:
        f.anchor, f.rel = tok, "self"
    f.date = date_of(ctx, f)
    has_date = f.date is not None and f.date.value is not None
    if f.source == "verb":
        trigger, verbs = None, [tok]
    else:
        trigger, verbs = tok, clause_verbs(ctx, f)
    if is_aggregate(ctx, trigger, verbs, day_precise(f.date)):
        return False  # "Israel's offensive has killed over 57,000": a war's toll, not one operation
    if negated_or_irrealis(ctx, tok, f.anchor) or (f.source == "noun" and is_generic(ctx, tok, raw_anchor, has_date, f.anaphoric)):
        return False
    if f.source == "verb" and is_generic(ctx, tok, None, has_date, False):
        return False
    if raw_anchor is not None and raw_anchor.lower_ in lx.non_event and f.rel in ("dobj", "nsubjpass", "prep:into", "prep:on"):
        return False  # "underwent an operation", "resumed operations", "condemned the attacks"
    if f.date is not None and f.date.value is None and f.date.note:
        f.notes.append(f"date: {f.date.note}")
        f.date = None
    anchor = f.anchor if (f.anchor is not None and not is_reporting(ctx, f.anchor)) else None
    _read_actors(ctx, f, anchor)
    if f.source == "verb" and ctx.lx.verbs[tok.lower_].get("requires_force"):
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if not f.actors and not any(c.lower_ in lx.force_heads | lx.militant_nouns | lx.assets or c.tag_ == "PRP" for c in subj):
            return False
    _read_targets_and_places(ctx, f, anchor)
    return True


def _read_actors(ctx: Context, f: Frame, anchor) -> None:
    """Actors of a frame: modifiers and ``by`` phrases of a trigger noun, the subject or agent of its verb,
    and who ``claimed responsibility`` for it."""
    lx, tok = ctx.lx, f.tok
    if f.source == "noun":
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "poss"):
                if c.lower_ in lx.force_heads or ctx.tok_m[c.i] is not None or c.ent_type_ == "NORP" or c.dep_ == "poss":
                    mi = ctx.tok_m[c.i]
                    if mi is not None and ctx.mtype(mi) == "Location" and c.dep_ != "poss" and \
                            lx.demonyms.get(norm(c.text)) != c.text:
                        continue  # "Gaza airstrikes": a place, not an actor
                    f.actors.extend(actor_of(ctx, c, f))
            if c.dep_ == "prep" and c.lower_ == "by" or c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        f.actors.extend(actor_of(ctx, p, f))
            if c.dep_ == "acl" and c.lower_ in _CONDUCT_VERBS:
                for a in c.children:
                    if a.dep_ == "agent":
                        f.actors.extend(x for p in a.children if p.dep_ == "pobj" for x in actor_of(ctx, p, f))
        if anchor is not None and f.rel not in ("nsubj", "csubj"):
            if f.rel == "nsubjpass":
                f.actors.extend(x for c in anchor.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                                for x in actor_of(ctx, p, f))
            elif f.rel != "agent":
                f.actors.extend(verb_actors(ctx, anchor, f))
    else:
        f.actors.extend(verb_actors(ctx, tok, f))
    for a in tok.ancestors:  # "ISIS claimed responsibility for the attack"
        if a.lower_ == _RESPONSIBILITY and a.head.lower_ in _CLAIM_VERBS:
            f.actors.extend(x for c in a.head.children if c.dep_ == "nsubj" for x in actor_of(ctx, c, f))
            break
        if is_verb(a):
            break


def _read_targets_and_places(ctx: Context, f: Frame, anchor) -> None:
    """Targets (objects, ``against X``, the group of the people hit) and places of a frame."""
    lx, tok = ctx.lx, f.tok
    target_roots = []
    if f.source == "verb":
        target_roots += [c for c in tok.children if c.dep_ == "dobj"]
    for h in [tok] + ([anchor] if anchor is not None and f.source == "noun" else []):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in lx.target_preps:
                target_roots += [p for p in c.children if p.dep_ == "pobj"]
    for r in target_roots:
        for mi in mentions_in(ctx, r.subtree, ("Organization",)):
            if mi not in f.actors and mi not in f.targets:
                f.targets.append(mi)
        if r.lower_ in lx.militant_nouns:
            victim_targets(ctx, f, r)
    # places
    f.places.extend(places_under(ctx, tok))
    if anchor is not None and not f.anaphoric:
        f.places.extend(i for i in places_under(ctx, anchor) if i not in f.places)
    if f.source == "verb":
        for r in target_roots:
            f.places.extend(i for i in places_under(ctx, r) if i not in f.places)


def lacks_args(ctx: Context, f: Frame) -> bool:
    """A trigger that needs its own participants (a bare ``strike``) and has none."""
    need = ctx.lx.nouns[f.tok.lower_].get("requires_args") if f.source == "noun" else None
    if not need or f.kind != ctx.lx.nouns[f.tok.lower_]["kind"]:
        return False
    have = {"actors": bool(f.actors), "targets": bool(f.targets), "places": bool(f.places),
            "casualties": any(x is not None for x in (f.killed, f.injured, f.arrested))}
    return not any(have[k] for k in need)


def assign(ctx: Context, frames: list[Frame], casualties: list, seizures: list) -> list[Frame]:
    """Attach casualty and seizure clauses to the frame that governs them; left-over casualty clauses become frames."""
    by_tok = {}
    for f in frames:
        by_tok.setdefault(f.tok.i, f)
        if f.anchor is not None:
            by_tok.setdefault(f.anchor.i, f)
    extra: list[Frame] = []
    for v in casualties:
        if is_aggregate(ctx, None, [v], day_precise(date_of(ctx, Frame(v, None, "casualty", ctx.sent(v), anchor=v)))):
            continue  # a war-level toll: its numbers are recorded nowhere
        target = None
        for a in [v, *v.ancestors]:
            if a.i in by_tok and by_tok[a.i].sent == ctx.sent(v):
                target = by_tok[a.i]
                break
            if is_reporting(ctx, a) and a.i != v.i:
                break
        if target is None:
            if negated_or_irrealis(ctx, v, v) or is_noun(v):
                continue
            target = Frame(v, None, "casualty", ctx.sent(v), anchor=v, rel="self", start=v.idx, end=v.idx + len(v.text))
            target.date = date_of(ctx, target)
            if target.date is not None and target.date.value is None:
                target.date = None
            by_tok[v.i] = target
            extra.append(target)
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ in ctx.lx.place_preps:
                    target.places.extend(i for i in places_under(ctx, v) if i not in target.places)
                    break
        apply_casualty(ctx, target, v)
        if target.source == "casualty" and not (target.actors or target.notes or target.killed is not None
                                                 or target.injured is not None or target.arrested is not None):
            extra.remove(target)  # "commanders … killed in Iraq and Syria": no one did it, no count
            del by_tok[v.i]
            continue
        for x in victims_of(ctx, v):  # "elements who had been hiding out in the Balkana Mountains"
            for c in x.children:
                if c.dep_ in ("relcl", "acl"):
                    for t in c.subtree:
                        if t.dep_ == "prep" and t.lower_ in ctx.lx.place_preps:
                            target.places.extend(i for i in mentions_in(ctx, t.subtree, ("Location",)) if i not in target.places)
    for v in seizures:
        target = None
        for a in [v, *v.ancestors]:
            if a.i in by_tok:
                target = by_tok[a.i]
                break
        if target is None:
            same = [f for f in frames + extra if f.sent == ctx.sent(v)]
            target = min(same, key=lambda f: abs(f.tok.i - v.i)) if same else None
        if target is None and any(c.dep_ == "nsubj" and (c.lower_ in ctx.lx.force_heads or c.tag_ == "PRP" or ctx.mtype(ctx.tok_m[c.i]) == "Organization")
                                  for c in v.children):  # "Troops also seized a cache of weapons."
            target = Frame(v, None, "casualty", ctx.sent(v), anchor=v, rel="self", start=v.idx, end=v.idx + len(v.text))
            target.actors.extend(verb_actors(ctx, v, target))
            extra.append(target)
        if target is not None:
            target.seized.extend(x for x in seized_items(ctx, v) if x not in target.seized)
    return sorted(frames + extra, key=lambda f: f.tok.i)
