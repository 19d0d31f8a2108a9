"""spaCy's ``attribute_ruler``, evaluated with numpy: the same patterns, the same result, ~20× less time.

The trained English pipelines map fine-grained tags to ``pos_``/``morph`` (and fix
a few lemmas and dependency labels) with an :class:`spacy.pipeline.AttributeRuler`
of ~180 pattern groups. It runs them through spaCy's token ``Matcher``, which
tests every pattern against every token in Python-level predicate calls: in
``en_core_web_sm`` that is ~20 ms per 700-token article, about a sixth of the
whole model's time.

Every pattern in those pipelines is a fixed-length sequence of single tokens
tested on token attributes (``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``…) by
equality, ``IN``, ``NOT_IN`` or ``REGEX``. Such a pattern matches at token ``i``
exactly when each of its token specs holds at ``i + j``, which is a few
vectorised comparisons over the Doc's attribute columns (``Doc.to_array``).
:class:`VectorAttributeRuler` compiles the stock ruler's own patterns (read from
the loaded component, so it follows the model) into such comparisons and writes
the result back with ``Doc.from_array``, reproducing the stock semantics:

- every match is found on the Doc as it was before any attribute is written;
- matches are applied in the order the groups were added (spaCy sorts them by
  the group's ordinal), so a later group's value wins on a token;
- the attributes written are the ruler's normalised values (hashes, the
  canonical ``MORPH``), on the token at the group's ``index`` in the match.

:func:`replace_attribute_ruler` swaps it in for a pipeline's ``attribute_ruler``
only when every pattern and attribute is of a kind compiled here; otherwise the
stock component stays (a model with other patterns loses speed, not
correctness). ``tests/test_attrruler.py`` holds it to the stock component on
hand-built Docs (hypothesis) and on the seeds.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id

NAME = "kg_attribute_ruler"
#: Token-level attributes the ruler may write (set_struct_attr on the token; no lexeme attribute).
WRITABLE = frozenset({POS, TAG, DEP, LEMMA, MORPH})
#: Token attributes a pattern may test; each is one ``Doc.to_array`` column.
TESTABLE = frozenset(IDS[a] for a in ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE",
                                       "IS_SPACE", "IS_ALPHA", "IS_DIGIT", "IS_PUNCT", "IS_TITLE", "IS_UPPER",
                                       "IS_LOWER", "LIKE_NUM"))
_ALIASES = {"TEXT": "ORTH"}


class Unsupported(ValueError):
    """A pattern or attribute this module does not compile (the stock ruler stays)."""


# A predicate: (column index, kind, value) with kind "eq" (int), "in"/"not_in" (int array), "regex" (compiled).
Predicate = tuple[int, str, object]


def _attr_id(name) -> int:
    if isinstance(name, int):
        attr = name
    elif isinstance(name, str):
        attr = IDS.get(_ALIASES.get(name.upper(), name.upper()))
    else:
        attr = None
    if attr not in TESTABLE:
        raise Unsupported(f"pattern attribute {name!r}")
    return attr


def _token_predicates(spec: dict, strings, column: Callable[[int], int]) -> list[Predicate]:
    """The predicates of one token spec, as the Matcher reads them (``_get_attr_values``/``_SetPredicate``)."""
    if not isinstance(spec, dict) or "OP" in spec or "_" in spec:
        raise Unsupported(f"token spec {spec!r}")
    preds: list[Predicate] = []
    for name, value in spec.items():
        col = column(_attr_id(name))
        if isinstance(value, bool):
            preds.append((col, "eq", int(value)))
        elif isinstance(value, int) and value >= 0:
            preds.append((col, "eq", value))
        elif isinstance(value, str):
            preds.append((col, "eq", strings.add(value)))
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)) and all(isinstance(v, (str, int)) for v in arg):
                ids = np.array(sorted({get_string_id(v) for v in arg}), dtype=np.uint64)
                preds.append((col, op.lower(), ids))
            elif op == "REGEX" and isinstance(arg, str):
                preds.append((col, "regex", re.compile(arg)))
            else:
                raise Unsupported(f"predicate {value!r}")
        else:
            raise Unsupported(f"value {value!r}")
    return preds


def _needs(pattern: list[list[Predicate]]) -> list[tuple[int, frozenset]]:
    """(column, values) pairs: the pattern can only match a Doc having one of ``values`` in ``column``.

    A cheap pre-check: most groups test a word or tag that a given Doc does not have at all.
    """
    out = []
    for preds in pattern:
        for col, kind, arg in preds:
            if kind == "eq":
                out.append((col, frozenset((arg,))))
            elif kind == "in":
                out.append((col, frozenset(arg.tolist())))
    return out


class VectorAttributeRuler:
    """A pipeline component equal in effect to the :class:`~spacy.pipeline.AttributeRuler` it is compiled from."""

    def __init__(self, vocab, patterns: Sequence[Sequence[Sequence[dict]]], attrs: Sequence[dict], indices: Sequence[int]):
        self.vocab = vocab
        self.columns: list[int] = []
        where: dict[int, int] = {}

        def column(attr: int) -> int:
            if attr not in where:
                where[attr] = len(self.columns)
                self.columns.append(attr)
            return where[attr]

        #: per group: (its patterns, each (what it needs present, per-token predicate lists); index; [(write column, value)])
        self.groups: list[tuple[list[tuple[list, list[list[Predicate]]]], int, list[tuple[int, int]]]] = []
        self.write_columns: list[int] = []
        for group, attr, index in zip(patterns, attrs, indices):
            pats = [[_token_predicates(spec, vocab.strings, column) for spec in pat] for pat in group]
            if any(not p for p in pats):
                raise Unsupported("empty pattern")
            pats = [(_needs(p), p) for p in pats]
            for _, p in pats:
                if not -len(p) <= index < len(p):
                    raise Unsupported(f"index {index} outside a pattern of {len(p)} tokens")
            writes = []
            for a, v in attr.items():
                if a not in WRITABLE:
                    raise Unsupported(f"attribute {a!r} written")
                if a not in self.write_columns:
                    self.write_columns.append(a)
                writes.append((self.write_columns.index(a), int(v)))
            self.groups.append((pats, index, writes))
        #: per regex predicate: hash of the string → whether it matches (strings are immutable; bounded by the vocab)
        self._regex_memo: dict[int, dict[int, bool]] = {}

    @classmethod
    def from_ruler(cls, ruler) -> VectorAttributeRuler:
        """Compile a loaded :class:`~spacy.pipeline.AttributeRuler` (its patterns, normalised attrs and indices)."""
        groups = [ruler.matcher.get(str(i))[1] for i in range(len(ruler.attrs))]
        return cls(ruler.vocab, groups, ruler.attrs, ruler.indices)

    def _mask(self, pred: Predicate, values: np.ndarray, cache: dict) -> np.ndarray:
        key = (pred[0], pred[1], id(pred[2]) if not isinstance(pred[2], int) else pred[2])
        hit = cache.get(key)
        if hit is not None:
            return hit
        col, kind, arg = pred
        v = values[:, col]
        if kind == "eq":
            m = v == np.uint64(arg)
        elif kind == "in":
            m = np.isin(v, arg)
        elif kind == "not_in":
            m = ~np.isin(v, arg)
        else:  # regex on the attribute's string, memoised per distinct value
            memo = self._regex_memo.setdefault(id(arg), {})
            strings = self.vocab.strings
            uniq, inverse = np.unique(v, return_inverse=True)
            ok = np.empty(len(uniq), dtype=bool)
            for i, h in enumerate(uniq.tolist()):
                r = memo.get(h)
                if r is None:
                    r = memo[h] = bool(arg.search(strings[h] if h else ""))
                ok[i] = r
            m = ok[inverse]
        cache[key] = m
        return m

    def __call__(self, doc):
        n = len(doc)
        if n == 0 or not self.write_columns:
            return doc
        values = doc.to_array(self.columns)
        if values.ndim == 1:
            values = values.reshape(n, 1)
        before = doc.to_array(self.write_columns)
        if before.ndim == 1:
            before = before.reshape(n, 1)
        after = before.copy()
        cache: dict = {}
        present = [set(np.unique(values[:, c]).tolist()) for c in range(values.shape[1])]
        for pats, index, writes in self.groups:
            targets = None
            for needs, pat in pats:
                length = len(pat)
                if length > n or any(present[c].isdisjoint(vals) for c, vals in needs):
                    continue  # a value the pattern requires is nowhere in the Doc
                span = n - length + 1
                hit = None
                for j, preds in enumerate(pat):
                    for pred in preds:
                        m = self._mask(pred, values, cache)[j:j + span]
                        hit = m if hit is None else hit & m
                starts = np.flatnonzero(hit)
                if starts.size:
                    t = starts + (index if index >= 0 else length + index)
                    targets = t if targets is None else np.union1d(targets, t)
            if targets is not None:
                for col, value in writes:
                    after[targets, col] = value
        changed = [i for i in range(after.shape[1]) if not np.array_equal(after[:, i], before[:, i])]
        if changed:
            doc.from_array([self.write_columns[i] for i in changed], after[:, changed])
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)


@Language.factory(NAME)
def make_vector_attribute_ruler(nlp, name: str, source: str = "attribute_ruler"):
    """Factory: compile the pipeline's ``source`` attribute ruler (it must already be in the pipeline)."""
    return VectorAttributeRuler.from_ruler(nlp.get_pipe(source))


def replace_attribute_ruler(nlp, name: str = "attribute_ruler") -> bool:
    """Put a :class:`VectorAttributeRuler` where ``nlp``'s ``name`` component is; False (and no change) when it cannot."""
    if name not in nlp.pipe_names or NAME in nlp.pipe_names:
        return False
    try:
        VectorAttributeRuler.from_ruler(nlp.get_pipe(name))
    except (Unsupported, AttributeError, KeyError, TypeError):
        return False
    nlp.add_pipe(NAME, before=name, config={"source": name})
    nlp.remove_pipe(name)
    return True
