"""Operations and quotes across documents: one node per real-world event or quotation.

Each article already reports an operation once (in-article coreference is done
by :mod:`kg.extract.operations`). Here operations reported by several articles
merge:

- a *near-duplicate* article (``duplicates`` maps its id to the original's)
  matches each of its operations to the best compatible one of the original;
- any two articles match operations on the same full day and place.

Two operations are compatible when their kinds may describe one operation, no
known fact conflicts (day, casualty numbers, disjoint actors or places), and —
for articles that are not copies — they share an actor. The merged operation
lists every source document and keeps the evidence of each.

``Operation.key`` hashes the defining facts (kind, date, sorted places, sorted
actors) with the first document id and the offset of its trigger there, so it
does not change when unrelated articles are added. Quotes merge on their
normalised text and speaker (``QuoteFact.key``). Output is sorted by key.
"""
from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .extract.operations import kind_rank, kinds_compatible
from .model import ArticleRecord, Evidence, Operation, OperationMention, QuoteFact, make_evidence
from .resolve import EntityResolution
from .vocab import digest

_DATE_RANK = {"date": 0, "gMonthDay": 1, "gYearMonth": 2, "gYear": 3, None: 4}
_CASUALTIES = ("killed", "injured", "arrested")


@dataclass
class _Item:
    """One article's report of one operation, with entity refs."""

    rec: ArticleRecord
    op: OperationMention
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    places: tuple[str, ...]

    @property
    def doc(self) -> str:
        return self.rec.article.id


def _refs(res: EntityResolution, doc: str, idx) -> tuple[str, ...]:
    out: list[str] = []
    for i in idx:
        ref = res.mention_map.get((doc, i))
        if ref and ref not in out:
            out.append(ref)
    return tuple(out)


def _same_day(a: str | None, b: str | None) -> bool | None:
    """``None`` when unknown; ``--06-29`` and ``2025-06-29`` are the same day."""
    if not a or not b:
        return None
    if a == b:
        return True
    ma, mb = re.search(r"(\d{2})-(\d{2})$", a), re.search(r"(\d{2})-(\d{2})$", b)
    if a.startswith("--") or b.startswith("--"):
        return bool(ma and mb and ma.group(0) == mb.group(0))
    return a.startswith(b) or b.startswith(a)


def _places_related(a: tuple, b: tuple, parents: Mapping[str, tuple]) -> bool:
    sa, sb = set(a), set(b)
    if sa & sb:
        return True
    up_a = {p for x in a for p in parents.get(x, ())}
    up_b = {p for x in b for p in parents.get(x, ())}
    return bool(sa & up_b or sb & up_a)


def compatible(x: _Item, y: _Item, parents: Mapping[str, tuple], copies: bool) -> int:
    """0 when ``x`` and ``y`` cannot be one operation, else a positive match score."""
    if not kinds_compatible(x.op.kind, y.op.kind):
        return 0
    day = _same_day(x.op.date, y.op.date)
    if day is False:
        return 0
    score = 1 + 2 * bool(day)
    for f in _CASUALTIES:
        vx, vy = getattr(x.op, f), getattr(y.op, f)
        if vx is not None and vy is not None:
            if vx != vy:
                return 0
            score += 2
    shared_actor = bool(set(x.actors) & set(y.actors))
    if x.actors and y.actors and not shared_actor:
        return 0
    if x.places and y.places:
        if not _places_related(x.places, y.places, parents):
            return 0
        score += 2
    score += 3 * shared_actor + bool(set(x.targets) & set(y.targets)) + (x.op.kind == y.op.kind)
    if not copies and not shared_actor:
        return 0
    return score if score > 1 else 0


class _Union:
    """Union-find over item indexes that also keeps, for each root, the documents of its items."""

    def __init__(self, docs: list[str]):
        self.p = list(range(len(docs)))
        self.docs: list[set[str] | None] = [{d} for d in docs]  #: per root: the documents of its set

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, gone = min(ra, rb), max(ra, rb)
            self.p[gone] = keep
            self.docs[keep] |= self.docs[gone]
            self.docs[gone] = None


