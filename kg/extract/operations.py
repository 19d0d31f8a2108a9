"""Operations (baseline: none)."""
from __future__ import annotations


def extract_operations(doc, mentions, sent_of, article):
    return mentions, []
