"""Officials: people the text gives a public post, with title, rank and organisation.

Titles, ranks, honorifics and descriptors are data (``kg/data/titles.json``,
``kg/data/ranks.json``); the ``kg_roles`` span ruler of
:mod:`kg.extract.entities` marks them in ``doc.spans["kg_roles"]``. This module
reads, around every person mention, the short grammar news copy uses to
introduce an official:

* before the name — ``[ORG|country] TITLE [RANK] [honorific] NAME``
  (``CTS chief Lt. Gen. Karim al-Tamimi``, ``US Defense Secretary James
  Mattis``, ``Ministry of Defense media director Maj. Gen. Tahseen
  al-Khafaji``) and ``TITLE for|of|in [the] … ORG [RANK] NAME``
  (``Spokesman for the Iraqi Interior Ministry Brigadier General Saad Maan``,
  ``member of the security committee of the Anbar Provincial Council Na'im
  al-Ka'oud``);
* in apposition after the name — ``NAME, [the] [ORG] TITLE [of|for … ORG],``
  (``Saad Maan, spokesman for the Interior Ministry,``).

A person with a title or a rank becomes an ``Official`` and gets a
:class:`~kg.model.Role` (title, normalised rank, organisation mention). A title
that names its organisation only implicitly (``US Defense Secretary``) adds an
Organization mention for it (``US Department of Defense``, rule
``officials:implied-org``). People introduced as experts, analysts or
journalists stay ``Person`` with that ``descriptor``.
"""
from __future__ import annotations

import dataclasses
import functools
from collections import Counter

from .. import gazetteer
from ..model import Mention, Role
from .entities import ROLE_KEY, role_lexicon, role_span_ok