def _group(items: list[_Item], duplicates: Mapping[str, tuple[str, float]], parents: Mapping[str, tuple]) -> list[list[int]]:
    uf = _Union([it.doc for it in items])
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        by_doc[it.doc].append(i)

    def docs_of(root: int) -> set[str]:
        return uf.docs[root]

    # near-duplicates: best one-to-one matches against the original
    for dup in sorted(duplicates):
        orig = duplicates[dup][0]
        pairs = sorted(((compatible(items[a], items[b], parents, True), a, b) for a in by_doc.get(dup, ()) for b in by_doc.get(orig, ())),
                       key=lambda t: (-t[0], t[1], t[2]))
        used: set[int] = set()
        for score, a, b in pairs:
            if score and a not in used and b not in used:
                uf.union(a, b)
                used.update((a, b))
    # other articles: same full day and a shared place
    block: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.op.date_type == "date":
            for p in it.places:
                block[(it.op.date, p)].append(i)
    for key in sorted(block):
        members = block[key]
        for n, a in enumerate(members):
            for b in members[n + 1:]:
                if items[a].doc == items[b].doc or uf.find(a) == uf.find(b):
                    continue
                if compatible(items[a], items[b], parents, False) and not (docs_of(uf.find(a)) & docs_of(uf.find(b))):
                    uf.union(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[uf.find(i)].append(i)
    return [sorted(g, key=lambda i: (items[i].doc in duplicates, items[i].doc, items[i].op.start)) for g in groups.values()]


def _union(seqs) -> tuple:
    out: list = []
    for s in seqs:
        out.extend(x for x in s if x not in out)
    return tuple(out)


def _order_places(places: tuple[str, ...], parents: Mapping[str, tuple]) -> tuple[str, ...]:
    """Most specific first: a place enclosed by another listed place comes before it."""
    def depth(p: str) -> int:
        return sum(1 for q in places if q in parents.get(p, ()))
    return tuple(sorted(places, key=lambda p: (-depth(p), places.index(p))))


def _pretty_date(value: str | None, type_: str | None) -> str | None:
    if not value:
        return None
    if type_ == "gMonthDay":
        m, d = value[2:].split("-")
        return f"{calendar.month_name[int(m)]} {int(d)}"
    if type_ == "gYearMonth":
        y, m = value.split("-")
        return f"{calendar.month_name[int(m)]} {y}"
    return value


def label(kind: str, actors: Sequence[str], places: Sequence[str], date: str | None, title: str = "") -> str:
    """Readable operation label.

    >>> label("raid", ["Federal Police"], ["Iraq-Syria border"], None)
    'Federal Police raid in Iraq-Syria border'
    >>> label("ambush", [], ["Balkana Mountains"], "2025-06-29")
    'ambush in Balkana Mountains, 2025-06-29'
    >>> label("airstrike", ["A", "B", "C"], [], None, "Strikes hit Gaza")
    'A, B and others airstrike (Strikes hit Gaza)'
    """
    who = actors[0] if len(actors) == 1 else " and ".join(actors) if len(actors) == 2 else f"{actors[0]}, {actors[1]} and others" if actors else ""
    text = f"{who} {kind}".strip()
    if places:
        text += f" in {places[0]}"
    if date:
        text += f", {date}"
    if not places and not date and title:
        text += f" ({title[:60].rstrip()})"
    return text


def _evidence(it: _Item) -> list[Evidence]:
    r, o = it.rec, it.op
    ev = [make_evidence(r, o.start, o.end, o.sent, o.rule, o.confidence)]
    for s in o.sents:
        if s != o.sent and 0 <= s < len(r.sentences):
            a, b = r.sentences[s]
            ev.append(make_evidence(r, a, b, s, o.rule + ":sentence", o.confidence))
    return ev


def _operation(group: list[_Item], parents: Mapping[str, tuple], labels: Mapping[str, str]) -> Operation:
    first = group[0]
    kind = min((it.op.kind for it in group), key=lambda k: (kind_rank(k), k))
    dated = sorted((it for it in group if it.op.date), key=lambda it: _DATE_RANK.get(it.op.date_type, 4))
    date, date_type = (dated[0].op.date, dated[0].op.date_type) if dated else (None, None)
    actors = _union(it.actors for it in group)
    targets = tuple(t for t in _union(it.targets for it in group) if t not in actors)
    places = _order_places(_union(it.places for it in group), parents)
    nums = {f: next((getattr(it.op, f) for it in group if getattr(it.op, f) is not None), None) for f in _CASUALTIES}
    docs = tuple(sorted({it.doc for it in group}))
    first_doc = min(group, key=lambda it: (it.doc, it.op.start))
    key = digest("operation", kind, date, sorted(places), sorted(actors), first_doc.doc, first_doc.op.start)
    evidence = tuple(sorted((e for it in group for e in _evidence(it)), key=lambda e: (e.doc, e.start, e.end, e.rule)))
    return Operation(
        key=key, kind=kind,
        label=label(kind, [labels.get(a, a) for a in actors], [labels.get(p, p) for p in places],
                    _pretty_date(date, date_type), first.rec.article.title),
        conducted_by=actors, targeted=targets, located_in=places, date=date, date_type=date_type,
        notes=_union(it.op.notes for it in group), seized=_union(it.op.seized for it in group),
        docs=docs, evidence=evidence, **nums,
    )


def quote_key(text: str, speaker: str | None) -> str:
    """Stable key of a quotation: its words (case, punctuation and quote marks folded) and its speaker.

    >>> quote_key("We won, he said.", "person/x") == quote_key("we won he said", "person/x")
    True
    """
    words = re.findall(r"[^\W_]+", text.lower().replace("’", "").replace("'", ""))
    return digest("quote", " ".join(words), speaker or "")


def _quotes(records: Sequence[ArticleRecord], res: EntityResolution) -> tuple[QuoteFact, ...]:
    by_text: dict[str, list] = defaultdict(list)
    for r in records:
        for q in r.quotes:
            spk = res.mention_map.get((r.article.id, q.speaker)) if q.speaker is not None else None
            by_text[quote_key(q.text, None)].append((r, q, spk))
    groups: dict[str, list] = defaultdict(list)
    for items in by_text.values():
        speakers = {s for _, _, s in items if s}
        for r, q, s in items:
            s = s or (next(iter(speakers)) if len(speakers) == 1 else None)
            groups[quote_key(q.text, s)].append((r, q, s))
    out = []
    for key, items in groups.items():
        items.sort(key=lambda t: (t[0].article.id, t[1].start))
        r0, q0, s0 = items[0]
        ev = tuple(sorted((make_evidence(r, q.start, q.end, q.sent, q.rule, q.confidence) for r, q, _ in items),
                          key=lambda e: (e.doc, e.start)))
        out.append(QuoteFact(key, q0.text, s0, tuple(sorted({r.article.id for r, _, _ in items})), ev))
    return tuple(sorted(out, key=lambda q: q.key))


def resolve_events(records: Sequence[ArticleRecord], duplicates: Mapping[str, tuple[str, float]], res: EntityResolution):
    """``(operations, quotes)`` of the corpus, merged across articles and sorted by key."""
    parents = {e.ref: tuple(e.part_of) for e in res.entities}
    labels = {e.ref: e.label for e in res.entities}
    items: list[_Item] = []
    for r in sorted(records, key=lambda r: r.article.id):
        doc = r.article.id
        for o in r.operations:
            items.append(_Item(r, o, _refs(res, doc, o.actors), _refs(res, doc, o.targets), _refs(res, doc, o.places)))
    ops = [_operation([items[i] for i in g], parents, labels) for g in _group(items, duplicates, parents)]
    seen: dict[str, int] = defaultdict(int)
    unique = []
    for o in sorted(ops, key=lambda o: (o.key, o.docs)):
        seen[o.key] += 1
        unique.append(o if seen[o.key] == 1 else Operation(**{**{f: getattr(o, f) for f in o.__slots__}, "key": f"{o.key}-{seen[o.key]}"}))
    return tuple(sorted(unique, key=lambda o: o.key)), _quotes(records, res)
