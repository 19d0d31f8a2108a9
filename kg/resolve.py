"""Entity resolution within and across documents: conservative, explained, deterministic.

Mentions are merged (union-find) only for these reasons, each a rule name in
:data:`REASONS`:

``gazetteer``
    the same gazetteer id (aliases such as ISIS / ISIL / Daesh / IS group,
    Ninawa / Nineveh, transliterations Salaheddine / Salahuddin, found by
    :func:`kg.gazetteer.lookup`);
``name``
    the same normalised name and kind: case, accents, apostrophes, hyphens,
    a leading ``the``, doubled letters and British spellings folded away, and
    ``Ministry of X`` read as ``X Ministry`` (``Na'im al-Ka'oud`` = ``Naim
    al-Kaoud``). One-word person names are never merged across articles;
``acronym``
    an acronym defined in the text (``Counter-Terrorism Service (CTS)``) joins
    its long form, in the article and wherever else it appears alone when only
    one long form in the corpus defines it;
``short-form``
    a surname or other trailing part of a person named in full in the same
    article (or the article it duplicates): ``Mattis``, ``Maan``, ``Al-Bayati``,
    ``Abu Raghif``; or a leading kunya (``Abu al-Hussein``). When two people of the article share it, the nearest
    preceding one wins; two full names are never merged because they share a
    surname.
``kind-vote``
    the same name typed as an organisation in one place and a location in
    another (no gazetteer id): the more frequent type wins;
``spelling``
    places without a gazetteer id spelled alike (same consonant skeleton, close
    spelling: ``Baghouz`` = ``Baghuz``), and two spellings of a person's full
    name when both hold the same post in the same organisation.

A country-less national body (``the Interior Ministry``) joins the
country-specific body the same article names (``Iraqi Interior Ministry``).

Every surface form is kept (``alt_labels``). The label is the gazetteer's
canonical name when known, else the fullest, most frequent form. Keys are
``kg.vocab.slug(label)``, made unique per IRI path with a short stable digest.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import gazetteer
from .gazetteer import ARTICLES, fold
from .model import ArticleRecord, Entity, Evidence, Membership, Mention, entity_ref, make_evidence
from .vocab import PATHS, digest, slug

REASONS = ("gazetteer", "name", "acronym", "short-form", "kind-vote", "spelling")
#: minimum rapidfuzz ratio of two spellings with the same consonant skeleton (places; people with a shared post)
SPELLING_RATIO = 88.0
PERSON_SPELLING_RATIO = 75.0
#: type precedence inside one cluster: Official beats Person.
#: A kunya (``Abu X``) refers to its bearer from the front of the full name: ``Abu al-Hussein`` of
#: ``Abu al-Hussein al-Husseini al-Qurashi``.
KUNYA = frozenset({"abu", "umm"})
_TYPE_ORDER = {"Official": 0, "Person": 1, "Organization": 2, "Location": 3}
_FAMILY = {"Official": "P", "Person": "P", "Organization": "O", "Location": "L"}
IMPLIED = "officials:implied-org"
#: mentions whose surface text is not a name of their entity (implied organisations, capitals for countries)
NOT_NAMES = frozenset({IMPLIED, "entities:metonymy"})
_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,11})\s*\)")
_ORG_OF = re.compile(r"^(ministry|department|office|directorate) of (?:the )?(.+)$")
_LOC_SUFFIX = re.compile(r" (province|governorate|city|district|town|village|region|area)$")


@dataclass(frozen=True)
class EntityResolution:
    entities: tuple[Entity, ...]
    memberships: tuple[Membership, ...]
    #: (article id, mention index) → entity ref
    mention_map: Mapping[tuple[str, int], str] = field(default_factory=dict)
    #: (article id, mention index) → why it joined its entity (one of REASONS, or ``self``)
    reasons: Mapping[tuple[str, int], str] = field(default_factory=dict)


def norm(s: str) -> str:
    """Folded name (see :func:`kg.gazetteer.fold`).

    >>> norm("The  Iraqi Army")
    'iraqi army'
    """
    return fold(s)


def name_key(text: str, type_: str) -> str:
    """Normalised name used to merge mentions without a gazetteer id.

    >>> name_key("Na'im al-Ka'oud", "Person") == name_key("Naim al-Kaoud", "Official")
    True
    >>> name_key("Ministry of Interior", "Organization") == name_key("the Interior Ministry", "Organization")
    True
    >>> name_key("Kirkuk province", "Location")
    'kirkuk'
    """
    k = fold(text)
    if type_ == "Organization":
        m = _ORG_OF.match(k)
        if m:
            k = f"{m.group(2)} {m.group(1)}"
    elif type_ == "Location":
        k = _LOC_SUFFIX.sub("", k)
    return re.sub(r"([a-z])\1+", r"\1", k)


def _person_words(text: str) -> list[str]:
    words = fold(text).split()
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return words


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # deterministic root: the smaller node
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _acronym_of(text: str, after: str) -> str | None:
    """The acronym a long form defines right after itself (``US Central Command (Centcom)`` → ``Centcom``)."""
    m = _ACRONYM.match(after)
    if not m:
        return None
    acr = m.group(1)
    letters = re.sub(r"[^a-z]", "", acr.lower())
    words = re.findall(r"[A-Za-z]+", text)
    if not letters or not words or letters[0] not in {w[0].lower() for w in words}:
        return None
    return acr if _is_subsequence(letters, "".join(w.lower() for w in words)) else None


def resolve_entities(records: Sequence[ArticleRecord], duplicates: Mapping[str, tuple[str, float]] = {}) -> EntityResolution:
    """Cluster every mention of ``records`` into entities; memberships from the roles."""
    gaz = gazetteer.load()
    records = list(records)
    by_id = {r.article.id: r for r in records}
    uf = _UnionFind()
    reason: dict[tuple[str, int], str] = {}
    gid_of: dict[tuple[str, int], str | None] = {}
    anchors: dict[tuple, tuple[str, int]] = {}

    def join(node, key, why):
        if key in anchors:
            if uf.find(node) != uf.find(anchors[key]):
                reason.setdefault(node, why)
            uf.union(node, anchors[key])
        else:
            anchors[key] = node

    # 1. gazetteer ids and normalised names
    for r in records:
        aid = r.article.id
        bodies = _bodies_named(r, gaz)
        orig = duplicates.get(aid, (None, 0.0))[0]
        if orig in by_id and orig != aid:
            bodies = {**_bodies_named(by_id[orig], gaz), **bodies}
        for i, m in enumerate(r.mentions):
            node = (aid, i)
            uf.find(node)
            gid = _effective_gid(m, gaz)
            e = gaz.get(gid) if gid else None
            if e is not None and e.generic and e.generic in bodies:  # "the Interior Ministry" after "Iraqi Interior Ministry"
                gid = bodies[e.generic]
            gid_of[node] = gid
            if gid:
                join(node, ("gid", gid), "gazetteer")
            elif m.type == "Organization" and gazetteer._is_acronym(m.text):
                join(node, ("acronym", aid, m.text), "name")  # across articles only through its definition (step 2)
            elif _FAMILY[m.type] == "P":
                words = _person_words(m.text)
                if len(words) >= 2:
                    join(node, ("name", "P", name_key(" ".join(words), "Person")), "name")
                else:  # one-word names stay inside their article
                    join(node, ("short", aid, " ".join(words)), "name")
            else:
                join(node, ("name", _FAMILY[m.type], name_key(m.text, m.type)), "name")
    # 2. acronyms defined in the text
    defined: dict[str, set] = defaultdict(set)
    for r in records:
        aid, text = r.article.id, r.article.text
        for i, m in enumerate(r.mentions):
            if m.type != "Organization" or m.rule == IMPLIED:
                continue
            acr = _acronym_of(m.text, text[m.end:m.end + 16])
            if acr is None:
                continue
            defined[acr].add(uf.find((aid, i)))
            for j, m2 in enumerate(r.mentions):
                if m2.text == acr and m2.type in ("Organization", "Location", "Person"):
                    if uf.find((aid, j)) != uf.find((aid, i)):
                        reason.setdefault((aid, j), "acronym")
                    uf.union((aid, i), (aid, j))
    bare: dict[str, list[tuple[str, int]]] = defaultdict(list)  # acronyms without gazetteer id, by text
    for r in records:
        for j, m2 in enumerate(r.mentions):
            node = (r.article.id, j)
            if m2.type == "Organization" and gid_of[node] is None and gazetteer._is_acronym(m2.text):
                bare[m2.text].append(node)
    for acr, nodes in bare.items():
        roots = {uf.find(x) for x in defined.get(acr, ())}
        if len(roots) == 1:  # one long form defines it: every bare use joins it
            root, why = next(iter(roots)), "acronym"
        else:  # undefined: same acronym, same organisation; ambiguous: only the undefined uses group together
            free = [n for n in nodes if not any(uf.find(n) == x for x in roots)]
            if not free:
                continue
            root, why, nodes = free[0], "name", free
        for node in nodes:
            if uf.find(node) != uf.find(root):
                reason.setdefault(node, why)
                uf.union(root, node)
    # 3. short forms of people named in full in the same article (or the one it duplicates)
    for r in records:
        aid = r.article.id
        full = _full_names(r)
        orig = duplicates.get(aid, (None, 0.0))[0]
        if orig in by_id and orig != aid:
            full += [(-1, ws, (orig, i)) for _, ws, (o, i) in _full_names(by_id[orig])]
        for i, m in enumerate(r.mentions):
            if _FAMILY[m.type] != "P":
                continue
            words = _person_words(m.text)
            cands = [(pos, node) for pos, ws, node in full
                     if len(ws) > len(words) and node != (aid, i)
                     and (ws[-len(words):] == words or words[0] in KUNYA and ws[:len(words)] == words)]
            if not cands:
                continue
            roots = {uf.find(node) for _, node in cands}
            if len(roots) == 1:
                target = cands[0][1]
            else:
                before = [(pos, node) for pos, node in cands if pos < m.start]
                if not before:
                    continue
                target = max(before)[1]
            if uf.find(target) != uf.find((aid, i)):
                reason.setdefault((aid, i), "short-form")
                uf.union(target, (aid, i))
    # 4. organisation/location typing conflicts without gazetteer ids
    _kind_vote(records, uf, gid_of, reason)
    # 5. spelling variants of places without gazetteer ids, and of people holding the same post
    _spelling(records, uf, gid_of, reason)

    clusters: dict[tuple[str, int], list[tuple[ArticleRecord, int]]] = defaultdict(list)
    for r in records:
        for i in range(len(r.mentions)):
            clusters[uf.find((r.article.id, i))].append((r, i))
    return _build(records, clusters, gid_of, reason, gaz)


def _effective_gid(m: Mention, gaz) -> str | None:
    """The mention's gazetteer id; else one found from its canonical label or its text."""
    if m.gid:
        e = gaz.get(m.gid)
        return e.gid if e else m.gid
    if m.type not in ("Organization", "Location"):
        return None
    if m.canonical:
        e = gaz.exact(m.canonical, m.type)
        if e is not None:
            return e.gid
    e = gaz.lookup(m.text, m.type)
    if e is not None and (m.type == "Location" or e.type == "Organization"):
        return e.gid
    return None


