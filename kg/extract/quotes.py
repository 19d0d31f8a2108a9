"""Quotes (baseline: none)."""
from __future__ import annotations


def extract_quotes(doc, mentions, sent_of):
    return []