#: Words that may join a title to its organisation (``spokesman for the …``).
PREPS = frozenset({"for", "of", "in", "at", "to", "with", "within"})
DETS = frozenset({"the", "a", "an"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
MAX_CHAIN = 8  #: tokens between a title and the organisation closing its complement
CONF_ROLE = 0.85
#: Rule of an organisation mention a title implies; its surface text (the title) is not a name of it.
IMPLIED_ORG = "officials:implied-org"


@functools.lru_cache(maxsize=1)
def _title_info() -> dict[str, dict]:
    """Title (as normalised in the data) → its data entry; modifier forms map to the base title."""
    lex = role_lexicon()
    info = {}
    for t in lex["titles"]:
        info[t["title"]] = t
        for mod in lex["modifiers"]:
            info[f"{mod} {t['title']}"] = t
    return info


class _Doc:
    """Token-level index of one Doc's mentions and role spans."""

    def __init__(self, doc, mentions: list[Mention]):
        self.doc = doc
        self.roles_by_end: dict[int, object] = {}
        for s in doc.spans.get(ROLE_KEY, ()):
            if not role_span_ok(s):
                continue
            self.roles_by_end[s.end] = s
        self.roles_by_start = {s.start: s for s in self.roles_by_end.values()}
        self.tok: list[tuple[int, int] | None] = []
        self.by_end: dict[int, int] = {}
        self.by_start: dict[int, int] = {}
        for i, m in enumerate(mentions):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                self.tok.append(None)
                continue
            self.tok.append((span.start, span.end))
            self.by_end.setdefault(span.end, i)
            self.by_start.setdefault(span.start, i)


def extract_roles(doc, mentions: list[Mention], sent_of) -> tuple[list[Mention], list[Role]]:
    """Officials and descriptors for the person mentions of ``doc``.

    Returns the mentions (people with a post retyped ``Official``, experts with a
    ``descriptor``, implied organisations appended) and one Role per official
    statement.
    """
    mentions = list(mentions)
    idx = _Doc(doc, mentions)
    gaz = gazetteer.load()
    country = _article_country(mentions, gaz)
    roles: list[Role] = []
    for i in range(len(mentions)):
        m = mentions[i]
        if m.type not in ("Person", "Official") or idx.tok[i] is None:
            continue
        found = _before(idx, i, mentions, gaz)
        after = _after(idx, i, mentions, gaz) if found is None or found[0] == "rank" else None
        if found is None:
            found = after
        elif after is not None and after[0] != "descriptor":  # "Gen. Michael Langley, the head of AFRICOM,"
            found = ("apposition", after[1], found[2], after[3], (found[4][0], after[4][1]), after[5])
        if found is None:
            continue
        kind, title, rank, org, span, ctry = found
        if org is None and kind != "descriptor":  # "Lt. Col. Ali Hamid of the Kirkuk Operations Command"
            org, end = _org_after(idx, i, mentions)
            if org is not None:
                span = (span[0], max(span[1], end))
        if kind == "descriptor":
            mentions[i] = dataclasses.replace(m, descriptor=title)
            continue
        if org is None and title:
            default = (_title_info().get(title) or {}).get("country")
            org = _implied_org(title, ctry or default or country, gaz, span, mentions, doc, sent_of)
        start, end = span
        mentions[i] = dataclasses.replace(m, type="Official")
        roles.append(Role(person=i, org=org, title=title, rank=rank, start=start, end=end, sent=m.sent,
                          rule=f"officials:{kind}", confidence=CONF_ROLE))
    return mentions, roles


def _article_country(mentions: list[Mention], gaz) -> str | None:
    counts = Counter(c for m in mentions if m.gid for c in [gaz.country(m.gid)] if c)
    return counts.most_common(1)[0][0] if counts else None


def _country_of_token(tok, gaz) -> str | None:
    return gaz.demonym(tok.text)


def _before(idx: _Doc, i: int, mentions: list[Mention], gaz):
    """``[ORG|country] TITLE [of … ORG] [RANK] [honorific] NAME`` — the post before the name."""
    doc = idx.doc
    ps, pe = idx.tok[i]
    sent_start = doc[ps].sent.start
    j = ps
    rank = None
    for _ in range(3):  # honorific / rank / honorific in any order
        r = idx.roles_by_end.get(j)
        if r is None:
            break
        if r.start < sent_start:  # a sentence splitter may cut "Lt. | Gen."; the rank holds it together
            sent_start = doc[r.start].sent.start
        if r.label_ == "HONORIFIC":
            j = r.start
        elif r.label_ == "RANK" and rank is None:
            rank, j = _rank(r), r.start
        else:
            break
    if j > sent_start and doc[j - 1].text == "," and (j - 1) > sent_start:
        # "the spokesman of the Joint Operations Command, Tahsin al-Khafaji" (only with a title/org before the comma)
        if idx.roles_by_end.get(j - 1) is not None or idx.by_end.get(j - 1) is not None:
            j -= 1
    r = idx.roles_by_end.get(j)
    left = j
    if r is not None and r.start >= sent_start and r.label_ == "TITLE":
        title, left = r.id_, r.start
        org, ctry, left = _owner_before(idx, left, sent_start, mentions, gaz)
        return ("prefix", title, rank, org, (doc[left].idx, mentions[i].end), ctry)
    if r is not None and r.label_ == "DESCRIPTOR":
        return ("descriptor", _descriptor(doc, r, sent_start), None, None, None, None)
    # "TITLE for|of the … ORG NAME": walk back over the complement to its title
    orgs = []
    k = j
    steps = 0
    while k > sent_start and steps <= MAX_CHAIN:
        mi = idx.by_end.get(k)
        if mi is not None and mentions[mi].type in ("Organization", "Location") and idx.tok[mi][0] >= sent_start:
            if mentions[mi].type == "Organization":
                orgs.append(mi)
            k = idx.tok[mi][0]
            continue
        r = idx.roles_by_end.get(k)
        if r is not None and r.label_ == "TITLE" and k != j:
            if not orgs:
                return None
            org = orgs[-1]  # the organisation nearest the title: "member of the Committee in the parliament"
            r = _outer_title(idx, r, sent_start)  # "Spokesman for the Commander-in-Chief of the Armed Forces"
            return ("prefix", r.id_, rank, org, (doc[r.start].idx, mentions[i].end), None)
        t = doc[k - 1]
        if t.lower_ in PREPS or t.lower_ in DETS or (t.is_lower and t.is_alpha and t.pos_ not in ("VERB", "AUX")):
            k -= 1
            steps += 1
            continue
        break
    if rank is not None:  # a rank alone is a public post
        return ("rank", None, rank, None, (doc[j].idx, mentions[i].end), None)
    return None


def _outer_title(idx: _Doc, r, sent_start: int):
    """The leftmost title of a ``TITLE for|of [the] TITLE`` chain: the person holds the first one."""
    doc = idx.doc
    while True:
        k = r.start
        if k - 1 > sent_start and doc[k - 1].lower_ in DETS:
            k -= 1
        if k - 1 > sent_start and doc[k - 1].lower_ in PREPS:
            prev = idx.roles_by_end.get(k - 1)
            if prev is not None and prev.label_ == "TITLE" and prev.start >= sent_start:
                r = prev
                continue
        return r


def _owner_before(idx: _Doc, left: int, sent_start: int, mentions: list[Mention], gaz):
    """Organisation or country named right before a title: ``CTS chief``, ``the ministry's spokesman``, ``US Defense Secretary``."""
    doc = idx.doc
    k = left
    if k > sent_start and doc[k - 1].text in POSSESSIVE:
        k -= 1
    mi = idx.by_end.get(k)
    if mi is not None and idx.tok[mi][0] >= sent_start:
        m = mentions[mi]
        if m.type == "Organization":
            return mi, None, idx.tok[mi][0]
        if m.type == "Location" and m.gid and gaz.country(m.gid) and (gaz.get(m.gid).kind == "country"):
            return None, gaz.country(m.gid), idx.tok[mi][0]
    if k > sent_start:
        c = _country_of_token(doc[k - 1], gaz)
        if c:
            return None, c, k - 1
    return None, None, left


def _after(idx: _Doc, i: int, mentions: list[Mention], gaz):
    """``NAME, [the|a] [ORG|country] [RANK] TITLE [for|of [the] ORG]`` — the post in apposition."""
    doc = idx.doc
    ps, pe = idx.tok[i]
    sent_end = doc[pe - 1].sent.end
    k = pe
    if k >= sent_end or doc[k].text != ",":
        return None
    k += 1
    if k < sent_end and doc[k].lower_ in DETS:
        k += 1
    org, ctry = None, None
    mi = idx.by_start.get(k)
    if mi is not None:
        m = mentions[mi]
        if m.type == "Organization":
            org = mi
        elif m.type == "Location" and m.gid and gaz.get(m.gid).kind == "country":
            ctry = gaz.country(m.gid)
        else:
            return None
        k = idx.tok[mi][1]
        if k < sent_end and doc[k].text in POSSESSIVE:
            k += 1
    elif k < sent_end and _country_of_token(doc[k], gaz):
        ctry = _country_of_token(doc[k], gaz)
        k += 1
    rank = None
    r = idx.roles_by_start.get(k)
    if r is not None and r.label_ == "RANK":
        rank, k = _rank(r), r.end
        r = idx.roles_by_start.get(k)
    # lowercase modifiers before a descriptor: "a security expert"
    k0 = k
    while r is None and k < sent_end and k - k0 < 2 and doc[k].is_lower and doc[k].is_alpha:
        k += 1
        r = idx.roles_by_start.get(k)
    if r is None:
        return None
    if r.label_ == "DESCRIPTOR":
        return ("descriptor", doc[k0:r.end].text.lower(), None, None, None, None)
    if r.label_ != "TITLE" or k != k0:
        return None
    title, end = r.id_, r.end
    if org is None and end < sent_end and doc[end].lower_ in PREPS:
        k = end + 1
        steps = 0
        while k < sent_end and steps <= MAX_CHAIN:
            mi = idx.by_start.get(k)
            if mi is not None:
                if mentions[mi].type == "Organization":
                    org, end = mi, idx.tok[mi][1]
                break
            t = doc[k]
            if t.lower_ in DETS or t.lower_ in PREPS or (t.is_lower and t.is_alpha and t.pos_ not in ("VERB", "AUX")):
                k += 1
                steps += 1
                continue
            break
    return ("apposition", title, rank, org, (mentions[i].start, doc[end - 1].idx + len(doc[end - 1].text)), ctry)


def _rank(span) -> str:
    """Normalised rank of a RANK span, with its ``Staff``/``Police`` prefix (``Staff Maj. Gen.`` → Staff Major General)."""
    prefixes = role_lexicon()["rank_prefixes"]
    first = span[0].lower_
    return f"{prefixes[first]} {span.id_}" if first in prefixes and len(span) > 1 else span.id_


def _org_after(idx: _Doc, i: int, mentions: list[Mention]) -> tuple[int | None, int]:
    """``NAME of|from [the] ORG`` right after an official's name."""
    doc = idx.doc
    ps, pe = idx.tok[i]
    k = pe
    if k < len(doc) and doc[k].lower_ in ("of", "from", "at"):
        k += 1
        if k < len(doc) and doc[k].lower_ in DETS:
            k += 1
        mi = idx.by_start.get(k)
        if mi is not None and mentions[mi].type == "Organization":
            return mi, mentions[mi].end
    return None, 0


def _descriptor(doc, r, sent_start: int) -> str:
    """``security expert`` from ``… security expert Sarmed al-Bayati`` (up to two lowercase modifiers)."""
    k = r.start
    while k > sent_start and r.start - k < 2 and doc[k - 1].is_lower and doc[k - 1].is_alpha \
            and doc[k - 1].pos_ in ("NOUN", "ADJ", "PROPN", ""):
        k -= 1
    return doc[k:r.end].text.lower()


def _implied_org(title: str, country: str | None, gaz, span, mentions: list[Mention], doc, sent_of) -> int | None:
    """An Organization mention for the body a title implies (``US Defense Secretary`` → US Department of Defense)."""
    info = _title_info().get(title)
    if not info or not info.get("body") or country is None:
        return None
    entry = gaz.specialise(info["body"], country)
    if entry is None:
        return None
    # anchor the implied organisation on the title words
    start, end = span
    t_span = next((s for s in doc.spans.get(ROLE_KEY, ()) if s.label_ == "TITLE" and s.id_ == title
                   and start <= s.start_char < end), None)
    if t_span is None:
        return None
    mentions.append(Mention(t_span.text, "Organization", t_span.start_char, t_span.end_char, sent_of(t_span.start_char),
                            IMPLIED_ORG, 0.6, gid=entry.gid, canonical=entry.canonical))
    return len(mentions) - 1
