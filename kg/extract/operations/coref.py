"""In-article coreference: frames merge into operations, which are then completed and emitted.

Frames merge when they are in the same sentence and compatible (kinds of one
family, no conflicting date, actors, places or counts), when a definite anaphor
(``the operation``, ``the ambush``) refers back to the nearest compatible
operation a few sentences before, or when nearby frames share an argument.
Counts for a place inside the operation's place are a part of it (``28 killed
in Gaza`` … ``13 of them in Deir al-Balah``) and become notes. An operation
whose trigger clause named no target or place takes them from the rest of its
sentences; a casualty clause alone becomes an operation only when a force or an
armed group did it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...model import OperationMention
from .actors import actor_of
from .arguments import SOURCE_WORDS, mentions_in
from .context import RULE, Context, Frame, enclosing_places, gazetteer_entry, gazetteer_module, is_reporting
from .data import kind_rank, kinds_compatible, norm

#: The casualty counts of an operation.
_CASUALTY_FIELDS = ("killed", "injured", "arrested")
#: The mention-list arguments of an operation.
_ARG_FIELDS = ("actors", "targets", "places")
#: Kinds of an operation known only from a casualty clause: done by an armed group, arrests only, otherwise.
_GROUP_KIND, _ARREST_KIND, _DEFAULT_KIND = "attack", "arrest operation", "security operation"
#: Confidence of an operation with a trigger and an actor, and of any other.
_CONF_TRIGGER_ACTOR, _CONF_OTHER = 0.8, 0.6


@dataclass
class _Cluster:
    """Frames taken for one operation, with their merged arguments."""

    frames: list
    actors: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    places: list = field(default_factory=list)
    date: object = None
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    notes: list = field(default_factory=list)
    seized: list = field(default_factory=list)

    @property
    def last_sent(self) -> int:
        """The last sentence that contributed."""
        return max(f.sent for f in self.frames)

    @property
    def kind(self) -> str | None:
        """The most specific kind of the frames."""
        kinds = [f.kind for f in self.frames if f.kind]
        return min(kinds, key=kind_rank) if kinds else None


def _keys(ctx: Context, idx: list[int]) -> set[str]:
    return {ctx.key(i) for i in idx}


def _related_places(ctx: Context, a: list[int], b: list[int]) -> bool:
    """Whether two place lists share a place, or one contains the other (gazetteer parents, name prefixes)."""
    ka, kb = _keys(ctx, a), _keys(ctx, b)
    if ka & kb:
        return True
    for x in ka:
        for y in kb:
            if x.startswith(y + " ") or y.startswith(x + " "):
                return True
    ga, gb = {_gid(ctx, i) for i in a} - {None}, {_gid(ctx, i) for i in b} - {None}
    pa = {p for i in a for p in _parents(ctx, i)}
    pb = {p for i in b for p in _parents(ctx, i)}
    return bool(ga & gb or ga & pb or gb & pa)


def _within(ctx: Context, i: int, j: int) -> bool:
    """Whether place mention ``i`` is place ``j`` or lies inside it (gazetteer ancestors; ``Gaza`` ~ ``Gaza Strip``)."""
    ki, kj = ctx.key(i), ctx.key(j)
    if ki == kj or ki.startswith(kj + " ") or kj.startswith(ki + " "):
        return True
    gi, gj = _gid(ctx, i), _gid(ctx, j)
    return gj is not None and (gi == gj or gj in _parents(ctx, i))


def _gid(ctx: Context, i: int) -> str | None:
    m = ctx.mentions[i]
    if m.gid:
        return m.gid
    e = gazetteer_entry(m)
    return e.gid if e is not None else None


def _parents(ctx: Context, i: int) -> tuple:
    if i not in ctx.places_cache:
        ctx.places_cache[i] = enclosing_places(ctx.mentions[i])
    return ctx.places_cache[i]


def _compatible(ctx: Context, c: _Cluster, f: Frame) -> tuple[bool, bool]:
    """``(compatible, sub_report)``: whether ``f`` may join ``c``, and whether its numbers describe a part of it."""
    if not kinds_compatible(c.kind, f.kind):
        return False, False
    if c.date is not None and f.date is not None and c.date.value != f.date.value:
        return False, False
    ca, fa = _keys(ctx, c.actors), _keys(ctx, f.actors)
    if ca and fa and not (ca & fa) and not f.anaphoric:  # "the operation, backed by X" adds a co-actor
        return False, False
    sub = False
    if c.places and f.places:
        if _keys(ctx, c.places) >= _keys(ctx, f.places):
            pass
        elif all(any(_within(ctx, i, j) for j in c.places) for i in f.places):
            sub = True  # "28 killed in Gaza" … "13 of them in Deir al-Balah"
        elif not all(any(_within(ctx, j, i) for i in f.places) for j in c.places):
            return False, False  # different places: another operation
    if not sub:
        for fld in _CASUALTY_FIELDS:
            x, y = getattr(c, fld), getattr(f, fld)
            if x is not None and y is not None and x != y:
                return False, False
    return True, sub


def _shares(ctx: Context, c: _Cluster, f: Frame) -> bool:
    if _keys(ctx, c.actors) & _keys(ctx, f.actors) or _keys(ctx, c.targets) & _keys(ctx, f.targets) and (f.actors or f.kind):
        return True
    if c.places and f.places and _related_places(ctx, c.places, f.places):
        return True
    if c.date is not None and f.date is not None:
        return True
    return any(getattr(c, k) is not None and getattr(c, k) == getattr(f, k) for k in _CASUALTY_FIELDS)


def _absorb(ctx: Context, c: _Cluster, f: Frame, sub: bool = False) -> None:
    c.frames.append(f)
    for name in _ARG_FIELDS:
        lst, keys = getattr(c, name), _keys(ctx, getattr(c, name))
        for i in getattr(f, name):
            if ctx.key(i) not in keys and (name != "targets" or ctx.key(i) not in _keys(ctx, c.actors)):
                lst.append(i)
                keys.add(ctx.key(i))
    c.targets[:] = [i for i in c.targets if ctx.key(i) not in _keys(ctx, c.actors)]
    if c.date is None and f.date is not None:
        c.date = f.date
    for fld in _CASUALTY_FIELDS:
        v = getattr(f, fld)
        if v is None:
            continue
        if getattr(c, fld) is None and not sub:
            setattr(c, fld, v)
        elif getattr(c, fld) != v:
            where = f" in {ctx.mentions[f.places[0]].text}" if sub and f.places else ""
            c.notes.append(f"{fld}: {v}{where}")
    c.notes.extend(n for n in f.notes if n not in c.notes)
    c.seized.extend(s for s in f.seized if s not in c.seized)


def cluster_frames(ctx: Context, frames: list[Frame]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    far, near = ctx.lx.ctx["max_anaphor_distance"], ctx.lx.ctx["max_merge_distance"]
    for f in frames:
        best, best_sub = None, False
        for c in reversed(clusters):
            dist = f.sent - c.last_sent
            if dist > max(far, near):
                break
            ok, sub = _compatible(ctx, c, f)
            if not ok:
                continue
            if dist == 0 or (f.anaphoric and dist <= far and kinds_compatible(c.kind, f.kind)) or \
                    (dist <= near and (_shares(ctx, c, f) or not f.has_args() or f.source == "casualty" and not f.actors)):
                best, best_sub = c, sub
                break
        if best is None:
            if f.anaphor_only:
                continue
            best = _Cluster([])
            clusters.append(best)
        _absorb(ctx, best, f, best_sub)
    return clusters


def _sentence_tokens(ctx: Context, sent: int) -> list:
    """Tokens of sentence ``sent`` minus attributions and the reporting clause's own prepositions."""
    s, e = ctx.sent_of.sentences[sent]
    span = ctx.doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return []
    skip = set()
    for t in span:
        if (t.lower_ in SOURCE_WORDS and t.dep_ in ("prep", "advcl")) or \
                (t.dep_ == "prep" and is_reporting(ctx, t.head)):
            skip.update(x.i for x in t.subtree)
    return [t for t in span if t.i not in skip and t.idx >= ctx.dateline_end]