def _bodies_named(r: ArticleRecord, gaz) -> dict[str, str]:
    """National bodies an article names with their country: body key → gid (``interior-ministry`` → Iraqi …)."""
    out = {}
    for m in r.mentions:
        e = gaz.get(m.gid) if m.gid else None
        if e is not None and e.body and e.country:
            out.setdefault(e.body, e.gid)
    return out


def _spelling(records, uf, gid_of, reason) -> None:
    from rapidfuzz import fuzz

    posts: dict = defaultdict(set)  # person root → {(org root, title)}
    for r in records:
        for role in r.roles:
            p = uf.find((r.article.id, role.person))
            org = uf.find((r.article.id, role.org)) if role.org is not None else None
            posts[p].add((org, role.title))
    groups: dict[tuple[str, str], dict] = defaultdict(dict)  # (family, skeleton) → root → compact name
    for r in records:
        for i, m in enumerate(r.mentions):
            node = (r.article.id, i)
            fam = _FAMILY[m.type]
            if gid_of[node] is not None or fam == "O" or m.rule in NOT_NAMES:
                continue
            words = _person_words(m.text) if fam == "P" else fold(m.text).split()
            if fam == "P" and len(words) < 2:
                continue
            key = " ".join(words)
            groups[(fam, gazetteer.skeleton(key))].setdefault(uf.find(node), key)
    for (fam, _), names in groups.items():
        roots = sorted(names)
        for a_i, a in enumerate(roots):
            for b in roots[a_i + 1:]:
                ra, rb = uf.find(a), uf.find(b)
                limit = PERSON_SPELLING_RATIO if fam == "P" else SPELLING_RATIO
                if ra == rb or fuzz.ratio(names[a].replace(" ", ""), names[b].replace(" ", "")) < limit:
                    continue
                if fam == "P" and not ({x for x in posts.get(ra, ()) if x[0] is not None} & posts.get(rb, set())):
                    continue  # two spellings of a person's name merge only when both hold the same post
                reason.setdefault(b, "spelling")
                uf.union(ra, rb)
                merged = posts.pop(ra, set()) | posts.pop(rb, set())
                posts[uf.find(ra)] = merged


