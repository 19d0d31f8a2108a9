"""Security operations: triggers, their arguments, and in-article coreference.

One pass over the Doc finds *frames*: trigger nouns (``raid``, ``airstrike``,
``search operation``), trigger verbs (``raided``, ``ambushed``) and casualty
clauses (``killed 15 ISIS militants``, ``arrested two extremists``). Each frame
reads its arguments from the dependency tree:

- **actors** (``kg:conductedBy``): subject or passive agent of the verb that
  governs the trigger (``The Iraqi army … carried out a search operation``),
  co-actors attached to it (``assisted by Peshmerga forces``), organisations
  or nationalities modifying the trigger (``coalition airstrike``, ``Israeli
  airstrikes``). Subjects of reporting verbs and ``according to X`` are
  sources, never actors. Pronouns and bare ``troops`` point back to the last
  force named nearby.
- **targets**: objects, ``against X``, and the armed group whose members were
  hit (``15 ISIS militants``); ``militants``/``extremists`` without a name mean
  the armed group last named in the article.
- **places**: locations under place prepositions of the trigger or its verb,
  or in a relative clause of the victims; the sentence's other locations when
  nothing attaches (never those of the reporting clause).
- **date**: a date phrase on the trigger or its verb, normalised by
  :mod:`kg.extract.dates` against the article's date.
- **casualties** (:mod:`kg.extract.numbers`) and **seized** items.

Frames that are generic (``regularly announce various operations``), negated
or hypothetical (``ability to execute attacks``) are dropped. Frames then merge
into operations: same sentence when compatible, a definite anaphor (``the
operation``, ``the ambush``) with the nearest compatible operation a few
sentences back, and nearby frames that share an argument. A casualty clause
alone becomes an operation only when a force or armed group did it.

All vocabulary is data: ``kg/data/operations_triggers.json``,
``operations_context.json``, ``operations_forces.json``.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from spacy.attrs import LOWER
from spacy.strings import hash_string

from ..model import Mention, OperationMention
from . import dates as dates_mod
from . import numbers

RULE = "operations"
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z'’. -]{2,40}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:,[^\n()]{0,40})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—:]{1,2}\s")
_NOUN_POS = {"NOUN", "PROPN"}
_VERB_POS = {"VERB", "AUX"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_CLIMB = {"pobj", "pcomp", "prep", "agent", "conj", "appos", "compound", "npadvmod"}
_ARG_OF_VERB = {"dobj", "nsubj", "nsubjpass", "attr", "obj", "oprd", "dative", "npadvmod", "advcl", "xcomp"}


# ---------------------------------------------------------------------------
# Lexicon (data files, loaded once per process)


def _load(name: str) -> dict:
    return json.loads(resources.files("kg").joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class Lexicon:
    nouns: dict
    verbs: dict
    casualty_verbs: dict  #: form → field (killed/injured/arrested)
    casualty_nouns: dict
    seize: frozenset
    containers: frozenset
    rank: dict
    family: dict  #: kind → set of family names
    ctx: dict
    reporting: frozenset
    generic_adv: frozenset
    generic_adj: frozenset
    generic_verbs: frozenset
    modals: frozenset
    irrealis: frozenset
    aspectual: frozenset
    negations: frozenset
    idioms: frozenset
    non_event: frozenset
    place_preps: frozenset
    target_preps: frozenset
    anaphor_dets: frozenset
    force_heads: frozenset
    assets: frozenset
    strong_heads: frozenset
    force_mods: frozenset
    bare_canonical: dict
    national_forces: str
    demonyms: dict
    armed_groups: frozenset
    militant_nouns: frozenset
    person_nouns: frozenset
    hashes: np.ndarray  #: lower-case hashes of every word the token scan looks at


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The operation vocabulary (built once per process)."""
    trig, ctx, forces = _load("operations_triggers.json"), _load("operations_context.json"), _load("operations_forces.json")
    nouns = {f: e for e in trig["nouns"].values() for f in e["forms"]}
    verbs = {f: e for e in trig["verbs"].values() for f in e["forms"]}
    family: dict[str, set] = {}
    for fam, kinds in trig["families"].items():
        for k in kinds:
            family.setdefault(k, set()).add(fam)
    return Lexicon(
        nouns=nouns, verbs=verbs,
        casualty_verbs={f: k for k, fs in trig["casualty_verbs"].items() for f in fs},
        casualty_nouns={f: k for k, fs in trig["casualty_nouns"].items() for f in fs},
        seize=frozenset(trig["seize_verbs"]), containers=frozenset(trig["container_nouns"]), rank=trig["rank"], family=family, ctx=ctx,
        reporting=frozenset(ctx["reporting_verbs"]), generic_adv=frozenset(ctx["generic_adverbs"]),
        generic_adj=frozenset(ctx["generic_adjectives"]), generic_verbs=frozenset(ctx["generic_verbs"]),
        modals=frozenset(ctx["modals"]), irrealis=frozenset(ctx["irrealis_governors"]),
        aspectual=frozenset(ctx["aspectual_verbs"]), negations=frozenset(ctx["negations"]),
        idioms=frozenset(ctx["idioms"]), non_event=frozenset(ctx["non_event_governors"]), place_preps=frozenset(ctx["place_preps"]), target_preps=frozenset(ctx["target_preps"]),
        anaphor_dets=frozenset(ctx["anaphor_determiners"]),
        force_heads=frozenset(forces["heads"]), assets=frozenset(forces["assets"]), strong_heads=frozenset(forces["strong_heads"]),
        force_mods=frozenset(forces["modifiers"]), bare_canonical=forces["bare_canonical"],
        national_forces=forces["national_forces"], demonyms=forces["demonyms"],
        armed_groups=frozenset(forces["armed_groups"]), militant_nouns=frozenset(forces["militant_nouns"]),
        person_nouns=frozenset(forces["person_nouns"]),
        hashes=np.array(sorted({hash_string(w) for w in [*nouns, *verbs, *(f for fs in trig["casualty_verbs"].values() for f in fs),
                                                          *(f for fs in trig["casualty_nouns"].values() for f in fs), *trig["seize_verbs"]]}),
                        dtype=np.uint64),
    )