def _widen(ctx: Context, c: _Cluster) -> None:
    """Arguments from the rest of the contributing sentences when the trigger's own clause named none."""
    primary = _primary(c)
    sents = sorted({f.sent for f in c.frames if not f.anaphoric}, key=lambda s: (s != primary.sent, s))
    for n, sent in enumerate(sents):
        toks = _sentence_tokens(ctx, sent)
        if not c.targets:
            for i in mentions_in(ctx, toks, ("Organization",)):
                if ctx.is_group(i) and ctx.key(i) not in _keys(ctx, c.actors):
                    c.targets.append(i)
                    break
        if not c.places:
            for i in mentions_in(ctx, (t for t in toks if t.i not in ctx.actor_toks), ("Location",)):
                if ctx.key(i) not in _keys(ctx, c.places):
                    c.places.append(i)
        if not c.actors and primary.source != "casualty" and n == 0:
            for t in toks:
                if t.dep_ != "nsubj" or is_reporting(ctx, t.head) or t.head.lower_ in ctx.lx.generic_verbs:
                    continue
                for mi in actor_of(ctx, t, primary):
                    if not ctx.is_group(mi) and ctx.key(mi) not in _keys(ctx, c.targets):
                        c.actors.append(mi)
    if not c.targets and c.actors and not any(ctx.is_group(i) for i in c.actors):
        g = _nearby_group(ctx, primary.sent)
        if g is not None:
            c.targets.append(g)


