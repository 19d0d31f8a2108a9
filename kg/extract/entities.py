"""Entity mentions: the statistical NER corrected by gazetteers and rules.

Pipeline components (added once by :func:`add_entity_rules`, which
:func:`kg.nlp.load` calls in every process):

``kg_roles``
    a ``kg_span_ruler`` (:mod:`kg.extract.ruler`: spaCy's ``span_ruler`` with
    fixed token sequences matched by phrase matchers) writing titles, ranks, honorifics and descriptors
    (``kg/data/titles.json``, ``kg/data/ranks.json``) to ``doc.spans["kg_roles"]``;
    officials are read from them (:mod:`kg.extract.officials`) and they tell
    the reconciler which words are not part of a name.
``kg_gazetteer``
    a ``kg_span_ruler`` over every gazetteer name (:mod:`kg.gazetteer`, phrase
    matching on ``LOWER``; short all-capital names such as ``US``/``IS`` are
    case-sensitive) plus a few token rules for names no list has (``<Title
    Case words> Brigade|Committee|Council|Ministry…``, ``Wilayat <name>``,
    ``<name> tribe``). Its ``ents_filter`` (:func:`reconcile_ents`) merges the
    matches into the model's entities: gazetteer hits override or correct the
    model's label, the model keeps names no list has.

:func:`extract_mentions` then maps the entities onto the vocabulary's types,
attaches gazetteer ids, resolves country-less national bodies (``Ministry of
Defense``) to the article's country, and retypes bare surnames of people named
in full earlier in the text (``Mattis``, ``Jubouri``) as people.
"""
from __future__ import annotations

import functools
import json
import re
from collections import Counter

from spacy.tokens import Span
from spacy.util import registry

from .. import gazetteer
from ..gazetteer import DATA_DIR, fold
from ..model import Mention
from .common import doc_text
from .ruler import SpanRules, Splits  # noqa: F401  (SpanRules: registers the ``kg_span_ruler`` factory)

GAZ_RULER = "kg_gazetteer"
ROLE_RULER = "kg_roles"
ROLE_KEY = "kg_roles"  #: ``doc.spans`` key of title/rank/honorific/descriptor spans

LABEL_MAP = {"ORG": "Organization", "GPE": "Location", "LOC": "Location", "FAC": "Location", "PERSON": "Person"}
NAME_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "PERSON", "NORP"})
#: Last words that make a Title Case phrase an organisation name.
ORG_HEADS = (
    "ministry department committee council command service services force forces brigade brigades battalion "
    "battalions division regiment corps army police agency cell directorate authority office unit units guard "
    "guards front movement organization organisation party coalition court parliament commission network "
    "hospital university foundation institute center centre observatory mission assembly government bureau "
    "militia militias group"
).split()
#: Lowercase nouns after a Title Case name that make it a landform (``Atshana mountains``).
LANDFORM_WORDS = ["mountains", "mountain", "hills", "range", "valley", "river", "lake", "island", "islands", "plain", "plains",
                  "marshes", "heights"]
#: Lowercase nouns after a name that make the name a place (``the Sulayman Beg sector``).
PLACE_NOUNS = frozenset("area district sector region subdistrict town village city province governorate neighbourhood "
                        "neighborhood countryside outskirts".split())
#: Tokens allowed inside a Title Case name besides capitalised words.
NAME_CONNECTORS = frozenset({"al", "el", "ad", "ud", "ul", "bin", "ibn", "bint", "wal", "-", "'", "of", "and", "for", "&", "al-"})
DETERMINERS = frozenset({"the", "a", "an"})
#: Words after which an organisation name ends and a person's name may start inside one model entity.
TRAILING_PREPS = frozenset({"in", "at", "on", "from", "near"})
NAME_TOKEN = r"^(?:[A-Z][\w'’.]*|al|el|ad|ud|ul|bin|ibn|bint|wal|-|of|and|for|&)$"

CONF_GAZETTEER, CONF_RULE, CONF_MODEL, CONF_SURNAME = 0.95, 0.8, 0.7, 0.8
#: Rule of a capital standing for its country (``Washington deploys …``); its text is not a name of the country.
METONYMY = "entities:metonymy"


# --------------------------------------------------------------------------------------------
# data