def kind_rank(kind: str | None) -> int:
    """0 for specific kinds (``raid``), 1 for generic ones (``attack``), 2 for ``operation``; 3 for none."""
    if kind is None:
        return 3
    return lexicon().rank.get(kind, 0)


def kinds_compatible(a: str | None, b: str | None) -> bool:
    """Whether two kinds may describe one operation.

    >>> kinds_compatible("raid", "operation"), kinds_compatible("airstrike", "strike"), kinds_compatible("raid", "airstrike")
    (True, True, False)
    """
    if a is None or b is None or a == b or kind_rank(a) >= 1 or kind_rank(b) >= 1:
        return True
    fam = lexicon().family
    return bool(fam.get(a, set()) & fam.get(b, set()))


def _norm(s: str) -> str:
    s = re.sub(r"\s+", " ", s.lower().replace("’", "'")).strip()
    return re.sub(r"^the ", "", s)


def _gazetteer():
    try:
        from .. import gazetteer  # the place hierarchy and organisation kinds; optional
    except ImportError:
        return None
    return gazetteer


def _gazetteer_lookup(text: str, type_: str | None = None):
    gz = _gazetteer()
    look = getattr(gz, "lookup", None)
    if look is None:
        return None
    try:
        return look(text, type_) if type_ else look(text)
    except (KeyError, ValueError, LookupError):
        return None


def _entry(m: Mention):
    """Gazetteer entry of a mention: by its id, else by its name."""
    gz = _gazetteer()
    if gz is None:
        return None
    if m.gid and hasattr(gz, "get"):
        e = gz.get(m.gid)
        if e is not None:
            return e
    return _gazetteer_lookup(m.canonical or m.text, m.type if m.type in ("Organization", "Location") else None)


def _ancestors(m: Mention) -> tuple[str, ...]:
    """Ids of every place enclosing the mention's place, nearest first (empty without a gazetteer)."""
    e = _entry(m)
    if e is None:
        return ()
    gz = _gazetteer()
    if hasattr(gz, "parents"):
        return tuple(gz.parents(e.gid))
    return tuple(getattr(e, "parents", ()) or ())


# ---------------------------------------------------------------------------
# Per-article context


class _Ctx:
    """Token ↔ mention maps and article-level facts for one Doc."""

    def __init__(self, doc, mentions: list[Mention], sent_of, article):
        self.doc, self.mentions, self.sent_of, self.article, self.lx = doc, mentions, sent_of, article, lexicon()
        self.tok_m: list[int | None] = [None] * len(doc)
        for i, m in enumerate(mentions):
            self._cover(i, m)
        n = len(doc)  # Doc.text and Doc.ents walk every token: read them once, or not at all
        same = n and len(article.text) == doc[n - 1].idx + len(doc[n - 1].text_with_ws)
        self.text = article.text if same else doc.text
        self.ents = tuple(doc.ents)
        m = _DATELINE.match(self.text)
        self.dateline_end = m.end() if m else 0  #: "BAGHDAD, July 5, 2025 (AFP) —": the publication, not the event
        self.tok_date: dict[int, object] = {}
        for ent in self.ents:
            if ent.label_ == "DATE" and ent.start_char >= self.dateline_end:
                for t in range(ent.start, ent.end):
                    self.tok_date[t] = ent
        self.ref = dates_mod.parse_reference(getattr(article, "date", None))
        self._year_hint = None
        self._demonym: str | None | bool = False
        self._places_cache: dict[int, object] = {}
        self.actor_toks: set[int] = set()
        self._group_cache: dict[int, bool] = {}

    def _cover(self, i: int, m: Mention) -> None:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        for t in range(span.start, span.end):
            if self.tok_m[t] is None or len(self.mentions[self.tok_m[t]].text) < len(m.text):
                self.tok_m[t] = i

    def sent(self, tok) -> int:
        return self.sent_of(tok.idx)

    def mention(self, tok) -> int | None:
        return self.tok_m[tok.i]

    def mtype(self, i: int | None) -> str | None:
        return self.mentions[i].type if i is not None else None

    def key(self, i: int) -> str:
        m = self.mentions[i]
        return _norm(m.canonical or m.text)

    def is_group(self, i: int) -> bool:
        m = self.mentions[i]
        if m.type != "Organization":
            return False
        if i in self._group_cache:
            return self._group_cache[i]
        e = _entry(m)
        if e is not None and getattr(e, "kind", None):
            self._group_cache[i] = e.kind in ("armed_group", "wilaya")
            return self._group_cache[i]
        keys = {_norm(m.text), _norm(m.canonical or m.text)}
        self._group_cache[i] = any(k in self.lx.armed_groups or k.split(" ")[0] in self.lx.armed_groups and len(k.split()) <= 3 for k in keys)
        return self._group_cache[i]

    def add_mention(self, start: int, end: int, type_: str, rule: str, confidence: float, canonical: str | None = None,
                    gid: str | None = None) -> int:
        for i, m in enumerate(self.mentions):  # same span added before
            if m.start == start and m.end == end and m.type == type_:
                return i
        m = Mention(self.text[start:end], type_, start, end, self.sent_of(start), f"{RULE}:{rule}", confidence, gid, canonical)
        self.mentions.append(m)
        i = len(self.mentions) - 1
        self._cover(i, m)
        return i

    @property
    def year_hint(self) -> int | None:
        """The year of every full date in the text, when they all agree (used only without a reference date)."""
        if self._year_hint is None:
            years = set()
            for ent in self.ents:
                if ent.label_ == "DATE":
                    n = dates_mod.normalize(ent.text)
                    if n and n.type == "date":
                        years.add(n.value[:4])
            self._year_hint = int(years.pop()) if len(years) == 1 else 0
        return self._year_hint or None

    @property
    def demonym(self) -> str | None:
        """Adjective of the country the article is mostly about (``Iraqi``), when one clearly dominates."""
        if self._demonym is False:
            counts: dict[str, int] = {}
            for m in self.mentions:
                if m.type == "Location":
                    d = self.lx.demonyms.get(_norm(m.canonical or m.text))
                    if d:
                        counts[d] = counts.get(d, 0) + 1
            for ent in self.ents:
                if ent.label_ == "NORP":
                    d = self.lx.demonyms.get(_norm(ent.text))
                    if d:
                        counts[d] = counts.get(d, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ok = ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1])
            self._demonym = ranked[0][0] if ok else None
        return self._demonym or None