def _full_names(r: ArticleRecord) -> list[tuple[int, list[str], tuple[str, int]]]:
    out = []
    for i, m in enumerate(r.mentions):
        if _FAMILY[m.type] == "P":
            ws = _person_words(m.text)
            if len(ws) >= 2:
                out.append((m.start, ws, (r.article.id, i)))
    return out


def _kind_vote(records, uf, gid_of, reason) -> None:
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for i, m in enumerate(r.mentions):
            node = (r.article.id, i)
            if gid_of[node] is None and m.type in ("Organization", "Location") and not gazetteer._is_acronym(m.text):
                k = name_key(m.text, "Organization")
                groups[k].append(node)
                types[k].add(m.type)
    for k, nodes in groups.items():
        roots = {uf.find(n) for n in nodes}
        if len(types[k]) > 1 and len(roots) > 1:
            first = min(nodes)
            for n in nodes:
                if uf.find(n) != uf.find(first):
                    reason.setdefault(n, "kind-vote")
                    uf.union(first, n)


def _label(ms: list[Mention], gid_entry) -> str:
    if gid_entry is not None:
        return gid_entry.canonical
    forms = Counter(m.text for m in ms if m.rule not in NOT_NAMES) or Counter(m.canonical or m.text for m in ms)
    if _FAMILY[ms[0].type] == "P":
        return max(forms, key=lambda s: (len(_person_words(s)), forms[s], len(s), s))
    return max(forms, key=lambda s: (not gazetteer._is_acronym(s), forms[s], len(s), s))


