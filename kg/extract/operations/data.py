"""The operation vocabulary: the ``kg/data/operations_*.json`` rule data, loaded once per process.

Every word list the operation rules read lives in a JSON file under
``kg/data`` (triggers, context words, forces, aggregate tolls); this module
turns them into one frozen :class:`Lexicon` the first time :func:`lexicon` is
called, and never again (no import-time side effects).

Examples
--------
>>> lexicon() is lexicon()
True
>>> lexicon().nouns["raids"]["kind"], kind_rank("raid"), kind_rank("operation")
('raid', 0, 2)
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: The data files (under ``kg/data``) the rules read.
TRIGGERS_FILE = "operations_triggers.json"
CONTEXT_FILE = "operations_context.json"
FORCES_FILE = "operations_forces.json"
TOLLS_FILE = "operations_aggregates.json"


def _load(name: str) -> dict:
    """The parsed JSON data file ``kg/data/<name>``."""
    return json.loads(resources.files("kg").joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class Tolls:
    """Words of war-level cumulative tolls (``operations_aggregates.json``; its ``_comment`` explains each list)."""

    war_nouns: frozenset
    campaign_nouns: frozenset
    link_preps: frozenset
    since_words: frozenset
    perfect_auxiliaries: frozenset
    cumulative_phrases: frozenset
    toll_nouns: frozenset
    min_total: int
    total_approximators: frozenset
    vague_totals: frozenset

    @classmethod
    def from_dict(cls, d: dict) -> "Tolls":
        """Lists become frozensets; ``_comment`` and unknown keys are ignored."""
        return cls(**{f: frozenset(d[f]) if isinstance(d[f], list) else d[f] for f in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Lexicon:
    """Every word list of the operation rules, by role."""

    nouns: dict
    verbs: dict
    casualty_verbs: dict  #: form → field (killed/injured/arrested)
    casualty_nouns: dict
    seize: frozenset
    containers: frozenset
    rank: dict
    family: dict  #: kind → set of family names
    ctx: dict
    reporting: frozenset
    generic_adv: frozenset
    generic_adj: frozenset
    generic_verbs: frozenset
    modals: frozenset
    irrealis: frozenset
    aspectual: frozenset
    negations: frozenset
    idioms: frozenset
    non_event: frozenset
    place_preps: frozenset
    target_preps: frozenset
    anaphor_dets: frozenset
    force_heads: frozenset
    assets: frozenset
    strong_heads: frozenset
    force_mods: frozenset
    bare_canonical: dict
    national_forces: str
    demonyms: dict
    armed_groups: frozenset
    militant_nouns: frozenset
    person_nouns: frozenset
    tolls: Tolls  #: aggregate-toll vocabulary

    @functools.cached_property
    def hashes(self) -> np.ndarray:
        """spaCy's hashes of every word the token scan looks at (computed on first use, so that the
        corpus-level stages, which read only the word lists, do not import spaCy)."""
        from spacy.strings import hash_string

        words = {*self.nouns, *self.verbs, *self.casualty_verbs, *self.casualty_nouns, *self.seize}
        return np.array(sorted(hash_string(w) for w in words), dtype=np.uint64)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The operation vocabulary (built once per process)."""
    trig, ctx, forces = _load(TRIGGERS_FILE), _load(CONTEXT_FILE), _load(FORCES_FILE)
    nouns = {f: e for e in trig["nouns"].values() for f in e["forms"]}
    verbs = {f: e for e in trig["verbs"].values() for f in e["forms"]}
    family: dict[str, set] = {}
    for fam, kinds in trig["families"].items():
        for k in kinds:
            family.setdefault(k, set()).add(fam)
    return Lexicon(
        nouns=nouns, verbs=verbs,
        casualty_verbs={f: k for k, fs in trig["casualty_verbs"].items() for f in fs},
        casualty_nouns={f: k for k, fs in trig["casualty_nouns"].items() for f in fs},
        seize=frozenset(trig["seize_verbs"]), containers=frozenset(trig["container_nouns"]), rank=trig["rank"], family=family, ctx=ctx,
        reporting=frozenset(ctx["reporting_verbs"]), generic_adv=frozenset(ctx["generic_adverbs"]),
        generic_adj=frozenset(ctx["generic_adjectives"]), generic_verbs=frozenset(ctx["generic_verbs"]),
        modals=frozenset(ctx["modals"]), irrealis=frozenset(ctx["irrealis_governors"]),
        aspectual=frozenset(ctx["aspectual_verbs"]), negations=frozenset(ctx["negations"]),
        idioms=frozenset(ctx["idioms"]), non_event=frozenset(ctx["non_event_governors"]), place_preps=frozenset(ctx["place_preps"]), target_preps=frozenset(ctx["target_preps"]),
        anaphor_dets=frozenset(ctx["anaphor_determiners"]),
        force_heads=frozenset(forces["heads"]), assets=frozenset(forces["assets"]), strong_heads=frozenset(forces["strong_heads"]),
        force_mods=frozenset(forces["modifiers"]), bare_canonical=forces["bare_canonical"],
        national_forces=forces["national_forces"], demonyms=forces["demonyms"],
        armed_groups=frozenset(forces["armed_groups"]), militant_nouns=frozenset(forces["militant_nouns"]),
        person_nouns=frozenset(forces["person_nouns"]), tolls=Tolls.from_dict(_load(TOLLS_FILE)),
    )


def kind_rank(kind: str | None) -> int:
    """0 for specific kinds (``raid``), 1 for generic ones (``attack``), 2 for ``operation``; 3 for none."""
    if kind is None:
        return 3
    return lexicon().rank.get(kind, 0)


def kinds_compatible(a: str | None, b: str | None) -> bool:
    """Whether two kinds may describe one operation.

    >>> kinds_compatible("raid", "operation"), kinds_compatible("airstrike", "strike"), kinds_compatible("raid", "airstrike")
    (True, True, False)
    """
    if a is None or b is None or a == b or kind_rank(a) >= 1 or kind_rank(b) >= 1:
        return True
    fam = lexicon().family
    return bool(fam.get(a, set()) & fam.get(b, set()))


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def norm(s: str) -> str:
    """Key of a name: lower case, straight apostrophes, single spaces, no leading ``the``.

    Memoised: the rules ask for the keys of the same few names many times per article.

    >>> norm("The  Iraqi Army’s")
    "iraqi army's"
    """
    s = _SPACES.sub(" ", s.lower().replace("’", "'")).strip()
    return s[4:] if s.startswith("the ") else s
