"""Plain, frozen records passed between the pipeline stages.

Stages never pass spaCy objects: everything here is strings, numbers and
character offsets, so records pickle across processes, serialise to JSON for
the incremental cache and survive the Doc that produced them.

Offsets (``start``/``end``) are always character offsets into ``Article.text``
(the cleaned body). Sentences are ``(start, end)`` pairs into the same text.

Cross-references inside one :class:`ArticleRecord` are indices into its
``mentions`` tuple (an operation's actors, a role's person, a quote's speaker).

Examples
--------
>>> a = Article(id="x", source_file="a.txt", title="T", text="ISIS struck.")
>>> r = ArticleRecord(article=a, sentences=((0, 12),),
...                   mentions=(Mention("ISIS", "Organization", 0, 4, 0, "ner:ORG"),))
>>> ArticleRecord.from_dict(r.to_dict()) == r
True
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

#: The four entity classes of the public vocabulary (``kg:<Type>``).
ENTITY_TYPES = ("Organization", "Location", "Official", "Person")


@dataclass(frozen=True, slots=True)
class Article:
    """One news article after ingest and cleaning."""

    id: str  #: stable id (see :func:`kg.ingest.article_id`)
    source_file: str  #: input path relative to the input root it was found under
    title: str
    text: str  #: cleaned body; all offsets refer to this string
    date: str | None = None  #: ISO ``YYYY-MM-DD`` publication date when found
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    captions: tuple[str, ...] = ()
    index: int = 0  #: position of the article inside its source file
    content_hash: str = ""  #: sha256 of the normalised text


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed entity mention."""

    text: str
    type: str  #: one of ENTITY_TYPES
    start: int
    end: int
    sent: int  #: index into ArticleRecord.sentences
    rule: str  #: which rule produced it, e.g. ``ner:GPE`` or ``gazetteer:organizations``
    confidence: float = 1.0
    gid: str | None = None  #: gazetteer id when a gazetteer recognised it (``org:isis``, ``geonames:98182``)
    canonical: str | None = None  #: gazetteer canonical label
    descriptor: str | None = None  #: for people: ``security expert``, ``journalist`` …