def _nearby_group(ctx: Context, sent: int) -> int | None:
    """The armed group named in the next or previous sentence, else the article's only armed group."""
    groups = [i for i, m in enumerate(ctx.mentions) if ctx.is_group(i)]
    for s in (sent + 1, sent - 1):
        near = [i for i in groups if ctx.mentions[i].sent == s]
        if near:
            return near[0]
    return groups[0] if groups and len({ctx.key(i) for i in groups}) == 1 else None


def _primary(c: _Cluster) -> Frame:
    trig = [f for f in c.frames if f.source != "casualty"]
    fresh = [f for f in trig if not f.anaphoric]
    return (fresh or trig or c.frames)[0]


def _order_places(ctx: Context, places: list[int]) -> list[int]:
    """Most specific first: a place inside another listed place goes before it (gazetteer hierarchy), else text
    order; without a gazetteer, country names go last."""
    def enclosing(i: int) -> int:
        return sum(1 for j in places if j != i and _gid(ctx, j) is not None and _gid(ctx, j) in _parents(ctx, i))

    def country(i: int) -> bool:
        return gazetteer_module() is None and norm(ctx.mentions[i].canonical or ctx.mentions[i].text) in ctx.lx.demonyms
    return sorted(places, key=lambda i: (country(i), -enclosing(i), ctx.mentions[i].start))


def finalize(ctx: Context, c: _Cluster) -> OperationMention | None:
    triggers = [f for f in c.frames if f.source != "casualty"]
    if not triggers:
        if not c.actors or (c.killed is None and c.arrested is None and c.injured is None and not c.targets):
            return None
        if all(ctx.is_group(i) for i in c.actors):
            kind = _GROUP_KIND
        elif c.arrested is not None and c.killed is None and c.injured is None:
            kind = _ARREST_KIND
        else:
            kind = _DEFAULT_KIND
    else:
        kind = c.kind
    _widen(ctx, c)
    if not (c.actors or c.places or c.date or c.killed is not None or c.injured is not None or c.arrested is not None):
        return None  # a target alone ("raided ISIS hideouts in several provinces") is a summary, not one operation
    p = _primary(c)
    date = c.date
    conf = _CONF_TRIGGER_ACTOR if triggers and c.actors else _CONF_OTHER
    return OperationMention(
        kind=kind, trigger=p.tok.text if p.source != "noun" else ctx.doc[min([p.tok.i] + [x.i for x in p.tok.children if x.dep_ == "compound" and x.i < p.tok.i]):p.tok.i + 1].text,
        start=p.start, end=p.end, sent=p.sent,
        actors=tuple(c.actors), targets=tuple(i for i in c.targets if i not in c.actors),
        places=tuple(_order_places(ctx, c.places)),
        date=date.value if date else None, date_type=date.type if date else None,
        killed=c.killed, injured=c.injured, arrested=c.arrested,
        notes=tuple(c.notes), seized=tuple(c.seized),
        sents=tuple(sorted({f.sent for f in c.frames})),
        rule=f"{RULE}:{p.source}" + ("+coref" if len(c.frames) > 1 else ""), confidence=conf,
    )