# ---------------------------------------------------------------------------
# Frames


@dataclass
class _Frame:
    tok: object  #: the trigger (or casualty) token
    kind: str | None
    source: str  #: noun / verb / casualty
    sent: int
    anchor: object = None
    rel: str = ""  #: the trigger's relation to its anchor verb
    anaphoric: bool = False
    anaphor_only: bool = False  #: may only join an operation named before
    actors: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    places: list = field(default_factory=list)
    date: object = None
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    notes: list = field(default_factory=list)
    seized: list = field(default_factory=list)
    victims: list = field(default_factory=list)
    start: int = 0
    end: int = 0

    def has_args(self) -> bool:
        return bool(self.actors or self.targets or self.places or self.date or self.killed is not None
                    or self.injured is not None or self.arrested is not None)


def _is_noun(tok) -> bool:
    return tok.pos_ in _NOUN_POS or tok.tag_.startswith("NN")


def _is_verb(tok) -> bool:
    return tok.pos_ in _VERB_POS or tok.tag_.startswith("VB")


def _left_words(doc, tok, n: int = 3) -> str:
    return " ".join(t.lower_ for t in doc[max(tok.i - n, 0):tok.i] if not t.is_punct or t.text == "-").replace(" - ", "-")


def _noun_kind(ctx: _Ctx, tok) -> str | None:
    """Kind of a trigger noun, or ``None`` when its modifiers rule it out."""
    entry = ctx.lx.nouns[tok.lower_]
    mods = [c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
    left = _left_words(ctx.doc, tok)
    if any(x in entry.get("exclude", ()) for x in mods) or any(left.endswith(x) for x in entry.get("exclude", ())):
        return None
    for mod, kind in sorted(entry.get("modifiers", {}).items(), key=lambda kv: -len(kv[0])):
        if mod in mods or left.endswith(mod) and (len(left) == len(mod) or left[-len(mod) - 1] in " -"):
            return kind
    if entry.get("requires_modifier"):  # "the campaign" may still refer back to a security campaign
        return None
    return entry["kind"]


def _anaphor_only(ctx: _Ctx, tok) -> str | None:
    """Kind of a bare word that is no trigger alone but refers back when definite (``the campaign``)."""
    entry = ctx.lx.nouns[tok.lower_]
    mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i}
    if mods & set(entry.get("exclude", ())):
        return None
    if entry.get("requires_modifier") and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
        return entry["kind"]
    return None


def _anchor(ctx: _Ctx, tok) -> tuple[object, str]:
    """The verb an event noun depends on, and the noun's relation to it."""
    n, rel = tok, ""
    for _ in range(8):
        h = n.head
        if h.i == n.i:
            return None, ""
        if n.dep_ in ("pobj", "pcomp") and h.dep_ in ("prep", "agent"):
            rel = ("prep:" + h.lower_) if h.dep_ == "prep" else "agent"
            if _is_verb(h.head) and h.head.i != h.i:
                return h.head, rel
            n = h.head
            if n.i == h.i:
                return None, ""
            continue
        if n.dep_ in _ARG_OF_VERB and _is_verb(h):
            return h, n.dep_
        if n.dep_ in ("conj", "appos", "compound", "pobj", "prep"):
            n = h
            continue
        return None, ""
    return None, ""


def _is_reporting(ctx: _Ctx, tok) -> bool:
    return tok is not None and tok.lower_ in ctx.lx.reporting


def _in_source(ctx: _Ctx, tok) -> bool:
    """Whether ``tok`` sits under an attribution (``according to X``, ``per X``)."""
    for a in [tok, *tok.ancestors]:
        if a.lower_ in ("according", "per", "citing", "quoting") and a.dep_ in ("prep", "advcl", "mark"):
            return True
        if _is_verb(a) and a.dep_ in ("ROOT",):
            break
    return False


def _negated_or_irrealis(ctx: _Ctx, tok, anchor) -> bool:
    lx = ctx.lx
    if any(c.dep_ == "neg" or c.lower_ in ("no",) and c.dep_ == "det" for c in tok.children):
        return True
    if tok.head.lower_ in lx.idioms and tok.dep_ == "pobj":
        return True
    chain = [tok, *tok.ancestors]
    for a in chain:
        if _is_reporting(ctx, a) and a.i != tok.i:
            break
        if a.i != tok.i and a.lower_ in lx.irrealis:
            return True
        if _is_verb(a):
            for c in a.children:
                if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in lx.modals):
                    return True
                if c.dep_ == "aux" and c.tag_ == "TO" and a.head.lower_ not in lx.aspectual:
                    return True  # purpose or intention: "remnants use to stage attacks"
                if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                    return True
    return False