@functools.lru_cache(maxsize=1)
def role_lexicon() -> dict:
    """Titles, ranks, honorifics and descriptors from ``kg/data`` (loaded once)."""
    titles = json.loads((DATA_DIR / "titles.json").read_text(encoding="utf-8"))
    ranks = json.loads((DATA_DIR / "ranks.json").read_text(encoding="utf-8"))
    return {"titles": titles["titles"], "modifiers": titles["modifiers"], "descriptors": titles["descriptors"],
            "honorifics": titles["honorifics"], "ranks": ranks["ranks"], "rank_prefixes": ranks["prefixes"]}


def _word_pattern(words: list[str]) -> list[dict]:
    """Token pattern for an abbreviated phrase: each word with or without its dot, hyphens optional.

    >>> _word_pattern(["lt", "gen"])[0]
    {'LOWER': {'IN': ['lt', 'lt.']}}
    """
    out: list[dict] = []
    for i, w in enumerate(words):
        if i:
            out.append({"ORTH": {"IN": ["-", "–"]}, "OP": "?"})
        out.append({"LOWER": {"IN": [w, w + "."]}})
        out.append({"ORTH": ".", "OP": "?"})
    return out


def role_patterns() -> list[dict]:
    """``span_ruler``-style patterns for the ``kg_roles`` component (labels TITLE, RANK, HONORIFIC, DESCRIPTOR)."""
    lex = role_lexicon()
    pats: list[dict] = []
    prefix = {"LOWER": {"IN": sorted(lex["rank_prefixes"])}, "OP": "?"}  # Staff Maj. Gen., Police Colonel
    for rank, variants in lex["ranks"].items():
        for v in variants:
            pats.append({"label": "RANK", "pattern": [prefix] + _word_pattern(re.split(r"[\s-]+", v)), "id": rank})
    for t in lex["titles"]:
        for v in t["variants"]:
            pats.append({"label": "TITLE", "pattern": v, "id": t["title"]})
            for mod in lex["modifiers"]:
                pats.append({"label": "TITLE", "pattern": f"{mod} {v}", "id": f"{mod} {t['title']}"})
    for h in lex["honorifics"]:
        pats.append({"label": "HONORIFIC", "pattern": [{"LOWER": h}], "id": h.rstrip(".").capitalize()})
    for d in lex["descriptors"]:
        pats.append({"label": "DESCRIPTOR", "pattern": [{"LOWER": d}], "id": d})
    return pats


