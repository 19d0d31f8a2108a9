"""Operations and quotes across documents (baseline: one node per mention)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import ArticleRecord, Operation, QuoteFact, make_evidence
from .resolve import EntityResolution
from .vocab import digest


def resolve_events(records: Sequence[ArticleRecord], duplicates: Mapping[str, tuple[str, float]], res: EntityResolution):
    ops, quotes = [], []
    for r in records:
        mm = lambda i: res.mention_map.get((r.article.id, i))  # noqa: E731
        for o in r.operations:
            ev = make_evidence(r, o.start, o.end, o.sent, o.rule, o.confidence)
            ops.append(Operation(
                key=digest(r.article.id, o.start, o.kind), kind=o.kind, label=f"{o.kind} ({r.article.title[:40]})",
                conducted_by=tuple(filter(None, map(mm, o.actors))), targeted=tuple(filter(None, map(mm, o.targets))),
                located_in=tuple(filter(None, map(mm, o.places))), date=o.date, date_type=o.date_type,
                killed=o.killed, injured=o.injured, arrested=o.arrested, notes=o.notes, seized=o.seized,
                docs=(r.article.id,), evidence=(ev,)))
        for q in r.quotes:
            ev = make_evidence(r, q.start, q.end, q.sent, q.rule, q.confidence)
            quotes.append(QuoteFact(digest(q.text), q.text, mm(q.speaker) if q.speaker is not None else None, (r.article.id,), (ev,)))
    return tuple(sorted(ops, key=lambda o: o.key)), tuple(sorted(quotes, key=lambda q: q.key))