def _generic(ctx: _Ctx, tok, anchor, has_date: bool, definite: bool) -> bool:
    lx = ctx.lx
    if any(c.dep_ in ("amod", "det", "compound") and c.lower_ in lx.generic_adj for c in tok.children):
        return True
    plural = tok.tag_ in ("NNS", "NNPS") or tok.lower_.endswith("s") and not tok.lower_.endswith("ss")
    verbs = [anchor] if anchor is not None else []
    if _is_verb(tok):
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


def _find_frames(ctx: _Ctx) -> tuple[list[_Frame], list, list]:
    """Trigger frames plus the casualty and seizure tokens (one pass over the Doc)."""
    lx, frames, casualties, seizures = ctx.lx, [], [], []
    if not len(ctx.doc):
        return frames, casualties, seizures
    hits = np.flatnonzero(np.isin(ctx.doc.to_array(LOWER), lx.hashes))  # Token objects only for candidate words
    for i in hits.tolist():
        tok = ctx.doc[i]
        low = tok.lower_
        mi = ctx.tok_m[tok.i]
        if mi is not None and ctx.mentions[mi].type in ("Organization", "Location", "Person", "Official"):
            continue
        if low in lx.nouns and _is_noun(tok):
            kind = _noun_kind(ctx, tok)
            if kind:
                frames.append(_Frame(tok, kind, "noun", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text)))
            elif kind := _anaphor_only(ctx, tok):
                frames.append(_Frame(tok, kind, "noun", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text),
                                     anaphor_only=True))
            continue
        if low in lx.verbs and _is_verb(tok) and tok.tag_ != "VBG" and tok.dep_ not in ("amod", "compound"):
            frames.append(_Frame(tok, lx.verbs[low]["kind"], "verb", ctx.sent(tok), start=tok.idx, end=tok.idx + len(tok.text)))
            continue
        if low in lx.casualty_verbs and (_is_verb(tok) or tok.dep_ in ("amod", "acl", "conj", "advcl", "xcomp", "pcomp")):
            casualties.append(tok)
        elif low in lx.casualty_nouns and _is_noun(tok):
            casualties.append(tok)
        if low in lx.seize and (_is_verb(tok) or tok.dep_ == "amod"):
            seizures.append(tok)
    return frames, casualties, seizures


# ---------------------------------------------------------------------------
# Argument readers


def _np_mention(ctx: _Ctx, tok, types=("Organization",)) -> int | None:
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


def _force_phrase(ctx: _Ctx, tok) -> int | None:
    """Organization mention for a force phrase (``Federal Police``, ``Iraqi security forces``), added when NER missed it."""
    lx = ctx.lx
    if tok.lower_ not in lx.force_heads or not _is_noun(tok):
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
    entry = _gazetteer_lookup(text)
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


def _national_actor(ctx: _Ctx, tok) -> int | None:
    """``Israeli`` (airstrikes) / ``Israel's`` (offensive) → the nation's military."""
    lx = ctx.lx
    dem = lx.demonyms.get(_norm(tok.text))
    if dem is None:
        return None
    canonical = lx.national_forces.format(demonym=dem)
    for i, m in enumerate(ctx.mentions):
        if m.type == "Organization" and (_norm(m.canonical or m.text) == canonical.lower()):
            return i
    for i, m in enumerate(ctx.mentions):
        k = _norm(m.text)
        if m.type == "Organization" and k.startswith(dem.lower() + " ") and k.split()[-1] in ("military", "army", "forces", "troops"):
            return i
    for t in ctx.doc:  # "The Israeli military said …" named elsewhere in the article
        if t.lower_ in lx.strong_heads | {"forces", "troops"} and any(
                c.dep_ in ("amod", "compound") and lx.demonyms.get(_norm(c.text)) == dem for c in t.children if c.i < t.i):
            mi = _force_phrase(ctx, t)
            if mi is not None:
                return mi
    return ctx.add_mention(tok.idx, tok.idx + len(tok.text), "Organization", "nationality", 0.5, canonical)


def _actor_of(ctx: _Ctx, tok, frame: _Frame | None = None) -> list[int]:
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
        if mi is None and t.tag_ == "PRP" and t.lower_ in ("they", "it") and frame is not None:
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
            if c.dep_ == "acl" and c.lower_ in ("assisted", "backed", "supported", "aided", "joined", "accompanied", "helped"):
                for a in c.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                out.extend(_actor_of(ctx, p, frame))
    return out


def _reporting_org(ctx: _Ctx, tok) -> int | None:
    """The organisation reporting about its own forces (``the ministry said its forces killed …``)."""
    if not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in tok.children):
        return None
    for a in tok.ancestors:
        if _is_reporting(ctx, a):
            for c in a.children:
                if c.dep_ == "nsubj":
                    mi = _np_mention(ctx, c)
                    if mi is not None and ctx.mtype(mi) == "Organization" and not ctx.is_group(mi):
                        return mi
            return None
    return None


def _recent_force(ctx: _Ctx, sent: int, before) -> int | None:
    """The force last named as a subject in this or the two previous sentences."""
    lo = ctx.sent_of.sentences[max(sent - 2, 0)][0] if ctx.sent_of.sentences else 0
    first = ctx.doc.char_span(lo, lo + 1, alignment_mode="expand")
    best = None
    for t in ctx.doc[first.start if first is not None else 0:before.i]:
        if t.dep_ in ("nsubj", "nsubjpass") and not _is_reporting(ctx, t.head):
            mi = _np_mention(ctx, t)
            if mi is None and t.lower_ in ctx.lx.force_heads:
                mi = _force_phrase(ctx, t)
            if mi is not None and ctx.mtype(mi) == "Organization" and not ctx.is_group(mi):
                best = mi
    return best


