"""Direct quotations and who said them.

Quotation spans are found on the text (curly ``“…”`` and straight ``"…"``
marks, one paragraph at a time; a quotation may span sentences; an unclosed
curly quotation runs to the end of its paragraph). Quoted stretches of fewer
than ``min_words`` words are scare quotes or names (``"frailty"``) and are
skipped.

The speaker is the subject of a speech verb next to the quotation, in this
order:

1. after the closing mark (``“…,” Mattis said`` / ``"…," said Maj. Gen. X``);
2. before the opening mark in the same sentence (``X told Asharq Al-Awsat that the “…”``);
3. a quotation with no attribution continues the previous quotation's
   speaker when that one ended within the last sentences.

A pronoun subject (``he added``) points at the most recent *named* speaker
before it (the subject of an earlier speech verb or quotation), else at the
last person named. Speakers are Person/Official mentions; an Organization
(``the SMC statement said``) is accepted with a lower confidence.

Vocabulary: ``kg/data/quotes_verbs.json``.
"""
from __future__ import annotations

import functools
import json
import re
from bisect import bisect_left, bisect_right
from importlib import resources

import numpy as np
from spacy.attrs import IDX, LOWER
from spacy.strings import hash_string

from ..model import Quote
from .common import doc_text

RULE = "quotes"
PEOPLE = ("Official", "Person")
_MARKS = re.compile(r'[\n“”"]')
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    d = json.loads(resources.files("kg").joinpath("data/quotes_verbs.json").read_text("utf-8"))
    d["speech_verbs"] = frozenset(d["speech_verbs"])
    d["hashes"] = np.array(sorted(hash_string(w) for w in d["speech_verbs"]), dtype=np.uint64)
    d["pronouns"] = frozenset(d["pronouns"])
    return d


def quote_spans(text: str) -> list[tuple[int, int]]:
    """``(open, close)`` offsets of the quotation marks of each quotation in ``text``.

    >>> t = 'He said "we will win," and left. “Not yet”, she said.'
    >>> [t[a + 1:b] for a, b in quote_spans(t)]
    ['we will win,', 'Not yet']
    >>> quote_spans('“An unclosed quote\\nNext paragraph')
    [(0, 18)]
    """
    spans: list[tuple[int, int]] = []
    open_at, curly = None, False
    for m in _MARKS.finditer(text):  # only the marks and line breaks, not every character
        i, ch = m.start(), m.group()
        if ch == "\n":
            if open_at is not None and curly:
                spans.append((open_at, i))
            open_at = None
        elif ch == "“":
            open_at, curly = i, True
        elif ch == "”":
            if open_at is not None:
                spans.append((open_at, i))
                open_at = None
        elif open_at is None:
            open_at, curly = i, False
        else:
            spans.append((open_at, i))
            open_at = None
    return spans


def _words(s: str) -> int:
    return len(_WORD.findall(s))


_LOWER_OK = {"of", "and", "the", "al", "for", "in", "on", "de", "el", "bin", "wal", "&"}


def is_name(s: str) -> bool:
    """A quoted proper name (``"Islamic State of Iraq and Syria"``) rather than a quotation.

    >>> is_name("Islamic State of Iraq and Syria"), is_name("The war is not over")
    (True, False)
    """
    words = _WORD.findall(s)
    return bool(words) and not re.search(r"[.!?]\s*$", s) and all(
        w[0].isupper() or w.lower() in _LOWER_OK or w[0].isdigit() for w in words)


class _Doc:
    """Char → token lookups and speaker bookkeeping for one Doc."""

    def __init__(self, doc, mentions, sent_of, text: str):
        self.doc, self.mentions, self.sent_of, self.text = doc, mentions, sent_of, text
        self.starts = doc.to_array(IDX).tolist() if len(doc) else []
        self.tok_m: list[int | None] = [None] * len(doc)
        for i, m in enumerate(mentions):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for t in range(span.start, span.end):
                    if self.tok_m[t] is None or self._better(i, self.tok_m[t]):
                        self.tok_m[t] = i
        self.people = sorted((m.start, i) for i, m in enumerate(mentions) if m.type in PEOPLE)
        self.named: list[tuple[int, int]] = []  #: (char offset, mention) of named speakers, in text order
        lx = lexicon()
        verbs = np.flatnonzero(np.isin(doc.to_array(LOWER), lx["hashes"])).tolist() if len(doc) else []
        for t in (doc[i] for i in verbs):  # Token objects only for speech verbs
            for c in t.children:
                if c.dep_ == "nsubj":
                    mi = self.person_in(c)
                    if mi is not None:
                        self.named.append((c.idx, mi))
        self.named.sort()
        self._named_pos = [p for p, _ in self.named]

    def _better(self, i: int, j: int) -> bool:
        a, b = self.mentions[i], self.mentions[j]
        return (a.type in PEOPLE, len(a.text)) > (b.type in PEOPLE, len(b.text))

    def token_at(self, offset: int):
        k = bisect_right(self.starts, offset) - 1
        return self.doc[max(k, 0)] if len(self.doc) else None

    def token_after(self, offset: int) -> int:
        return bisect_left(self.starts, offset)

    def person_in(self, tok, types=PEOPLE) -> int | None:
        """The person mention heading ``tok``'s phrase (the last one: ``media director Maj. Gen. Tahseen al-Khafaji``)."""
        mi = self.tok_m[tok.i]
        if mi is not None and self.mentions[mi].type in types:
            return mi
        best = None
        for t in tok.subtree:
            if t.dep_ in ("relcl", "acl", "appos") and t.i != tok.i:
                continue
            mi = self.tok_m[t.i]
            if mi is not None and self.mentions[mi].type in types:
                best = mi
        if best is None and types == PEOPLE and tok.pos_ == "PROPN":
            best = self.by_surname(tok)
        return best

    def by_surname(self, tok) -> int | None:
        """An earlier person mention ending in ``tok``'s name (``Mattis`` → ``James Mattis``) when NER missed this one."""
        name = tok.text.lower()
        for start, i in reversed(self.people):
            words = self.mentions[i].text.lower().replace("-", " ").split()
            if start < tok.idx and words and (words[-1] == name or words[-1] == name.replace("al-", "")):
                return i
        return None

    def resolve_pronoun(self, offset: int) -> int | None:
        k = bisect_left(self._named_pos, offset) - 1
        if k >= 0:
            return self.named[k][1]
        k = bisect_left(self.people, (offset, -1)) - 1
        return self.people[k][1] if k >= 0 else None