@dataclass(frozen=True, slots=True)
class Role:
    """A person holding a public post, as stated in one sentence."""

    person: int  #: index into mentions
    org: int | None  #: index into mentions of the organisation, when named
    title: str | None  #: ``spokesman``, ``media director``, ``member`` …
    rank: str | None  #: normalised rank, ``Brigadier General``, ``Major General``
    start: int  #: span of the whole role phrase
    end: int
    sent: int
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class OperationMention:
    """One security/military operation as reported in one article."""

    kind: str  #: ``raid``, ``airstrike``, ``ambush``, ``search operation``, ``arrest operation`` …
    trigger: str  #: the trigger text
    start: int  #: trigger span
    end: int
    sent: int
    actors: tuple[int, ...] = ()  #: mention indices (kg:conductedBy)
    targets: tuple[int, ...] = ()  #: mention indices (kg:targeted)
    places: tuple[int, ...] = ()  #: mention indices (kg:locatedIn), most specific first
    date: str | None = None  #: XSD lexical form: ``2025-06-29``, ``2025-06``, ``--06-29``
    date_type: str | None = None  #: ``date``, ``gYearMonth``, ``gMonthDay`` or ``gYear``
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    notes: tuple[str, ...] = ()  #: vague amounts and qualifications (``dozens arrested``)
    seized: tuple[str, ...] = ()
    sents: tuple[int, ...] = ()  #: every sentence that contributed
    rule: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation."""

    text: str
    start: int
    end: int
    sent: int
    speaker: int | None  #: mention index of the speaker when attributed
    rule: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """Everything extracted from one article: the unit the map stage emits and the cache stores."""

    article: Article
    sentences: tuple[tuple[int, int], ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    operations: tuple[OperationMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    minhash: tuple[int, ...] = ()  #: MinHash signature of the text's shingles
    tokens: int = 0

    def sentence_text(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.article.text[s:e]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ArticleRecord":
        a = dict(d["article"])
        a["captions"] = tuple(a.get("captions", ()))
        return cls(
            article=Article(**a),
            sentences=tuple(tuple(s) for s in d.get("sentences", ())),
            mentions=tuple(Mention(**m) for m in d.get("mentions", ())),
            roles=tuple(Role(**r) for r in d.get("roles", ())),
            operations=tuple(_op_from_dict(o) for o in d.get("operations", ())),
            quotes=tuple(Quote(**q) for q in d.get("quotes", ())),
            minhash=tuple(d.get("minhash", ())),
            tokens=d.get("tokens", 0),
        )


def _op_from_dict(o: dict[str, Any]) -> OperationMention:
    o = dict(o)
    for k in ("actors", "targets", "places", "notes", "seized", "sents"):
        o[k] = tuple(o.get(k, ()))
    return OperationMention(**o)


# ---------------------------------------------------------------------------
# Resolved, corpus-level records (output of kg.resolve, input of kg.rdf)
# Entities are referred to by their *ref* (``organization/isis``), see Entity.ref.


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was said: a span of one document, its sentence and the rule."""

    doc: str  #: Article.id
    start: int
    end: int
    text: str  #: the anchored surface text
    sentence: str
    rule: str
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Entity:
    key: str  #: stable slug used in the IRI, unique per type path
    type: str  #: one of ENTITY_TYPES
    label: str
    alt_labels: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()  #: Article ids mentioning it (sorted)
    evidence: tuple[Evidence, ...] = ()
    gid: str | None = None
    titles: tuple[str, ...] = ()
    ranks: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()  #: entity refs of organisations
    descriptor: str | None = None
    part_of: tuple[str, ...] = ()  #: entity refs of enclosing locations
    lat: float | None = None
    lon: float | None = None
    same_as: tuple[str, ...] = ()  #: external IRIs (GeoNames, ISO 3166-2, Wikidata)

    @property
    def ref(self) -> str:
        """Corpus-unique reference ``<path>/<key>`` (e.g. ``organization/isis``), also the IRI tail."""
        return entity_ref(self.type, self.key)


def entity_ref(type_: str, key: str) -> str:
    """The ref of an entity of ``type_`` with ``key``.

    >>> entity_ref("Official", "saad-maan")
    'person/saad-maan'
    """
    from .vocab import PATHS

    return f"{PATHS[type_]}/{key}"


@dataclass(frozen=True, slots=True)
class Membership:
    key: str
    person: str  #: entity ref
    org: str  #: entity ref
    title: str | None
    rank: str | None
    docs: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Operation:
    key: str
    kind: str
    label: str
    conducted_by: tuple[str, ...] = ()
    targeted: tuple[str, ...] = ()
    located_in: tuple[str, ...] = ()
    date: str | None = None
    date_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None
    notes: tuple[str, ...] = ()
    seized: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteFact:
    key: str
    text: str
    speaker: str | None  #: entity ref
    docs: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    article: Article
    duplicate_of: str | None = None  #: Article.id of the earlier copy of the same story
    similarity: float | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    """The resolved corpus: what kg.rdf turns into a graph. Tuples are sorted by key."""

    documents: tuple[Document, ...] = ()
    entities: tuple[Entity, ...] = ()
    memberships: tuple[Membership, ...] = ()
    operations: tuple[Operation, ...] = ()
    quotes: tuple[QuoteFact, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict, compare=False)


def make_evidence(record: ArticleRecord, start: int, end: int, sent: int, rule: str, confidence: float = 1.0) -> Evidence:
    """Evidence for the span ``start:end`` of ``record``'s article, with its sentence.

    >>> a = Article(id="d", source_file="f", title="t", text="Foo said. Bar ran.")
    >>> r = ArticleRecord(article=a, sentences=((0, 9), (10, 18)))
    >>> make_evidence(r, 10, 13, 1, "x").sentence
    'Bar ran.'
    """
    sentence = record.sentence_text(sent) if 0 <= sent < len(record.sentences) else ""
    return Evidence(record.article.id, start, end, record.article.text[start:end], sentence, rule, confidence)
