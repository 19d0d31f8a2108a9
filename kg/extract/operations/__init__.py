"""Security operations: triggers, their arguments, and in-article coreference.

One pass over the Doc finds *frames*: trigger nouns (``raid``, ``airstrike``,
``search operation``), trigger verbs (``raided``, ``ambushed``) and casualty
clauses (``killed 15 ISIS militants``, ``arrested two extremists``). Each frame
reads its arguments from the dependency tree:

- **actors** (``kg:conductedBy``): subject or passive agent of the verb that
  governs the trigger (``The Iraqi army … carried out a search operation``),
  co-actors attached to it (``assisted by Peshmerga forces``), organisations
  or nationalities modifying the trigger (``coalition airstrike``, ``Israeli
  airstrikes``). Subjects of reporting verbs and ``according to X`` are
  sources, never actors. Pronouns and bare ``troops`` point back to the last
  force named nearby.
- **targets**: objects, ``against X``, and the armed group whose members were
  hit (``15 ISIS militants``); ``militants``/``extremists`` without a name mean
  the armed group last named in the article.
- **places**: locations under place prepositions of the trigger or its verb,
  or in a relative clause of the victims; the sentence's other locations when
  nothing attaches (never those of the reporting clause).
- **date**: a date phrase on the trigger or its verb, normalised by
  :mod:`kg.extract.dates` against the article's date.
- **casualties** (:mod:`kg.extract.numbers`) and **seized** items.

Frames that are generic (``regularly announce various operations``), negated
Frames that are generic (``regularly announce various operations``), negated
or hypothetical (``ability to execute attacks``) are dropped, and so are
war-level cumulative tolls (``Israel's offensive has killed over 57,000``),
whose numbers are recorded nowhere. Frames then merge into operations: same
sentence when compatible, a definite anaphor (``the operation``, ``the
ambush``) with the nearest compatible operation a few sentences back, and
nearby frames that share an argument. A casualty clause alone becomes an
operation only when a force or armed group did it.

All vocabulary is data: ``kg/data/operations_triggers.json``,
``operations_context.json``, ``operations_forces.json``,
``operations_aggregates.json``.

Modules, in pipeline order: :mod:`.data` (the vocabulary, loaded once),
:mod:`.context` (per-article state, the frame record), :mod:`.triggers`
(trigger detection and filters), :mod:`.actors` and :mod:`.arguments`
(argument readers), :mod:`.tolls` (aggregate tolls), :mod:`.frames`
(building frames), :mod:`.coref` (merging frames into operations).
"""
from __future__ import annotations

from ...model import Article, Mention, OperationMention
from .context import Context
from .coref import cluster_frames, finalize
from .data import kind_rank, kinds_compatible, lexicon
from .frames import assign, fill, lacks_args
from .triggers import find_frames

__all__ = ["extract_operations", "kind_rank", "kinds_compatible", "lexicon"]


def extract_operations(doc, mentions, sent_of, article: Article) -> tuple[list[Mention], list[OperationMention]]:
    """Operations reported in ``doc``.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed ``article.text``.
    mentions : sequence of Mention
        The article's entity mentions so far.
    sent_of : kg.extract.common.SentenceIndex
        Character offset → sentence index.
    article : Article
        The article (its ``date`` anchors relative dates).

    Returns
    -------
    mentions : list of Mention
        ``mentions`` plus Organization mentions appended (never inserted) for force phrases NER missed,
        so existing mention indices stay valid.
    operations : list of OperationMention
        One per operation reported in the article.

    Examples
    --------
    >>> import spacy
    >>> from kg.extract.common import SentenceIndex
    >>> words = ["Troops", "raided", "a", "hideout", "in", "Kirkuk", "."]
    >>> doc = spacy.tokens.Doc(spacy.blank("en").vocab, words=words, spaces=[1, 1, 1, 1, 1, 0, 0],
    ...     tags=["NNS", "VBD", "DT", "NN", "IN", "NNP", "."], pos=["NOUN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
    ...     deps=["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"], heads=[1, 1, 3, 1, 1, 4, 1],
    ...     ents=["O", "O", "O", "O", "O", "B-GPE", "O"])
    >>> kirkuk = Mention("Kirkuk", "Location", 27, 33, 0, "ner:GPE")
    >>> article = Article(id="a", source_file="a.txt", title="T", text=doc.text)
    >>> _, [op] = extract_operations(doc, [kirkuk], SentenceIndex([(0, len(doc.text))]), article)
    >>> op.kind, op.trigger, op.places
    ('raid', 'raided', (0,))
    """
    ctx = Context(doc, list(mentions), sent_of, article)
    frames, casualties, seizures = find_frames(ctx)
    frames = [f for f in frames if fill(ctx, f)]
    frames = [f for f in assign(ctx, frames, casualties, seizures) if not lacks_args(ctx, f)]
    ops = [op for c in cluster_frames(ctx, frames) if (op := finalize(ctx, c)) is not None]
    return ctx.mentions, ops