def _speaker_of_verb(d: _Doc, v) -> tuple[int | None, float]:
    """``(mention, confidence)`` of the subject of speech verb ``v``."""
    lx = lexicon()
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            if s.lower_ in lx["pronouns"]:
                return d.resolve_pronoun(s.idx), 0.7
            mi = d.person_in(s)
            if mi is not None:
                return mi, 0.9
            mi = d.person_in(s, ("Organization",))
            return (mi, 0.6) if mi is not None else (None, 0.0)
        if v.dep_ in ("advcl", "conj", "xcomp") and v.head.i != v.i:  # "he added, noting that …"
            v = v.head
            continue
        break
    return None, 0.0


def _after(d: _Doc, close: int, sent_end: int):
    """The speech verb right after a closing mark (``,” Mattis said``)."""
    lx = lexicon()
    i = d.token_after(close + 1)
    for t in d.doc[i:i + lx["window"]]:
        if "\n" in t.text or t.text in ('"', "“", "”"):
            break
        if t.lower_ in lx["speech_verbs"] and t.pos_ in ("VERB", "AUX", ""):
            return t
        if t.is_sent_start and t.idx > sent_end and t.pos_ not in ("PROPN", "PRON", "NOUN"):
            break
    return None


def _before(d: _Doc, open_: int, sent_start: int):
    """The speech verb before an opening mark in the same sentence (``X said that “…``)."""
    lx = lexicon()
    i = d.token_after(open_)
    cands = [t for t in d.doc[max(0, i - 40):i] if t.idx >= sent_start and t.lower_ in lx["speech_verbs"] and t.pos_ in ("VERB", "AUX", "")]
    return cands[-1] if cands else None


def _in_sentence(d: _Doc, open_: int, close: int, spans):
    """A speech verb elsewhere in the quotation's sentence and paragraph, outside quotation marks
    (``"…" and "…" of ISIS, said X``)."""
    lx = lexicon()
    if not d.sent_of.sentences:
        return None
    text = d.text
    s, e = d.sent_of.sentences[d.sent_of(close)]
    s = max(s, d.sent_of.sentences[d.sent_of(open_)][0], text.rfind("\n", 0, open_) + 1)
    nl = text.find("\n", close)
    e = min(e, nl if nl >= 0 else len(text))
    inside = [(a, b) for a, b in spans if a < e and b > s]
    for t in d.doc[d.token_after(s):d.token_after(e)]:
        if t.lower_ in lx["speech_verbs"] and t.pos_ in ("VERB", "AUX", "") and not any(a < t.idx < b for a, b in inside):
            return t
    return None


def extract_quotes(doc, mentions, sent_of) -> list[Quote]:
    """Direct quotations in ``doc`` with their speakers (mention indices)."""
    lx = lexicon()
    text = doc_text(doc)
    spans = quote_spans(text)
    if not spans:
        return []
    d = _Doc(doc, mentions, sent_of, text)
    out: list[Quote] = []
    prev: Quote | None = None
    for open_, close in spans:
        inner = text[open_ + 1:close]
        lead = len(inner) - len(inner.lstrip())
        body = inner.strip().rstrip(",").rstrip()
        if _words(body) < lx["min_words"] or is_name(body):
            continue
        start = open_ + 1 + lead
        end = start + len(body)
        sent = sent_of(start)
        s_start, s_end = sent_of.sentences[sent] if sent_of.sentences else (0, len(text))
        speaker, conf, rule = None, 0.0, ""
        for name, find in (("after", lambda: _after(d, close, s_end)), ("before", lambda: _before(d, open_, s_start)),
                           ("sentence", lambda: _in_sentence(d, open_, close, spans))):
            v = find()
            if v is not None:
                speaker, conf = _speaker_of_verb(d, v)
                rule = name
                break
        if not rule and prev is not None and prev.speaker is not None and \
                sent - sent_of(prev.end) <= lx["continuation_sentences"]:
            speaker, conf, rule = prev.speaker, 0.6, "continuation"
        if speaker is not None and mentions[speaker].type in PEOPLE:
            d.named.append((start, speaker))
            d.named.sort()
            d._named_pos = [p for p, _ in d.named]
        q = Quote(body, start, end, sent, speaker, f"{RULE}:{rule or 'unattributed'}", round(conf or 0.5, 2))
        out.append(q)
        prev = q
    return out