def _verb_actors(ctx: _Ctx, v, frame: _Frame) -> list[int]:
    """Subject (active) or agent (passive) of ``v``; inherited from a coordinated or governing verb."""
    out: list[int] = []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
    for c in v.children:
        if c.dep_ == "nsubj" and not passive:
            out.extend(_actor_of(ctx, c, frame))
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj" and p.i != frame.tok.i:
                    out.extend(_actor_of(ctx, p, frame))
    if not out and not passive and v.dep_ in ("conj", "xcomp", "advcl", "pcomp") and v.head.i != v.i and not _is_reporting(ctx, v.head):
        if not any(c.dep_ in _SUBJ for c in v.children):
            out.extend(_verb_actors(ctx, v.head, frame))
    return out


def _mentions_in(ctx: _Ctx, tokens, types) -> list[int]:
    out: list[int] = []
    for t in tokens:
        mi = ctx.tok_m[t.i]
        if mi is not None and ctx.mentions[mi].type in types and mi not in out:
            out.append(mi)
    return out


def _subtree_excluding(ctx: _Ctx, root, skip) -> list:
    """Tokens of ``root``'s subtree, leaving out subtrees under attributions and reporting clauses."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.i in skip or c.lower_ in ("according", "per", "citing") or (_is_reporting(ctx, c) and c.i != root.i):
                continue
            stack.append(c)
    return out


def _places_under(ctx: _Ctx, tok) -> list[int]:
    out: list[int] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ctx.lx.place_preps:
            out.extend(i for i in _mentions_in(ctx, _subtree_excluding(ctx, c, set()), ("Location",)) if i not in out)
    return out


def _date_of(ctx: _Ctx, frame: _Frame):
    """A date phrase attached to the trigger or its verb (never to a reporting verb)."""
    heads = [frame.tok] + ([frame.anchor] if frame.anchor is not None and not _is_reporting(ctx, frame.anchor) else [])
    cands = []
    for h in heads:
        if h.dep_ == "appos" and h.head.i in ctx.tok_date:
            cands.append(ctx.tok_date[h.head.i])
        for c in h.children:
            if c.i in ctx.tok_date and c.dep_ in ("nmod", "compound", "npadvmod", "tmod", "amod", "nummod", "pobj", "appos"):
                cands.append(ctx.tok_date[c.i])
            elif c.dep_ == "prep" and c.lower_ in ("on", "in", "during", "at"):
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


def _amount_of(ctx: _Ctx, noun):
    """The amount of a victim noun phrase: its own number word or its ``nummod``."""
    if noun.tag_ == "CD" or numbers.is_number_word(noun.text) and noun.lower_ not in ("a", "an", "one"):
        toks = [t for t in ctx.doc[noun.left_edge.i:noun.i + 1] if not t.is_punct]
        return numbers.amount(" ".join(t.text for t in toks))
    for c in noun.children:
        if c.dep_ in ("nummod", "quantmod") or (c.dep_ == "amod" and numbers.is_number_word(c.text) and c.lower_ not in ("a", "an")):
            toks = [t for t in ctx.doc[c.left_edge.i:c.i + 1] if not t.is_punct]
            return numbers.amount(" ".join(t.text for t in toks))
    for c in noun.children:  # "a dozen ISIS guys"
        if c.dep_ == "det" and c.lower_ in ("a", "an") and noun.lower_ in ctx.lx.person_nouns | ctx.lx.militant_nouns:
            return numbers.Amount(1, None, None, c.text)
    if noun.tag_ in ("NN", "NNP") and (noun.lower_ in ctx.lx.militant_nouns | ctx.lx.person_nouns or ctx.mtype(ctx.tok_m[noun.i]) in ("Person", "Official")):
        if noun.lower_ not in ("cell", "group", "element", "member") or any(c.dep_ == "det" for c in noun.children):
            return numbers.Amount(1, None, None, noun.text)
    return None


def _victims(ctx: _Ctx, v) -> list:
    """Who a casualty verb or noun hit."""
    low = v.lower_
    if _is_noun(v) and low in ctx.lx.casualty_nouns:  # "the death of 15 members"
        return [p for c in v.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    out = []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
    for c in v.children:
        if (c.dep_ == "dobj" and not passive) or c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and low in ("die", "died", "dies")):
            out.append(c)
    if not out and v.dep_ in ("acl", "amod", "relcl") and _is_noun(v.head):  # "28 people killed", "people who were killed"
        out.append(v.head)
    out = [v.head if (t.tag_ in ("WP", "WDT") and v.dep_ == "relcl") else t for t in out]
    return [t for o in out for t in [o, *[c for c in o.conjuncts if c.i > o.i]]]


def _apply_casualty(ctx: _Ctx, frame: _Frame, v) -> None:
    lx = ctx.lx
    fld = lx.casualty_verbs.get(v.lower_) or lx.casualty_nouns.get(v.lower_)
    if fld is None:
        return
    victims = _victims(ctx, v)
    if fld == "arrested" and v.lower_.startswith("captur") and victims and not any(
            _amount_of(ctx, x) or x.lower_ in lx.militant_nouns | lx.person_nouns for x in victims):
        return  # "captured weapons" is a seizure
    total, vague, texts = None, None, []
    for x in victims:
        amt = _amount_of(ctx, x)
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
                amt = _amount_of(ctx, p)
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
    if fld in ("killed", "arrested", "injured") and not _is_noun(v):
        if not frame.actors and v.lower_ not in ("die", "died", "dies"):
            frame.actors.extend(_verb_actors(ctx, v, frame))
    for x in victims:
        _victim_targets(ctx, frame, x)


def _victim_targets(ctx: _Ctx, frame: _Frame, x) -> None:
    """The armed group of the people hit: named in the phrase, or the group last named before."""
    lx = ctx.lx
    named = [i for i in _mentions_in(ctx, x.subtree, ("Organization",)) if ctx.is_group(i)]
    if named:
        frame.targets.extend(i for i in named if i not in frame.targets)
        return
    head = x
    if x.tag_ == "CD":
        of = [p for c in x.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        head = of[0] if of else x
    if head.lower_ in lx.militant_nouns or (head.lower_ in ("members", "member") and not named):
        g = _last_group(ctx, x)
        if g is not None and g not in frame.targets:
            frame.targets.append(g)


def _last_group(ctx: _Ctx, tok) -> int | None:
    best = None
    for i, m in enumerate(ctx.mentions):
        if m.start <= tok.idx and ctx.is_group(i) and (best is None or m.start > ctx.mentions[best].start):
            best = i
    return best


def _seized_items(ctx: _Ctx, v) -> list[str]:
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


# ---------------------------------------------------------------------------
# Building one frame


def _fill(ctx: _Ctx, f: _Frame) -> bool:
    """Read the frame's arguments; ``False`` when the frame is no real operation."""
    lx, tok = ctx.lx, f.tok
    raw_anchor = None
    if f.source == "noun":
        f.anchor, f.rel = _anchor(ctx, tok)
        raw_anchor = f.anchor
        if f.anchor is not None and _is_reporting(ctx, f.anchor) and f.rel in ("dobj", "nsubj", "nsubjpass", "attr"):
            f.anchor = None
        dets = [c for c in tok.children if c.dep_ in ("det", "poss") and c.lower_ in lx.anaphor_dets]
        f.anaphoric = bool(dets)
    else:
        f.anchor, f.rel = tok, "self"
    f.date = _date_of(ctx, f)
    has_date = f.date is not None and f.date.value is not None
    if _negated_or_irrealis(ctx, tok, f.anchor) or (f.source == "noun" and _generic(ctx, tok, raw_anchor, has_date, f.anaphoric)):
        return False
    if f.source == "verb" and _generic(ctx, tok, None, has_date, False):
        return False
    if raw_anchor is not None and raw_anchor.lower_ in lx.non_event and f.rel in ("dobj", "nsubjpass", "prep:into", "prep:on"):
        return False  # "underwent an operation", "resumed operations", "condemned the attacks"
    if f.date is not None and f.date.value is None and f.date.note:
        f.notes.append(f"date: {f.date.note}")
        f.date = None
    anchor = f.anchor if (f.anchor is not None and not _is_reporting(ctx, f.anchor)) else None
    # actors
    if f.source == "noun":
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("compound", "amod", "nmod", "poss"):
                if c.lower_ in lx.force_heads or ctx.tok_m[c.i] is not None or c.ent_type_ == "NORP" or c.dep_ == "poss":
                    mi = ctx.tok_m[c.i]
                    if mi is not None and ctx.mtype(mi) == "Location" and c.dep_ != "poss" and \
                            lx.demonyms.get(_norm(c.text)) != c.text:
                        continue  # "Gaza airstrikes": a place, not an actor
                    f.actors.extend(_actor_of(ctx, c, f))
            if c.dep_ == "prep" and c.lower_ == "by" or c.dep_ == "agent":
                for p in c.children:
                    if p.dep_ == "pobj":
                        f.actors.extend(_actor_of(ctx, p, f))
            if c.dep_ == "acl" and c.lower_ in ("conducted", "carried", "launched", "led", "executed", "mounted", "backed",
                                                "supported", "assisted", "aided", "supervised"):
                for a in c.children:
                    if a.dep_ == "agent":
                        f.actors.extend(x for p in a.children if p.dep_ == "pobj" for x in _actor_of(ctx, p, f))
        if anchor is not None and f.rel not in ("nsubj", "csubj"):
            if f.rel == "nsubjpass":
                f.actors.extend(x for c in anchor.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                                for x in _actor_of(ctx, p, f))
            elif f.rel != "agent":
                f.actors.extend(_verb_actors(ctx, anchor, f))
    else:
        f.actors.extend(_verb_actors(ctx, tok, f))
    for a in tok.ancestors:  # "ISIS claimed responsibility for the attack"
        if a.lower_ == "responsibility" and a.head.lower_ in ("claimed", "claims", "claim", "claiming"):
            f.actors.extend(x for c in a.head.children if c.dep_ == "nsubj" for x in _actor_of(ctx, c, f))
            break
        if _is_verb(a):
            break
    if f.source == "verb" and ctx.lx.verbs[tok.lower_].get("requires_force"):
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if not f.actors and not any(c.lower_ in lx.force_heads | lx.militant_nouns | lx.assets or c.tag_ == "PRP" for c in subj):
            return False
    # targets
    target_roots = []
    if f.source == "verb":
        target_roots += [c for c in tok.children if c.dep_ == "dobj"]
    for h in [tok] + ([anchor] if anchor is not None and f.source == "noun" else []):
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in lx.target_preps:
                target_roots += [p for p in c.children if p.dep_ == "pobj"]
    for r in target_roots:
        for mi in _mentions_in(ctx, r.subtree, ("Organization",)):
            if mi not in f.actors and mi not in f.targets:
                f.targets.append(mi)
        if r.lower_ in lx.militant_nouns:
            _victim_targets(ctx, f, r)
    # places
    f.places.extend(_places_under(ctx, tok))
    if anchor is not None and not f.anaphoric:
        f.places.extend(i for i in _places_under(ctx, anchor) if i not in f.places)
    if f.source == "verb":
        for r in target_roots:
            f.places.extend(i for i in _places_under(ctx, r) if i not in f.places)
    return True


