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

The phrase matchers are given each sequence as the hashes of its tokens' strings, not
as a pattern ``Doc`` (``PhraseMatcher.add`` takes either; a pickled ``PhraseMatcher``
is restored that way), under one key per label, and the tokenizer's splits of the
phrase strings come from the per-user cache (:class:`Splits`). Tokenizing ~18,000
gazetteer forms, a pattern Doc per sequence and the ``Lexeme`` that
``PhraseMatcher.add`` makes of each key (one per gazetteer entry: ~9,000) had made
loading these rules take 0.9 s in every process; now 0.3 s.

Matches are deduplicated and sorted as the ``span_ruler`` does; with a
``spans_key`` they go to ``doc.spans[spans_key]`` through spaCy's
first-longest filter (the ``span_ruler``'s ``overwrite=True``), with an
``ents_filter`` they are merged into ``doc.ents`` by that filter.
"""
from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Sequence

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import usercache

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


def _hashes(strings, words: Sequence[str], lower: bool) -> list[int]:
    """A phrase pattern as a ``PhraseMatcher`` keeps it: the hashes of its tokens' ``LOWER`` (or ``ORTH``) strings."""
    return [strings.add(w.lower() if lower else w) for w in words]


class Splits:
    """The tokenizer's split of phrase strings (``"Mosul Dam"`` → ``("Mosul", "Dam")``), kept in the
    per-user cache (:mod:`kg.usercache`) under a hash of the spaCy version and the tokenizer's rules,
    so a process that saw the same strings before tokenizes none of them.

    :meth:`save` stores the splits this object was asked for (only those: the stored set follows the
    patterns as they change, it does not grow).
    """

    NAME = "phrase-splits"

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        h = hashlib.sha256(spacy.__version__.encode() + b"\0")
        h.update(tokenizer.to_bytes(exclude=["vocab"]))
        self.key = h.hexdigest()
        self._stored: dict[str, tuple[str, ...]] = usercache.load(self.NAME, self.key) or {}
        self._used: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> tuple[str, ...]:
        words = self._used.get(text)
        if words is None:
            words = self._stored.get(text)
            if words is None:
                words = tuple(t.text for t in self.tokenizer(text))
            self._used[text] = words
        return words

    def many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """:meth:`__call__` of each text (the ones not known yet through ``tokenizer.pipe``)."""
        new = [t for t in dict.fromkeys(texts) if t not in self._used and t not in self._stored]
        for text, doc in zip(new, self.tokenizer.pipe(new)):
            self._used[text] = tuple(t.text for t in doc)
        return [self(t) for t in texts]

    def save(self) -> None:
        """Store the splits asked for, when they differ from the stored ones."""
        if self._used != self._stored:
            usercache.store(self.NAME, self.key, dict(self._used))
            self._stored = dict(self._used)


class SpanRules:
    """Span rules: phrase strings and token patterns with a label and an id, matched as a ``span_ruler`` would."""

    def __init__(self, nlp: Language, spans_key: str | None = None, ents_filter: Callable | None = None):
        self.nlp = nlp
        self.spans_key = spans_key
        self.ents_filter = ents_filter
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.phrases = {a: PhraseMatcher(nlp.vocab, attr=a) for a in PHRASE_ATTRS}
        self.labels: dict[int, tuple[str, str | None]] = {}  #: match key → (label, id); a phrase key's id: None
        self._ids: dict[tuple[int, tuple[int, ...]], list[str]] = {}  #: (phrase key, sequence's hashes) → ids

    def add_patterns(self, patterns: Iterable[dict], splits: Splits | None = None) -> None:
        """Add ``span_ruler`` patterns: ``{"label", "pattern", "id"?}``, the pattern a string or a token pattern.

        Phrase strings are tokenized by the pipeline's tokenizer (through ``splits`` when given)
        and matched on ``LOWER``.
        """
        vocab = self.nlp.vocab.strings
        phrases: dict[tuple[str, str], list[str]] = {}  #: (label, id) → its phrase strings
        sequences_of: dict[tuple[str, str], list[list[int]]] = {}  #: (attr, label) → hashed sequences
        for entry in patterns:
            label, pid, pattern = entry["label"], entry.get("id", ""), entry["pattern"]
            if isinstance(pattern, str):
                phrases.setdefault((label, pid), []).append(pattern)
                continue
            compiled = sequences(pattern)
            if compiled is None:
                key = repr((label, pid))
                self.labels[vocab.add(key)] = (label, pid)
                self.matcher.add(key, [pattern])
            else:
                attr, seqs = compiled
                self._add_phrases(attr, label, pid, [_hashes(vocab, s, attr == "LOWER") for s in seqs], sequences_of)
        split = splits or Splits(self.nlp.tokenizer)
        words = iter(split.many([t for texts in phrases.values() for t in texts]))
        for (label, pid), texts in phrases.items():
            self._add_phrases("LOWER", label, pid, [_hashes(vocab, next(words), True) for _ in texts], sequences_of)
        for (attr, label), seqs in sequences_of.items():
            self.phrases[attr].add(self._phrase_key(attr, label), seqs)
        if splits is None:
            split.save()

    def _phrase_key(self, attr: str, label: str) -> str:
        return f"kg_span_ruler {attr} {label}"

    def _add_phrases(self, attr: str, label: str, pid: str, seqs: list[list[int]], sequences_of: dict) -> None:
        # One phrase-matcher key per label (PhraseMatcher.add makes a Lexeme of each key: one per
        # gazetteer entry would be ~9,000); a match's ids are found from its tokens' hashes.
        key = self.nlp.vocab.strings.add(self._phrase_key(attr, label))
        self.labels[key] = (label, None)
        for seq in seqs:
            if seq:
                ids = self._ids.setdefault((key, tuple(seq)), [])
                if pid not in ids:
                    ids.append(pid)
        sequences_of.setdefault((attr, label), []).extend(seqs)

    def match(self, doc: Doc) -> list[Span]:
        """Distinct non-empty matches, sorted (as ``SpanRuler.match``)."""
        found = set(self.matcher(doc)) if len(self.matcher) else set()
        spans = set()
        for attr, pm in self.phrases.items():
            if len(pm):
                hits = pm(doc)
                if hits:
                    col = doc.to_array(attr).tolist()
                    for key, start, end in hits:
                        label = self.labels[key][0]
                        for pid in self._ids[key, tuple(col[start:end])]:
                            spans.add(Span(doc, start, end, label=label, span_id=pid))
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
