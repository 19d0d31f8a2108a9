"""Per-article extraction: a spaCy Doc and its Article → one ArticleRecord.

:func:`extract` is the only entry point the pipeline calls; each family of
rules lives in its own module (entities, officials, operations, quotes) and
returns plain records.

The rule modules (and spaCy with them) are imported by the first call: the
corpus-level stages import a few constants from :mod:`kg.extract.operations`
and never parse, so a build whose articles all come from the cache does not
pay for importing spaCy.
"""
from __future__ import annotations

from ..model import Article, ArticleRecord


def extract(doc, article: Article) -> ArticleRecord:
    """Run every rule family over ``doc`` (the parsed ``article.text``)."""
    from ..dedupe import signature
    from . import entities, officials, operations, quotes
    from .common import SentenceIndex, share_text

    share_text(doc, article.text)
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    sent_of = SentenceIndex(sentences)
    mentions = entities.extract_mentions(doc, sent_of)
    mentions, roles = officials.extract_roles(doc, mentions, sent_of)
    mentions, ops = operations.extract_operations(doc, mentions, sent_of, article)
    qs = quotes.extract_quotes(doc, mentions, sent_of)
    return ArticleRecord(
        article=article,
        sentences=sentences,
        mentions=tuple(mentions),
        roles=tuple(roles),
        operations=tuple(ops),
        quotes=tuple(qs),
        minhash=signature(article.text),
        tokens=len(doc),
    )
