"""Aggregate casualty tolls: a war-level, cumulative total is no operation.

``Israel's offensive has killed over 57,000 Palestinians`` sums a whole war;
recorded as one operation with ``kg:killed 57000`` it would mislead anyone
adding up casualties. A clause is a *toll* when it is framed at war level:

- a casualty clause about a war (``killed in the war``, ``the conflict has killed``);
- a campaign noun (``offensive``, ``campaign``, ``bombardment``) that is possessive
  and in the present perfect (``X's offensive has killed``), or carries a count in
  the thousands, a cumulative phrase (``so far``) or a toll noun (``the death toll
  from the offensive``);
- a cumulative period (``since the start of the war``, ``since October 2023``);
- a hedged present-perfect total in the thousands (``have killed more than 1,000``).

A day-precise date (``in their Oct. 7, 2023, attack``) makes a clause one
concrete event, except for a ``since`` period. Tolls are dropped as operations
and their numbers recorded nowhere. The words are data:
``kg/data/operations_aggregates.json``.
"""
from __future__ import annotations

from .arguments import amount_of, victims_of
from .context import SUBJ_DEPS, Context, Frame, is_noun, is_reporting, is_verb
from .data import Tolls, lexicon

#: Date types precise to the day.
_DAY_TYPES = ("date", "gMonthDay")
#: Plausible years in a ``since`` period (``since 2014``).
_YEARS = range(1900, 2101)
#: Dependencies of a clause modifying a noun (``the offensive, which has killed …``).
_NOUN_CLAUSE_DEPS = ("acl", "relcl")
#: Dependencies of the phrases a cumulative phrase may be (``so far``, ``to date``, ``overall``).
_CUMULATIVE_DEPS = ("advmod", "prep", "npadvmod")


def _words() -> Tolls:
    return lexicon().tolls


def _is_perfect(tok) -> bool:
    """Present perfect (``has killed``, ``have been killed``)."""
    return is_verb(tok) and tok.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lower_ in _words().perfect_auxiliaries for c in tok.children)


def _linked_nouns(heads) -> list:
    """Nouns a clause is about: subjects, agents, objects of its place and time prepositions and the noun a
    relative clause modifies, with their conjuncts."""
    words, out = _words(), []
    for h in heads:
        if h.dep_ in _NOUN_CLAUSE_DEPS:
            out.append(h.head)
        for c in h.children:
            if c.dep_ in SUBJ_DEPS:
                out.append(c)
            elif c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in words.link_preps:
                out.extend(p for p in c.children if p.dep_ == "pobj")
    return [t for o in out for t in [o, *o.conjuncts]]


def _since_period(heads) -> bool:
    """A cumulative period on one of ``heads``: ``since`` with a war, a campaign or a year (``since the start of
    the war``, ``since October 2023``, ``since the war began``)."""
    words = _words()
    nouns = words.war_nouns | words.campaign_nouns
    for h in heads:
        for c in h.children:
            if c.dep_ == "advcl":
                phrase = c.subtree if any(m.dep_ == "mark" and m.lower_ in words.since_words for m in c.children) else ()
            elif c.lower_ in words.since_words and c.dep_ in ("prep", "mark"):
                phrase = c.subtree
            else:
                continue
            for t in phrase:
                if t.lower_ in nouns or t.like_num and t.text.isdigit() and int(t.text) in _YEARS:
                    return True
    return False


def _cumulative(heads) -> bool:
    """A total over time (``so far``, ``to date``) on one of ``heads``."""
    phrases = _words().cumulative_phrases
    for h in heads:
        for c in h.children:
            if c.dep_ in _CUMULATIVE_DEPS and " ".join(t.lower_ for t in c.subtree) in phrases:
                return True
    return False


def _under_toll(tok) -> bool:
    """Whether ``tok`` is (in) the noun phrase of a toll (``the death toll from the offensive``)."""
    tolls = _words().toll_nouns
    for a in [tok, *tok.ancestors]:
        if a.lower_ in tolls and is_noun(a):
            return True
        if is_verb(a):
            return False
    return False


def _total(ctx: Context, verbs) -> tuple[int, bool]:
    """``(largest count, hedged)`` of the people the casualty clauses among ``verbs`` hit.

    Vague amounts in the thousands count as the minimum total, and as hedged.
    """
    words, lx = _words(), ctx.lx
    best, hedged = 0, False
    for v in verbs:
        if v.lower_ not in lx.casualty_verbs and v.lower_ not in lx.casualty_nouns:
            continue
        for x in victims_of(ctx, v):
            amt = amount_of(ctx, x)
            if amt is None:
                continue
            value = amt.value if amt.value is not None else (words.min_total if amt.vague in words.vague_totals else 0)
            if value > best:
                best, hedged = value, amt.approx in words.total_approximators or amt.value is None
    return best, hedged


def is_aggregate(ctx: Context, trigger, verbs, dated: bool) -> bool:
    """Whether a clause reports a war-level cumulative toll rather than one operation.

    Parameters
    ----------
    ctx : Context
        The article's context.
    trigger : spacy.tokens.Token or None
        The trigger noun, when the clause has one.
    verbs : list of spacy.tokens.Token
        The clause's casualty verbs or nouns and governing verbs (see :func:`clause_verbs`).
    dated : bool
        Whether a day-precise date is attached (``in their Oct. 7, 2023, attack``): the clause is then one
        concrete event, unless a ``since`` period says otherwise.

    Returns
    -------
    bool
        ``True`` for a toll: drop it, and record its numbers nowhere.
    """
    words = _words()
    heads = ([trigger] if trigger is not None else []) + list(verbs)
    if _since_period(heads):
        return True
    if dated:
        return False
    nouns = _linked_nouns(verbs) + ([trigger] if trigger is not None else [])
    if any(n.lower_ in words.war_nouns for n in nouns):
        return True  # "killed in the war", "the conflict has killed": a war is no operation
    total, hedged = _total(ctx, verbs)
    big = total >= words.min_total
    perfect = any(_is_perfect(v) for v in verbs)
    for n in nouns:
        if n.lower_ in words.campaign_nouns:
            possessive = any(c.dep_ == "poss" for c in n.children)
            if possessive and perfect or big or _cumulative(heads) or _under_toll(n):
                return True  # "Israel's offensive has killed", "the offensive killed more than 57,000"
    return perfect and big and hedged  # "have killed more than 1,000 people"


def clause_verbs(ctx: Context, f: Frame) -> list:
    """The verbs and casualty words of a trigger noun's clause: its (non-reporting) anchor verb and the casualty
    clauses modifying the trigger (``the offensive, which has killed …``)."""
    out = [f.anchor] if f.anchor is not None and not is_reporting(ctx, f.anchor) else []
    lx = ctx.lx
    out += [c for c in f.tok.children if c.dep_ in _NOUN_CLAUSE_DEPS and c.lower_ in lx.casualty_verbs]
    return [v for v in out if v.i != f.tok.i]


def day_precise(date) -> bool:
    """Whether a normalised date (:class:`kg.extract.dates` result) names one day."""
    return date is not None and date.value is not None and date.type in _DAY_TYPES
