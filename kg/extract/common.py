"""Small helpers shared by the extractors."""
from __future__ import annotations

from bisect import bisect_right

#: ``doc.user_data`` key of the Doc's text (see :func:`doc_text`).
TEXT_KEY = "kg.text"


def share_text(doc, text: str) -> None:
    """Let :func:`doc_text` return ``text``, the string ``doc`` was parsed from, without rebuilding it.

    Checked cheaply: the last token must end where ``text`` ends.
    """
    n = len(doc)
    if n and len(text) == doc[n - 1].idx + len(doc[n - 1].text_with_ws):
        doc.user_data[TEXT_KEY] = text


def doc_text(doc) -> str:
    """``doc.text``, built at most once per Doc (spaCy joins every token's text on each access).

    >>> import spacy
    >>> doc = spacy.blank("en")("Mosul, Iraq")
    >>> doc_text(doc) == doc.text and doc.user_data[TEXT_KEY] == "Mosul, Iraq"
    True
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class SentenceIndex:
    """Map character offsets to sentence indices.

    >>> si = SentenceIndex([(0, 10), (11, 20)])
    >>> si(0), si(12), si(25)
    (0, 1, 1)
    """

    def __init__(self, sentences):
        self.sentences = tuple(sentences)
        self._starts = [s for s, _ in self.sentences]

    def __call__(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)