def _build(records, clusters, gid_of, reason, gaz) -> EntityResolution:
    drafts = []
    for root, items in clusters.items():
        items.sort(key=lambda x: (x[0].article.id, x[1]))
        ms = [r.mentions[i] for r, i in items]
        gids = sorted({gid_of[(r.article.id, i)] for r, i in items if gid_of[(r.article.id, i)]})
        entry = gaz.get(gids[0]) if gids else None
        types = Counter(m.type for m in ms)
        if entry is not None:
            type_ = entry.type
        elif any(t in types for t in ("Official", "Person")):
            type_ = "Official" if "Official" in types else "Person"
        else:
            type_ = max(types, key=lambda t: (types[t], -_TYPE_ORDER[t]))
        drafts.append((type_, _label(ms, entry), entry, items, ms))
    # roles → officials' titles, ranks, memberships
    key_of: dict[int, str] = {}
    ordered = sorted(drafts, key=lambda d: (PATHS[d[0]], slug(d[1]), d[2] is None, -len({r.article.id for r, _ in d[3]}),
                                            d[1], d[3][0][0].article.id, d[3][0][1]))
    used: set[str] = set()
    for n, (type_, label, entry, items, ms) in enumerate(ordered):
        base = slug(label)
        key = base
        if f"{PATHS[type_]}/{key}" in used:
            key = f"{base}-{digest(entry.gid if entry else '', type_, label, items[0][0].article.id, items[0][1], n=6)}"
        used.add(f"{PATHS[type_]}/{key}")
        key_of[id(items)] = key
    mention_map: dict[tuple[str, int], str] = {}
    for type_, label, entry, items, ms in ordered:
        ref = entity_ref(type_, key_of[id(items)])
        for r, i in items:
            mention_map[(r.article.id, i)] = ref
    memberships, person_roles = _memberships(records, mention_map)
    ent_refs = set(mention_map.values())
    gid_ref = {}
    for type_, label, entry, items, ms in ordered:
        if entry is not None:
            gid_ref.setdefault(entry.gid, entity_ref(type_, key_of[id(items)]))
    entities = []
    for type_, label, entry, items, ms in ordered:
        ref = entity_ref(type_, key_of[id(items)])
        alts = sorted({m.text for m in ms if m.rule not in NOT_NAMES and m.text != label})
        pr = person_roles.get(ref, {})
        descs = Counter(m.descriptor for m in ms if m.descriptor)
        part_of: tuple[str, ...] = ()
        if entry is not None and type_ == "Location":
            part_of = _nearest_existing(entry.gid, gaz, gid_ref)
        entities.append(Entity(
            key=key_of[id(items)], type=type_, label=label, alt_labels=tuple(alts),
            docs=tuple(sorted({r.article.id for r, _ in items})),
            evidence=tuple(sorted((make_evidence(r, r.mentions[i].start, r.mentions[i].end, r.mentions[i].sent,
                                                 r.mentions[i].rule, r.mentions[i].confidence) for r, i in items),
                                  key=lambda e: (e.doc, e.start, e.end))),
            gid=entry.gid if entry else None,
            titles=tuple(sorted(pr.get("titles", ()))), ranks=tuple(sorted(pr.get("ranks", ()))),
            member_of=tuple(sorted(o for o in pr.get("orgs", ()) if o in ent_refs)),
            descriptor=max(descs, key=lambda d: (descs[d], d)) if descs and type_ == "Person" else None,
            part_of=part_of,
            lat=entry.lat if entry else None, lon=entry.lon if entry else None,
            same_as=tuple(entry.same_as) if entry else (),
        ))
    entities.sort(key=lambda e: e.ref)
    reasons = {node: reason.get(node, "self") for node in mention_map}
    return EntityResolution(tuple(entities), memberships, mention_map, reasons)


