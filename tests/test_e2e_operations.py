"""Operations and quotes of the seed articles, end to end on the real model (loaded once)."""
from __future__ import annotations

import pytest

from .conftest import SEEDS


@pytest.fixture(scope="module")
def kb():
    from kg.ingest import iter_articles
    from kg.pipeline import assemble, map_articles

    return assemble(list(map_articles(iter_articles([str(SEEDS)]))))


def _files(kb, op):
    by_id = {d.article.id: d.article.source_file for d in kb.documents}
    return sorted(by_id[d] for d in op.docs)


def _labels(kb):
    return {e.ref: e.label for e in kb.entities}


def test_federal_police_operation_is_one_node_with_two_sources(kb):
    labels = _labels(kb)
    ops = [o for o in kb.operations if any(labels[a] == "Federal Police" for a in o.conducted_by)]
    assert len(ops) == 1
    [op] = ops
    assert op.killed == 15
    assert "ISIS" in {labels[t] for t in op.targeted}
    assert _files(kb, op) == ["000_25240327df0f3b13.txt", "001_a24904526fcae996.txt"]
    assert {e.doc for e in op.evidence} == set(op.docs)  # evidence from both documents


def test_balkana_ambush(kb):
    [op] = [o for o in kb.operations if o.date and o.date.endswith("06-29")]
    assert op.kind == "ambush" and op.killed == 3 and op.arrested == 2
    assert op.date_type in ("gMonthDay", "date")
    assert op.seized


def test_mattis_quotes(kb):
    labels = _labels(kb)
    mattis = [q for q in kb.quotes if q.speaker and labels.get(q.speaker, "").endswith("Mattis")]
    assert len(mattis) >= 2
    assert all(len(q.docs) == 2 for q in mattis)  # the near-duplicate article repeats them


def test_generic_statements_are_not_operations(kb):
    for op in kb.operations:
        for ev in op.evidence:
            assert "regularly announce" not in ev.sentence
            if not ev.rule.endswith(":sentence"):  # trigger evidence, not a whole contributing sentence
                assert "operational" not in ev.text.lower()


def test_every_operation_and_quote_has_evidence(kb):
    assert kb.operations and kb.quotes
    for x in (*kb.operations, *kb.quotes):
        assert x.evidence and {e.doc for e in x.evidence} == set(x.docs)
    assert len({o.key for o in kb.operations}) == len(kb.operations)