def rule_patterns() -> list[dict]:
    """Token rules for organisation names no gazetteer has."""
    name = {"TEXT": {"REGEX": NAME_TOKEN}}
    first = {"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(DETERMINERS)}}
    return [
        # Security and Defense Committee, Anbar Provincial Council, Abu Musa al-Ashaari Brigade
        {"label": "ORG", "id": "rule:org-name",
         "pattern": [first, dict(name, OP="*"), {"LOWER": {"IN": ORG_HEADS}, "IS_TITLE": True}]},
        {"label": "ORG", "id": "rule:org-name",
         "pattern": [{"LOWER": {"IN": ["ministry", "department", "office", "directorate", "council", "committee"]}, "IS_TITLE": True},
                     {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "+"}]},
        # Wilayat al-Khair wal-Baraka
        {"label": "ORG", "id": "rule:wilaya",
         "pattern": [{"LOWER": {"IN": ["wilayat", "wilaya", "wilayah", "vilayat"]}, "IS_TITLE": True},
                     {"TEXT": {"REGEX": r"^(?:[A-Z][\w'’]*|al|el|wal|-)$"}, "OP": "+"}]},
        # Atshana mountains, Mount Qandil, Hamrin hills: landforms no list has
        {"label": "LOC", "id": "rule:landform",
         "pattern": [first, dict(name, OP="*"), {"LOWER": {"IN": LANDFORM_WORDS}}]},
        {"label": "LOC", "id": "rule:landform",
         "pattern": [{"LOWER": {"IN": ["mount", "jabal", "jebel", "wadi", "lake"]}, "IS_TITLE": True}, {"IS_TITLE": True, "OP": "+"}]},
        # Albu Nimr tribe, Shammar tribe
        {"label": "ORG", "id": "rule:tribe",
         "pattern": [first, dict(name, OP="*"), {"LOWER": {"IN": ["tribe", "clan"]}}]},
    ]


# --------------------------------------------------------------------------------------------
# pipeline components


def add_entity_rules(nlp) -> None:
    """Add the ``kg_roles`` and ``kg_gazetteer`` rulers (:mod:`kg.extract.ruler`) to ``nlp`` (idempotent).

    Works on a trained pipeline (the rulers go after ``ner``) and on
    ``spacy.blank("en")`` (they go last), so rules can be tested on hand-built Docs.
    """
    if GAZ_RULER in nlp.pipe_names:
        return
    where = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    roles = nlp.add_pipe("kg_span_ruler", name=ROLE_RULER, config={"spans_key": ROLE_KEY}, **where)
    ruler = nlp.add_pipe("kg_span_ruler", name=GAZ_RULER, after=ROLE_RULER,
                         config={"ents_filter": {"@misc": "kg.reconcile_ents.v1"}})
    splits = Splits(nlp.tokenizer)  # the tokenizer's splits of the phrase patterns, from the per-user cache
    roles.add_patterns(role_patterns(), splits)
    ruler.add_patterns(gazetteer.load().patterns(splits) + rule_patterns(), splits)
    splits.save()


@registry.misc("kg.reconcile_ents.v1")
def make_reconcile_ents():
    """Registered ``ents_filter`` of the ``kg_gazetteer`` ruler."""
    return reconcile_ents


def role_span_ok(span) -> bool:
    """Ranks and honorifics count only when capitalised (``Maj. Gen.``, ``Sheikh``; not ``a major operation``)."""
    if span.label_ not in ("RANK", "HONORIFIC"):
        return True
    tok = span[1] if span.label_ == "RANK" and len(span) > 1 and span[0].lower_ in role_lexicon()["rank_prefixes"] else span[0]
    return tok.text[:1].isupper()


def _role_index(doc) -> dict[int, Span]:
    """Token index → the accepted role span covering it."""
    out: dict[int, Span] = {}
    for s in doc.spans.get(ROLE_KEY, ()):
        if not role_span_ok(s):
            continue
        for i in range(s.start, s.end):
            out[i] = s
    return out


def _cap(tok) -> bool:
    """Capitalised word (``Na'im`` counts, unlike ``Token.is_title``)."""
    return tok.text[:1].isupper() and any(c.isalpha() for c in tok.text)


def _is_name_token(tok) -> bool:
    return _cap(tok) or tok.lower_ in NAME_CONNECTORS


def _trim(doc, start: int, end: int, roles: dict, person: bool) -> tuple[int, int]:
    """Strip determiners, punctuation, possessives (and, for people, titles/ranks/honorifics) from the edges."""
    while start < end:
        t = doc[start]
        if t.lower_ in DETERMINERS or t.is_punct or t.is_space or (person and start in roles):
            start += 1
        else:
            break
    while end > start:
        t = doc[end - 1]
        if t.is_punct or t.is_space or t.lower_ in ("'s", "’s", "'", "’") or (person and end - 1 in roles):
            end -= 1
        else:
            break
    return start, end


def _split_person_tail(doc, start: int, end: int, roles: dict) -> tuple[int, int, int] | None:
    """``Anbar Provincial Council Na'im al-Ka'oud`` (one model ORG) → (org end, person start, person end)."""
    for i in range(start + 1, end - 1):
        if doc[i].lower_ in ORG_HEADS and _cap(doc[i]):
            tail = doc[i + 1:end]
            if not tail or tail[0].lower_ in NAME_CONNECTORS or not _cap(tail[0]):
                continue
            if any(t.lower_ in ORG_HEADS for t in tail):
                continue
            if all(_is_name_token(t) for t in tail) and sum(_cap(t) for t in tail) >= 2:
                p0 = i + 1
                while p0 < end and p0 in roles:
                    p0 += 1
                return (i + 1, p0, end) if p0 < end else None
    return None


def _fix_model_ent(ent, roles: dict) -> list[Span]:
    """Trim a model entity and split the ``<org> <rank> <person>`` run-ons the model makes."""
    label = ent.label_
    if label not in NAME_LABELS:
        return [ent]
    doc = ent.doc
    person = label in ("PERSON", "NORP")
    start, end = ent.start, ent.end
    for i in range(start + 1, end):  # "Hayat Tahrir al-Sham (HTS": the name ends at the bracket
        if doc[i].text in ("(", "["):
            end = i
            break
    start, end = _trim(doc, start, end, roles, person)
    if start >= end:
        return []
    if all(i in roles and roles[i].label_ in ("TITLE", "RANK") for i in range(start, end)):
        return []  # "Defense" of "Defense Secretary", "Spokesman"
    out = []
    if label == "ORG":
        # a rank/title/honorific inside the ORG ends it; a name after it is a person
        inner = [i for i in range(start + 1, end) if i in roles]
        cut = None
        if inner:
            r = roles[inner[0]]
            p_start = r.end
            while p_start < end and p_start in roles:
                p_start = roles[p_start].end
            s2, e2 = _trim(doc, p_start, end, roles, True)
            person_tail = s2 < e2 and all(_is_name_token(t) for t in doc[s2:e2])
            # a title inside an organisation name ("Office of the Prime Minister") ends it only before a name
            if r.label_ != "TITLE" or person_tail:
                cut = inner[0]
                if person_tail:
                    out.append(Span(doc, s2, e2, label="PERSON"))
        if cut is not None:
            end = cut
            while end > start and doc[end - 1].lower_ in NAME_CONNECTORS | DETERMINERS:
                end -= 1
            start, end = _trim(doc, start, end, roles, False)
        else:
            split = _split_person_tail(doc, start, end, roles)
            if split:
                org_end, p_start, p_end = split
                out.append(Span(doc, p_start, p_end, label="PERSON"))
                end = org_end
    if label in ("ORG", "PERSON") and end < len(doc) and end == ent.end and doc[end].lower_ in PLACE_NOUNS \
            and not any(t.lower_ in ORG_HEADS for t in doc[start:end]):
        label = "GPE"  # "the Sulayman Beg sector", "the Abu Ghraib area": a name before a place noun is a place
    if start < end and not (person and all(i in roles for i in range(start, end))):
        out.insert(0, Span(doc, start, end, label=label, kb_id=ent.kb_id, span_id=ent.id))
    return out


def _extend_people(doc, ents: list[Span], roles: dict) -> list[Span]:
    """Take in a given name the model left out (``Naim`` + ``al-Kaoud``)."""
    covered = {i for e in ents for i in range(e.start, e.end)}
    given = gazetteer.given_names()
    out = []
    for e in ents:
        if e.label_ == "PERSON":
            start = e.start
            while (start > 0 and start - 1 not in covered and start - 1 not in roles and _cap(doc[start - 1])
                   and not doc[start - 1].is_sent_start and e.start - start < 2
                   and (fold(doc[start - 1].text) in given or doc[start].lower_ in NAME_CONNECTORS)):
                start -= 1
            if start != e.start:
                e = Span(doc, start, e.end, label="PERSON")
        out.append(e)
    return out


def _case_ok(span, gaz) -> bool:
    """A phrase match counts when written as listed, in Title Case, or when the alias is case-free."""
    gid = span.id_
    if gaz.is_form(gid, span.text):
        return True
    if not any(c.isupper() for c in span.text):
        return False
    content = [t for t in span if t.is_alpha and len(t) > 2 and t.lower_ not in NAME_CONNECTORS]
    return all(_cap(t) for t in content)


def _rule_ok(span, gaz) -> bool:
    doc = span.doc
    if len(span) < 2 or len(span) > 8:
        return False
    if span.id_ == "rule:landform":
        # "Anbar desert"-like phrases about a known place or people stay that place
        name = span[1:] if span[0].lower_ in ("mount", "jabal", "jebel", "wadi", "lake") else span[:-1]
        if gaz.exact(name.text) is not None or gaz.demonym(name.text):
            return False
    if doc.has_annotation("POS"):  # a Title Case run with a verb is a headline fragment, not a name
        if any(t.pos_ in ("VERB", "AUX", "PRON", "ADP") and t.lower_ not in NAME_CONNECTORS for t in span):
            return False
    return True


def _sentence_word(tok) -> bool:
    """A sentence-initial word that the tagger reads as an ordinary word, not a proper noun."""
    return tok.is_sent_start and tok.is_title and tok.doc.has_annotation("TAG") and tok.pos_ not in ("PROPN", "")


def _content_outside(doc, outer, inner, roles) -> list:
    return [t for t in doc[outer.start:outer.end] if not (inner.start <= t.i < inner.end)
            and t.is_alpha and t.lower_ not in DETERMINERS and t.i not in roles]


def reconcile_ents(entities, spans) -> list[Span]:
    """Merge gazetteer/rule matches (``spans``) into the model's entities.

    * model entities are trimmed (``the``, punctuation, possessive ``'s``, titles
      and ranks before names) and run-ons are split (``the Anbar Provincial
      Council Na'im al-Ka'oud`` → ORG + PERSON);
    * a strong gazetteer match wins over any model entity inside or across it,
      and over a longer model entity that only adds determiners, ranks or a
      trailing ``in …``; a longer model name (``Anbar Provincial Council`` ⊃
      ``Anbar``) wins over the match;
    * weak matches (small towns, names that are also words or given names) only
      relabel a model entity with exactly their extent;
    * a match never relabels a one-word model PERSON unless the place is
      significant (a country, an Iraqi/Syrian province, a city of 100k+).
    """
    entities, spans = list(entities), list(spans)
    if not entities and not spans:
        return []
    doc = (entities or spans)[0].doc
    gaz = gazetteer.load()
    roles = _role_index(doc)
    ents: list[Span] = []
    for e in entities:
        ents.extend(_fix_model_ent(e, roles))
    ents = _extend_people(doc, ents, roles)
    cands = []
    for s in spans:
        if s.id_.startswith("rule:"):
            if _rule_ok(s, gaz):
                cands.append(s)
        elif _case_ok(s, gaz) and not any(i in roles and roles[i].label_ in ("TITLE", "RANK") for i in range(s.start, s.end) if len(s) == 1):
            cands.append(s)
    cands.sort(key=lambda s: (-(s.end - s.start), s.id_.startswith("rule:"), s.start))
    taken: set[int] = set()
    added: list[Span] = []
    for s in cands:
        if any(i in taken for i in range(s.start, s.end)):
            continue
        is_rule = s.id_.startswith("rule:")
        entry = None if is_rule else gaz.get(s.id_)
        strong = is_rule or gaz.is_strong(s.text)
        if strong and entry is not None and entry.priority < gazetteer.P_COUNTRY and len(s) == 1 and _sentence_word(s[0]):
            strong = False  # "Hit by airstrikes, …": a capitalised first word the tagger does not read as a name
        overlapping = [e for e in ents if e.start < s.end and s.start < e.end]
        remove: list[Span] = []
        ok = True
        if not strong:
            same = [e for e in overlapping if (e.start, e.end) == (s.start, s.end) and e.label_ in ("GPE", "LOC", "FAC", "ORG", "NORP")]
            ok = bool(same) and len(overlapping) == 1
            remove = same
        else:
            for e in overlapping:
                inside = s.start <= e.start and e.end <= s.end
                if inside:
                    if (e.label_ == "PERSON" and (e.start, e.end) == (s.start, s.end)
                            and (is_rule and len(s) < 2 or entry is not None and not entry.override_person)):
                        ok = False
                        break
                    remove.append(e)
                elif e.start <= s.start and s.end <= e.end:  # the match lies inside a longer model entity
                    extra = _content_outside(doc, e, s, roles)
                    if not extra:
                        remove.append(e)
                    elif not is_rule and e.start == s.start and doc[s.end].lower_ in TRAILING_PREPS:
                        remove.append(e)  # "Security and Defense Committee in the Iraqi parliament"
                    else:
                        ok = False
                        break
                elif is_rule:  # rules never cut through a model entity
                    ok = False
                    break
                else:
                    remove.append(e)
        if not ok:
            continue
        for e in remove:
            ents.remove(e)
        added.append(Span(doc, s.start, s.end, label=s.label_, span_id=s.id))
        taken.update(range(s.start, s.end))
    # a trailing "in the Iraqi parliament" cut from a model entity can hold another match; keep ents disjoint
    out = sorted(ents + added, key=lambda x: (x.start, -x.end))
    final, last_end = [], -1
    for x in out:
        if x.start >= last_end:
            final.append(x)
            last_end = x.end
    return final


# --------------------------------------------------------------------------------------------
# mentions


def _article_country(doc, gaz) -> str | None:
    """The country an article is mostly about: gazetteer places/bodies and country adjectives, counted."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for ent in doc.ents:
        c = None
        if ent.id_ and not ent.id_.startswith("rule:"):
            c = gaz.country(ent.id_)
        elif ent.label_ in ("NORP", "GPE"):
            c = gaz.demonym(ent.text) or (gaz.country(gaz.exact(ent.text).gid) if gaz.exact(ent.text) else None)
        if c:
            counts[c] += 1
            first.setdefault(c, ent.start)
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -first[c]))


def _surname_keys(text: str) -> list[str]:
    """Keys a full name may be referred to by: last word, ``al-``-less last word, last two words.

    >>> _surname_keys("Fadel Abu Raghif")
    ['raghif', 'abu raghif']
    >>> _surname_keys("Na'im al-Ka'oud")
    ['kaoud', 'al kaoud']
    """
    words = fold(text).split()
    if len(words) < 2:
        return []
    keys = [words[-1]]
    if len(words) >= 3:
        keys.append(" ".join(words[-2:]))
    return keys


def _short_key(text: str) -> str:
    """A one-word reference without its article.

    >>> _short_key("Al-Bayati"), _short_key("Ka'oud")
    ('bayati', 'kaoud')
    """
    words = fold(text).split()
    if len(words) > 1 and words[0] in gazetteer.ARTICLES:
        words = words[1:]
    return " ".join(words)


def extract_mentions(doc, sent_of) -> list[Mention]:
    """Typed mentions of organisations, places and people in ``doc`` (sorted by offset)."""
    gaz = gazetteer.load()
    country = _article_country(doc, gaz)
    out: list[Mention] = []
    for ent in doc.ents:
        m = _mention(ent, gaz, country, sent_of)
        if m is not None:
            out.append(m)
    return _retype_surnames(doc, out, sent_of, gaz)


def _mention(ent, gaz, country, sent_of) -> Mention | None:
    text = ent.text
    gid = ent.id_ or None
    if (not gid and not any(c.isupper() for c in text)) or len(text) < 2 or text.isdigit():
        return None
    rule = f"ner:{ent.label_}"
    conf = CONF_MODEL
    entry = None
    if gid and gid.startswith("rule:"):
        rule, conf, gid = gid, CONF_RULE, None
    elif gid:
        entry = gaz.get(gid)
    elif ent.label_ in ("GPE", "LOC", "FAC"):
        entry = gaz.lookup(text, "Location")
    elif ent.label_ == "ORG":
        entry = gaz.lookup(text, "Organization")
    if entry is not None:
        if gid:
            rule, conf = f"gazetteer:{entry.kind}", CONF_GAZETTEER
        if entry.generic:
            entry = gaz.specialise(entry.generic, country) or entry
        if entry.capital_of and _acts(ent):
            entry, rule = gaz.get(entry.capital_of), METONYMY
        return Mention(text, entry.type, ent.start_char, ent.end_char, sent_of(ent.start_char), rule, conf,
                       gid=entry.gid, canonical=entry.canonical)
    type_ = LABEL_MAP.get(ent.label_)
    if type_ is None:
        return None
    return Mention(text, type_, ent.start_char, ent.end_char, sent_of(ent.start_char), rule, conf)


@functools.lru_cache(maxsize=1)
def _metonymy_verbs() -> frozenset[str]:
    return frozenset(json.loads((DATA_DIR / "places.json").read_text(encoding="utf-8")).get("metonymy_verbs", ()))


def _acts(ent) -> bool:
    """A capital used as an actor: subject of a verb of saying/deciding, or ``led by Washington``."""
    root = ent.root
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and head.lower_ in _metonymy_verbs():
        return True
    return root.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent" and head.head.lower_ in _metonymy_verbs()


def _retype_surnames(doc, mentions: list[Mention], sent_of, gaz) -> list[Mention]:
    """Bare surnames of people named in full in the same text become people (``Mattis``, ``Jubouri``).

    Mentions the model typed otherwise are retyped; capitalised tokens outside
    any entity (``Maan said``) are added. Countries and organisations from the
    gazetteer keep their type.
    """
    keys: dict[str, int] = {}
    for m in mentions:
        if m.type == "Person" and len(m.text.split()) >= 2:
            for k in _surname_keys(m.text):
                keys[k] = keys.get(k, 0) + 1
    if not keys:
        return mentions
    out = []
    for m in mentions:
        if m.type != "Person" and _short_key(m.text) in keys:
            e = gaz.get(m.gid) if m.gid else None
            if e is None or (e.type == "Location" and e.kind not in ("country",)):
                m = Mention(m.text, "Person", m.start, m.end, m.sent, "entities:surname", CONF_SURNAME)
        out.append(m)
    covered = set()
    for m in out:
        covered.update(range(m.start, m.end))
    extra = []
    forms = {m.text.split()[-1].split("-")[-1] for m in mentions if m.type == "Person" and len(m.text.split()) >= 2}
    forms = [f for f in forms if f[:1].isupper() and fold(f) in keys]
    if forms:
        for hit in re.finditer(r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, forms))), doc_text(doc)):
            span = doc.char_span(hit.start(), hit.end())
            if span is not None and hit.start() not in covered and len(span) == 1:
                extra.append(Mention(span.text, "Person", hit.start(), hit.end(), sent_of(hit.start()),
                                     "entities:surname", CONF_SURNAME))
    return sorted(out + extra, key=lambda m: (m.start, m.end))