def _lacks_args(ctx: _Ctx, f: _Frame) -> bool:
    """A trigger that needs its own participants (a bare ``strike``) and has none."""
    need = ctx.lx.nouns[f.tok.lower_].get("requires_args") if f.source == "noun" else None
    if not need or f.kind != ctx.lx.nouns[f.tok.lower_]["kind"]:
        return False
    have = {"actors": bool(f.actors), "targets": bool(f.targets), "places": bool(f.places),
            "casualties": any(x is not None for x in (f.killed, f.injured, f.arrested))}
    return not any(have[k] for k in need)


def _assign(ctx: _Ctx, frames: list[_Frame], casualties: list, seizures: list) -> list[_Frame]:
    """Attach casualty and seizure clauses to the frame that governs them; left-over casualty clauses become frames."""
    by_tok = {}
    for f in frames:
        by_tok.setdefault(f.tok.i, f)
        if f.anchor is not None:
            by_tok.setdefault(f.anchor.i, f)
    extra: list[_Frame] = []
    for v in casualties:
        target = None
        for a in [v, *v.ancestors]:
            if a.i in by_tok and by_tok[a.i].sent == ctx.sent(v):
                target = by_tok[a.i]
                break
            if _is_reporting(ctx, a) and a.i != v.i:
                break
        if target is None:
            if _negated_or_irrealis(ctx, v, v) or _is_noun(v):
                continue
            target = _Frame(v, None, "casualty", ctx.sent(v), anchor=v, rel="self", start=v.idx, end=v.idx + len(v.text))
            target.date = _date_of(ctx, target)
            if target.date is not None and target.date.value is None:
                target.date = None
            by_tok[v.i] = target
            extra.append(target)
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ in ctx.lx.place_preps:
                    target.places.extend(i for i in _places_under(ctx, v) if i not in target.places)
                    break
        _apply_casualty(ctx, target, v)
        if target.source == "casualty" and not (target.actors or target.notes or target.killed is not None
                                                 or target.injured is not None or target.arrested is not None):
            extra.remove(target)  # "commanders … killed in Iraq and Syria": no one did it, no count
            del by_tok[v.i]
            continue
        for x in _victims(ctx, v):  # "elements who had been hiding out in the Balkana Mountains"
            for c in x.children:
                if c.dep_ in ("relcl", "acl"):
                    for t in c.subtree:
                        if t.dep_ == "prep" and t.lower_ in ctx.lx.place_preps:
                            target.places.extend(i for i in _mentions_in(ctx, t.subtree, ("Location",)) if i not in target.places)
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
            target = _Frame(v, None, "casualty", ctx.sent(v), anchor=v, rel="self", start=v.idx, end=v.idx + len(v.text))
            target.actors.extend(_verb_actors(ctx, v, target))
            extra.append(target)
        if target is not None:
            target.seized.extend(x for x in _seized_items(ctx, v) if x not in target.seized)
    return sorted(frames + extra, key=lambda f: f.tok.i)


