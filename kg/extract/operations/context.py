"""Per-article state shared by the operation rules: the :class:`Context` of one Doc and the :class:`Frame` record.

A :class:`Context` maps tokens to entity mentions, remembers article-level
facts (dateline, reference date, dominant country) and may append mentions
for force phrases NER missed. A :class:`Frame` is one candidate operation: a
trigger (or casualty clause) and the arguments read for it, before in-article
coreference merges frames into operations. Token predicates and the optional
gazetteer lookups used by several rule modules live here too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Mention
from .. import dates as dates_mod
from ..common import doc_text
from .data import lexicon, norm

#: Rule name prefix of every record this package emits (``operations:noun``, ``operations:force-phrase``).
RULE = "operations"
#: ``BAGHDAD, July 5, 2025 (AFP) —``: a dateline, whose date is the publication's, not the event's.
DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z'’. -]{2,40}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:,[^\n()]{0,40})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—:]{1,2}\s")
#: Subject dependencies.
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
_NOUN_POS = {"NOUN", "PROPN"}
_VERB_POS = {"VERB", "AUX"}
#: Gazetteer kinds of organisations that are armed groups (targets when their members are hit).
_GROUP_KINDS = ("armed_group", "wilaya")
#: Mention types looked up in the gazetteer by type.
_TYPED_LOOKUP = ("Organization", "Location")


def gazetteer_module():
    """:mod:`kg.gazetteer` (place hierarchy, organisation kinds), or ``None`` when it is not available."""
    try:
        from ... import gazetteer  # the place hierarchy and organisation kinds; optional
    except ImportError:
        return None
    return gazetteer


def gazetteer_lookup(text: str, type_: str | None = None):
    """The gazetteer entry named ``text`` (of ``type_`` when given), or ``None``."""
    gz = gazetteer_module()
    look = getattr(gz, "lookup", None)
    if look is None:
        return None
    try:
        return look(text, type_) if type_ else look(text)
    except (KeyError, ValueError, LookupError):
        return None


def gazetteer_entry(m: Mention):
    """Gazetteer entry of a mention: by its id, else by its name."""
    gz = gazetteer_module()
    if gz is None:
        return None
    if m.gid and hasattr(gz, "get"):
        e = gz.get(m.gid)
        if e is not None:
            return e
    return gazetteer_lookup(m.canonical or m.text, m.type if m.type in _TYPED_LOOKUP else None)


def enclosing_places(m: Mention) -> tuple[str, ...]:
    """Ids of every place enclosing the mention's place, nearest first (empty without a gazetteer)."""
    e = gazetteer_entry(m)
    if e is None:
        return ()
    gz = gazetteer_module()
    if hasattr(gz, "parents"):
        return tuple(gz.parents(e.gid))
    return tuple(getattr(e, "parents", ()) or ())


class Context:
    """Token ↔ mention maps and article-level facts for one Doc."""

    def __init__(self, doc, mentions: list[Mention], sent_of, article):
        self.doc, self.mentions, self.sent_of, self.article, self.lx = doc, mentions, sent_of, article, lexicon()
        self.tok_m: list[int | None] = [None] * len(doc)
        for i, m in enumerate(mentions):
            self._cover(i, m)
        self.text = doc_text(doc)  # Doc.text and Doc.ents walk every token: read them once
        self.ents = tuple(doc.ents)
        m = DATELINE.match(self.text)
        self.dateline_end = m.end() if m else 0  #: "BAGHDAD, July 5, 2025 (AFP) —": the publication, not the event
        self.tok_date: dict[int, object] = {}
        for ent in self.ents:
            if ent.label_ == "DATE" and ent.start_char >= self.dateline_end:
                for t in range(ent.start, ent.end):
                    self.tok_date[t] = ent
        self.ref = dates_mod.parse_reference(getattr(article, "date", None))
        self._year_hint = None
        self._demonym: str | None | bool = False
        self.places_cache: dict[int, object] = {}
        self.actor_toks: set[int] = set()
        self._group_cache: dict[int, bool] = {}

    def _cover(self, i: int, m: Mention) -> None:
        """Point the tokens of mention ``i`` at it, unless a longer mention already covers them."""
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        for t in range(span.start, span.end):
            if self.tok_m[t] is None or len(self.mentions[self.tok_m[t]].text) < len(m.text):
                self.tok_m[t] = i

    def sent(self, tok) -> int:
        """Sentence index of a token."""
        return self.sent_of(tok.idx)

    def mention(self, tok) -> int | None:
        """Index of the mention covering a token, or ``None``."""
        return self.tok_m[tok.i]

    def mtype(self, i: int | None) -> str | None:
        """Type of mention ``i`` (``None`` for no mention)."""
        return self.mentions[i].type if i is not None else None

    def key(self, i: int) -> str:
        """Normalised name of mention ``i``, its canonical name when known."""
        m = self.mentions[i]
        return norm(m.canonical or m.text)

    def is_group(self, i: int) -> bool:
        """Whether mention ``i`` is an armed group (gazetteer kind, else the ``armed_groups`` list)."""
        m = self.mentions[i]
        if m.type != "Organization":
            return False
        if i in self._group_cache:
            return self._group_cache[i]
        e = gazetteer_entry(m)
        if e is not None and getattr(e, "kind", None):
            self._group_cache[i] = e.kind in _GROUP_KINDS
            return self._group_cache[i]
        keys = {norm(m.text), norm(m.canonical or m.text)}
        self._group_cache[i] = any(k in self.lx.armed_groups or k.split(" ")[0] in self.lx.armed_groups and len(k.split()) <= 3 for k in keys)
        return self._group_cache[i]

    def add_mention(self, start: int, end: int, type_: str, rule: str, confidence: float, canonical: str | None = None,
                    gid: str | None = None) -> int:
        """Index of a new Organization/… mention of ``start:end`` (appended, so existing indices stay valid)."""
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
                    d = self.lx.demonyms.get(norm(m.canonical or m.text))
                    if d:
                        counts[d] = counts.get(d, 0) + 1
            for ent in self.ents:
                if ent.label_ == "NORP":
                    d = self.lx.demonyms.get(norm(ent.text))
                    if d:
                        counts[d] = counts.get(d, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            ok = ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1])
            self._demonym = ranked[0][0] if ok else None
        return self._demonym or None


@dataclass
class Frame:
    """One candidate operation: a trigger or casualty clause and the arguments read for it."""

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
        """Whether any argument or number was read."""
        return bool(self.actors or self.targets or self.places or self.date or self.killed is not None
                    or self.injured is not None or self.arrested is not None)


def is_noun(tok) -> bool:
    """Noun or proper noun (coarse or fine tag)."""
    return tok.pos_ in _NOUN_POS or tok.tag_.startswith("NN")


def is_verb(tok) -> bool:
    """Verb or auxiliary (coarse or fine tag)."""
    return tok.pos_ in _VERB_POS or tok.tag_.startswith("VB")


def is_reporting(ctx: Context, tok) -> bool:
    """Whether ``tok`` is a reporting verb (``said``): its subject is a source, not an actor."""
    return tok is not None and tok.lower_ in ctx.lx.reporting
