"""Cross-document entity resolution (baseline: exact normalised-label merging)."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import ArticleRecord, Entity, Membership, entity_ref, make_evidence
from .vocab import digest, slug

# type precedence when the same name is typed differently: Official beats Person.
_RANK = {"Official": 0, "Person": 1, "Organization": 2, "Location": 3}


@dataclass(frozen=True)
class EntityResolution:
    entities: tuple[Entity, ...]
    memberships: tuple[Membership, ...]
    #: (article id, mention index) → entity ref
    mention_map: Mapping[tuple[str, int], str] = field(default_factory=dict)


def norm(s: str) -> str:
    """>>> norm("The  Iraqi Army")
    'iraqi army'
    """
    s = re.sub(r"\s+", " ", s.lower()).strip()
    return re.sub(r"^the ", "", s)


def resolve_entities(records: Sequence[ArticleRecord], duplicates: Mapping[str, tuple[str, float]] = {}) -> EntityResolution:
    groups: dict[tuple[str, str], list[tuple[ArticleRecord, int]]] = defaultdict(list)
    for r in records:
        for i, m in enumerate(r.mentions):
            t = "Person" if m.type == "Official" else m.type
            groups[(t, norm(m.canonical or m.text))].append((r, i))
    entities, mention_map = [], {}
    for (t, n), items in sorted(groups.items()):
        ms = [r.mentions[i] for r, i in items]
        type_ = min((m.type for m in ms), key=_RANK.__getitem__)
        labels = sorted({m.text for m in ms})
        label = max(labels, key=lambda s: (sum(m.text == s for m in ms), len(s), s))
        e = Entity(
            key=slug(label),
            type=type_,
            label=label,
            alt_labels=tuple(x for x in labels if x != label),
            docs=tuple(sorted({r.article.id for r, _ in items})),
            evidence=tuple(make_evidence(r, r.mentions[i].start, r.mentions[i].end, r.mentions[i].sent, r.mentions[i].rule, r.mentions[i].confidence) for r, i in items),
        )
        entities.append(e)
        for r, i in items:
            mention_map[(r.article.id, i)] = e.ref
    # keys must be unique per path
    seen: dict[str, int] = defaultdict(int)
    final = []
    for e in sorted(entities, key=lambda e: (e.ref, e.label)):
        seen[e.ref] += 1
        final.append(e)
    memberships = []
    for r in records:
        for role in r.roles:
            if role.org is None:
                continue
            p, o = mention_map.get((r.article.id, role.person)), mention_map.get((r.article.id, role.org))
            if p and o:
                memberships.append(Membership(digest(p, o, role.title), p, o, role.title, role.rank, (r.article.id,),
                                              (make_evidence(r, role.start, role.end, role.sent, role.rule, role.confidence),)))
    return EntityResolution(tuple(final), tuple(sorted(memberships, key=lambda m: m.key)), mention_map)