# ---------------------------------------------------------------------------
# Coreference: frames → operations


@dataclass
class _Cluster:
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
        return max(f.sent for f in self.frames)

    @property
    def kind(self) -> str | None:
        kinds = [f.kind for f in self.frames if f.kind]
        return min(kinds, key=kind_rank) if kinds else None


def _keys(ctx: _Ctx, idx: list[int]) -> set[str]:
    return {ctx.key(i) for i in idx}


def _related_places(ctx: _Ctx, a: list[int], b: list[int]) -> bool:
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


def _within(ctx: _Ctx, i: int, j: int) -> bool:
    """Whether place mention ``i`` is place ``j`` or lies inside it (gazetteer ancestors; ``Gaza`` ~ ``Gaza Strip``)."""
    ki, kj = ctx.key(i), ctx.key(j)
    if ki == kj or ki.startswith(kj + " ") or kj.startswith(ki + " "):
        return True
    gi, gj = _gid(ctx, i), _gid(ctx, j)
    return gj is not None and (gi == gj or gj in _parents(ctx, i))


def _gid(ctx: _Ctx, i: int) -> str | None:
    m = ctx.mentions[i]
    if m.gid:
        return m.gid
    e = _entry(m)
    return e.gid if e is not None else None


def _parents(ctx: _Ctx, i: int) -> tuple:
    if i not in ctx._places_cache:
        ctx._places_cache[i] = _ancestors(ctx.mentions[i])
    return ctx._places_cache[i]


def _compatible(ctx: _Ctx, c: _Cluster, f: _Frame) -> tuple[bool, bool]:
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
        for fld in ("killed", "injured", "arrested"):
            x, y = getattr(c, fld), getattr(f, fld)
            if x is not None and y is not None and x != y:
                return False, False
    return True, sub


def _shares(ctx: _Ctx, c: _Cluster, f: _Frame) -> bool:
    if _keys(ctx, c.actors) & _keys(ctx, f.actors) or _keys(ctx, c.targets) & _keys(ctx, f.targets) and (f.actors or f.kind):
        return True
    if c.places and f.places and _related_places(ctx, c.places, f.places):
        return True
    if c.date is not None and f.date is not None:
        return True
    return any(getattr(c, k) is not None and getattr(c, k) == getattr(f, k) for k in ("killed", "injured", "arrested"))


