"""Small helpers shared by the extractors."""
from __future__ import annotations

from bisect import bisect_right


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
