"""``kg_span_ruler``: spaCy's ``span_ruler`` with fixed token sequences matched by phrase matchers.

spaCy's ``Matcher`` tries every token pattern at every token of a Doc, so its
cost grows with the number of patterns (about 0.1–0.2 µs per pattern per token
here, more with ``IN`` sets): the ~200 token patterns of the rank, honorific and
acronym rules cost as much as the statistical parser. A ``PhraseMatcher`` costs
one hash lookup per token whatever its number of patterns. This component takes
the same patterns as a ``span_ruler`` (phrase strings and token patterns) and
gives the same matches, but compiles every token pattern that only matches a
finite set of exact strings on one attribute (``LOWER`` or ``ORTH``, with ``IN``
sets and optional ``?`` tokens) into phrase patterns, one per token sequence it
matches (:func:`sequences`). Only the other token patterns (regexes, flags,
``*``/``+``) go to a ``Matcher``.

Matches are deduplicated and sorted as the ``span_ruler`` does; with a
``spans_key`` they go to ``doc.spans[spans_key]`` through spaCy's
first-longest filter (the ``span_ruler``'s ``overwrite=True``), with an
``ents_filter`` they are merged into ``doc.ents`` by that filter.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

#: Attributes a token pattern may test to be compiled into phrase patterns.
PHRASE_ATTRS = ("LOWER", "ORTH")
#: Token patterns matching more token sequences than this stay in the ``Matcher``.
MAX_SEQUENCES = 4096


def _caseless(s: str) -> bool:
    """``ORTH`` and ``LOWER`` tests of ``s`` accept the same tokens (no cased characters: ``.``, ``-``)."""
    return s.lower() == s and s.upper() == s


def sequences(pattern: list[dict], limit: int = MAX_SEQUENCES) -> tuple[str, list[tuple[str, ...]]] | None:
    """``(attr, token sequences)`` matched by a token pattern, or None if it is not a small finite set of exact strings.

    Each token may test one of ``ORTH``/``TEXT``/``LOWER`` for a string or an ``IN``
    list, and may be optional (``"OP": "?"``). ``ORTH`` tests of strings without
    case count as ``LOWER`` tests. Sequences a ``LOWER`` test can never accept
    (an upper-case letter) are left out; empty sequences too (the ``span_ruler``
    drops empty matches).

    >>> sequences([{"LOWER": {"IN": ["gen", "gen."]}}, {"ORTH": ".", "OP": "?"}])
    ('LOWER', [('gen',), ('gen', '.'), ('gen.',), ('gen.', '.')])
    >>> sequences([{"ORTH": "IS"}, {"ORTH": "-"}, {"ORTH": "K"}])
    ('ORTH', [('IS', '-', 'K')])
    >>> sequences([{"IS_TITLE": True}]) is None
    True
    """
    tests: list[tuple[str, list[str], bool]] = []
    for tok in pattern:
        keys = set(tok) - {"OP"}
        op = tok.get("OP")
        if len(keys) != 1 or op not in (None, "?"):
            return None
        key = next(iter(keys))
        attr = {"TEXT": "ORTH"}.get(key.upper(), key.upper())
        value = tok[key]
        if isinstance(value, dict) and set(value) == {"IN"}:
            value = value["IN"]
        values = [value] if isinstance(value, str) else value
        if attr not in PHRASE_ATTRS or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        tests.append((attr, values, op == "?"))
    attrs = {a for a, values, _ in tests if not (a == "ORTH" and all(map(_caseless, values)))}
    if len(attrs) > 1:
        return None
    attr = attrs.pop() if attrs else "LOWER"
    choices = []
    for a, values, optional in tests:
        if attr == "LOWER":
            values = [v for v in values if v == v.lower()]  # a LOWER test never sees an upper-case letter
        choices.append(([None] if optional else []) + list(dict.fromkeys(values)))
    count = 1
    for c in choices:
        count *= len(c)
    if count > limit:
        return None
    seqs = {tuple(v for v in combo if v is not None) for combo in itertools.product(*choices)}
    return attr, sorted(s for s in seqs if s)


class SpanRules:
    """Span rules: phrase strings and token patterns with a label and an id, matched as a ``span_ruler`` would."""

    def __init__(self, nlp: Language, spans_key: str | None = None, ents_filter: Callable | None = None):
        self.nlp = nlp
        self.spans_key = spans_key
        self.ents_filter = ents_filter
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.phrases = {a: PhraseMatcher(nlp.vocab, attr=a) for a in PHRASE_ATTRS}
        self.labels: dict[int, tuple[str, str]] = {}  #: match key → (label, id)

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        """Add ``span_ruler`` patterns: ``{"label", "pattern", "id"?}``, the pattern a string or a token pattern.

        Phrase strings are tokenized by the pipeline's tokenizer and matched on ``LOWER``.
        """
        strings: dict[str, list[str]] = {}
        for entry in patterns:
            label, pid, pattern = entry["label"], entry.get("id", ""), entry["pattern"]
            key = repr((label, pid))
            self.labels[self.nlp.vocab.strings.add(key)] = (label, pid)
            if isinstance(pattern, str):
                strings.setdefault(key, []).append(pattern)
                continue
            compiled = sequences(pattern)
            if compiled is None:
                self.matcher.add(key, [pattern])
            else:
                attr, seqs = compiled
                self.phrases[attr].add(key, [Doc(self.nlp.vocab, words=list(s)) for s in seqs])
        for key, texts in strings.items():
            self.phrases["LOWER"].add(key, list(self.nlp.tokenizer.pipe(texts)))

    def match(self, doc: Doc) -> list[Span]:
        """Distinct non-empty matches, sorted (as ``SpanRuler.match``)."""
        found = set(self.matcher(doc)) if len(self.matcher) else set()
        for pm in self.phrases.values():
            if len(pm):
                found.update(pm(doc))
        spans = set()
        for key, start, end in found:
            if start != end:
                label, pid = self.labels[key]
                spans.add(Span(doc, start, end, label=label, span_id=pid))
        return sorted(spans)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        if self.spans_key:
            doc.spans[self.spans_key] = filter_spans(matches)
        if self.ents_filter is not None:
            doc.ents = sorted(self.ents_filter(list(doc.ents), matches))
        return doc


@Language.factory("kg_span_ruler", default_config={"spans_key": None, "ents_filter": None})
def make_span_rules(nlp: Language, name: str, spans_key, ents_filter) -> SpanRules:
    """Factory of :class:`SpanRules` (``nlp.add_pipe("kg_span_ruler", config=…)``; patterns are added afterwards)."""
    return SpanRules(nlp, spans_key, ents_filter)