def _nearest_existing(gid: str, gaz, gid_ref: Mapping[str, str]) -> tuple[str, ...]:
    """Refs of the nearest enclosing places that are entities of the corpus."""
    out: list[str] = []
    todo = list(gaz.get(gid).parents)
    seen = set()
    while todo:
        g = todo.pop(0)
        if g in seen:
            continue
        seen.add(g)
        if g in gid_ref:
            if gid_ref[g] not in out:
                out.append(gid_ref[g])
        elif gaz.get(g) is not None:
            todo.extend(gaz.get(g).parents)
    return tuple(out)


def _memberships(records, mention_map) -> tuple[tuple[Membership, ...], dict[str, dict[str, set]]]:
    groups: dict[tuple[str, str, str | None], list] = defaultdict(list)
    person_roles: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in records:
        aid = r.article.id
        for role in r.roles:
            p = mention_map.get((aid, role.person))
            if p is None:
                continue
            if role.title:
                person_roles[p]["titles"].add(role.title)
            if role.rank:
                person_roles[p]["ranks"].add(role.rank)
            o = mention_map.get((aid, role.org)) if role.org is not None else None
            if o is None:
                continue
            person_roles[p]["orgs"].add(o)
            groups[(p, o, role.title)].append((r, role))
    out = []
    for (p, o, title), items in groups.items():
        ranks = sorted({role.rank for _, role in items if role.rank})
        ev: list[Evidence] = sorted((make_evidence(r, role.start, role.end, role.sent, role.rule, role.confidence)
                                     for r, role in items), key=lambda e: (e.doc, e.start, e.end))
        out.append(Membership(digest(p, o, title), p, o, title, ranks[0] if ranks else None,
                              tuple(sorted({r.article.id for r, _ in items})), tuple(ev)))
    return tuple(sorted(out, key=lambda m: m.key)), person_roles