def _absorb(ctx: _Ctx, c: _Cluster, f: _Frame, sub: bool = False) -> None:
    c.frames.append(f)
    for name in ("actors", "targets", "places"):
        lst, keys = getattr(c, name), _keys(ctx, getattr(c, name))
        for i in getattr(f, name):
            if ctx.key(i) not in keys and (name != "targets" or ctx.key(i) not in _keys(ctx, c.actors)):
                lst.append(i)
                keys.add(ctx.key(i))
    c.targets[:] = [i for i in c.targets if ctx.key(i) not in _keys(ctx, c.actors)]
    if c.date is None and f.date is not None:
        c.date = f.date
    for fld in ("killed", "injured", "arrested"):
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


def _cluster(ctx: _Ctx, frames: list[_Frame]) -> list[_Cluster]:
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


def _sentence_tokens(ctx: _Ctx, sent: int) -> list:
    """Tokens of sentence ``sent`` minus attributions and the reporting clause's own prepositions."""
    s, e = ctx.sent_of.sentences[sent]
    span = ctx.doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return []
    skip = set()
    for t in span:
        if (t.lower_ in ("according", "per", "citing") and t.dep_ in ("prep", "advcl")) or \
                (t.dep_ == "prep" and _is_reporting(ctx, t.head)):
            skip.update(x.i for x in t.subtree)
    return [t for t in span if t.i not in skip and t.idx >= ctx.dateline_end]


def _widen(ctx: _Ctx, c: _Cluster) -> None:
    """Arguments from the rest of the contributing sentences when the trigger's own clause named none."""
    primary = _primary(c)
    sents = sorted({f.sent for f in c.frames if not f.anaphoric}, key=lambda s: (s != primary.sent, s))
    for n, sent in enumerate(sents):
        toks = _sentence_tokens(ctx, sent)
        if not c.targets:
            for i in _mentions_in(ctx, toks, ("Organization",)):
                if ctx.is_group(i) and ctx.key(i) not in _keys(ctx, c.actors):
                    c.targets.append(i)
                    break
        if not c.places:
            for i in _mentions_in(ctx, (t for t in toks if t.i not in ctx.actor_toks), ("Location",)):
                if ctx.key(i) not in _keys(ctx, c.places):
                    c.places.append(i)
        if not c.actors and primary.source != "casualty" and n == 0:
            for t in toks:
                if t.dep_ != "nsubj" or _is_reporting(ctx, t.head) or t.head.lower_ in ctx.lx.generic_verbs:
                    continue
                for mi in _actor_of(ctx, t, primary):
                    if not ctx.is_group(mi) and ctx.key(mi) not in _keys(ctx, c.targets):
                        c.actors.append(mi)
    if not c.targets and c.actors and not any(ctx.is_group(i) for i in c.actors):
        g = _nearby_group(ctx, primary.sent)
        if g is not None:
            c.targets.append(g)


def _nearby_group(ctx: _Ctx, sent: int) -> int | None:
    """The armed group named in the next or previous sentence, else the article's only armed group."""
    groups = [i for i, m in enumerate(ctx.mentions) if ctx.is_group(i)]
    for s in (sent + 1, sent - 1):
        near = [i for i in groups if ctx.mentions[i].sent == s]
        if near:
            return near[0]
    return groups[0] if groups and len({ctx.key(i) for i in groups}) == 1 else None


def _primary(c: _Cluster) -> _Frame:
    trig = [f for f in c.frames if f.source != "casualty"]
    fresh = [f for f in trig if not f.anaphoric]
    return (fresh or trig or c.frames)[0]


def _order_places(ctx: _Ctx, places: list[int]) -> list[int]:
    """Most specific first: a place inside another listed place goes before it (gazetteer hierarchy), else text
    order; without a gazetteer, country names go last."""
    def enclosing(i: int) -> int:
        return sum(1 for j in places if j != i and _gid(ctx, j) is not None and _gid(ctx, j) in _parents(ctx, i))

    def country(i: int) -> bool:
        return _gazetteer() is None and _norm(ctx.mentions[i].canonical or ctx.mentions[i].text) in ctx.lx.demonyms
    return sorted(places, key=lambda i: (country(i), -enclosing(i), ctx.mentions[i].start))


def _finalize(ctx: _Ctx, c: _Cluster) -> OperationMention | None:
    triggers = [f for f in c.frames if f.source != "casualty"]
    if not triggers:
        if not c.actors or (c.killed is None and c.arrested is None and c.injured is None and not c.targets):
            return None
        if all(ctx.is_group(i) for i in c.actors):
            kind = "attack"
        elif c.arrested is not None and c.killed is None and c.injured is None:
            kind = "arrest operation"
        else:
            kind = "security operation"
    else:
        kind = c.kind
    _widen(ctx, c)
    if not (c.actors or c.places or c.date or c.killed is not None or c.injured is not None or c.arrested is not None):
        return None  # a target alone ("raided ISIS hideouts in several provinces") is a summary, not one operation
    p = _primary(c)
    date = c.date
    conf = 0.8 if triggers and c.actors else 0.6
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


def extract_operations(doc, mentions, sent_of, article):
    """Operations reported in ``doc``; returns the (possibly extended) mentions and the operations.

    New Organization mentions are appended (never inserted) for force phrases
    NER missed, so existing mention indices stay valid.
    """
    ctx = _Ctx(doc, list(mentions), sent_of, article)
    frames, casualties, seizures = _find_frames(ctx)
    frames = [f for f in frames if _fill(ctx, f)]
    frames = [f for f in _assign(ctx, frames, casualties, seizures) if not _lacks_args(ctx, f)]
    ops = [op for c in _cluster(ctx, frames) if (op := _finalize(ctx, c)) is not None]
    return ctx.mentions, ops
