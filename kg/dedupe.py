"""Near-duplicate stories: MinHash signatures and an LSH search over them.

A signature is datasketch's ``MinHash`` (scheme ``affine32``, ``NUM_PERM``
permutations, fixed ``SEED``, its SHA-1 based 32-bit hash) over the word
``SHINGLE``-grams of the normalised text, so signatures are identical across
processes and machines (Python's salted ``hash()`` is never used) and can be
cached or computed in parallel workers.

Both halves are datasketch's algorithms written here over numpy and plain bytes,
held to datasketch itself by the tests (``tests/test_dedupe.py``):

- :func:`signature` is ``MinHash(scheme="affine32").update_batch`` (the
  MurmurHash3 finalizer, then ``a·h + b`` mod 2³² per permutation, the minimum
  per slot). Importing datasketch imports SciPy (~0.5–0.8 s in every parsing
  process) and its object costs more than the hashing itself.
- :func:`find_duplicates` is the banding of ``MinHashLSH``, with the same bands
  (:func:`lsh_params`) and so the same candidates; it runs once per build over
  every signature, where datasketch's objects cost about a millisecond per article.

Examples
--------
>>> a = signature("Iraqi forces killed 15 ISIS militants near the Syrian border on Friday, officials said.")
>>> b = signature("Iraqi forces killed 15 ISIS militants near the Syrian border on Friday, officials said!")
>>> c = signature("Israeli airstrikes killed at least 28 Palestinians in the Gaza Strip on Saturday.")
>>> find_duplicates([("a", a), ("b", b), ("c", c)])
{'b': ('a', 1.0)}
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

#: Number of MinHash permutations (signature length).
NUM_PERM = 64
#: Seed of the permutations; part of the signature format, never change silently.
SEED = 1
#: Words per shingle.
SHINGLE = 5
#: The LSH index looks for candidates this far below the threshold, for recall;
#: every candidate is then verified against the threshold itself.
LSH_SLACK = 0.2
#: datasketch's permutation scheme that :func:`signature` computes (datasketch >= 2.0's default).
SCHEME = "affine32"
#: MurmurHash3's 32-bit finalizer (shift, multiplier, shift, multiplier, shift), as datasketch pre-mixes with it.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))

_APOSTROPHES = re.compile(r"['’‘`´ʼʻ]")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lowercase, apostrophes removed, other punctuation to spaces, whitespace folded.

    >>> normalise("The country’s  'war' is NOT over—Mattis.")
    'the countrys war is not over mattis'
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_NON_WORD.sub(" ", text).split())


def shingles(text: str, k: int = SHINGLE) -> list[str]:
    """Word ``k``-shingles of the normalised text (one shingle when shorter than ``k``).

    >>> shingles("a b c", k=2)
    ['a b', 'b c']
    >>> shingles("", k=2)
    []
    """
    words = normalise(text).split()
    if len(words) <= k:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + k]) for i in range(len(words) - k + 1)]


def signature(text: str) -> tuple[int, ...]:
    """MinHash signature of ``text``; ``()`` when the text has no words.

    >>> len(signature("ISIS cells were struck in the Anbar desert on Monday"))
    64
    >>> signature("...")
    ()
    """
    sh = shingles(text)
    if not sh:
        return ()
    sha1 = hashlib.sha1
    # datasketch's sha1_hash32: the first 4 bytes of the SHA-1 digest, little-endian
    hv = np.array([int.from_bytes(sha1(s.encode("utf-8", "surrogatepass")).digest()[:4], "little") for s in sorted(set(sh))],
                  dtype=np.uint32).reshape(-1, 1)
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations()
    return tuple((hv * a + b).min(axis=0).tolist())  # uint32 arithmetic: wraps modulo 2**32


@functools.lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for (``NUM_PERM``, ``SEED``): odd ``a`` and any ``b`` below 2³²."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Jaccard similarity estimated from two signatures (share of equal slots).

    >>> jaccard((1, 2, 3, 4), (1, 2, 0, 4))
    0.75
    """
    if not a or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def find_duplicates(
    items: Iterable[tuple[str, tuple[int, ...]]], threshold: float = 0.7
) -> dict[str, tuple[str, float]]:
    """Map each near-duplicate id to ``(original id, estimated Jaccard)``.

    Parameters
    ----------
    items
        ``(article id, signature)`` in corpus order. The original of a group
        is its first item; an item that matches a duplicate resolves to that
        duplicate's original (chains end at the first original), and the
        score is its similarity to the item it matched. Items with an empty
        or wrongly sized signature, and repeated ids, are left out.
    threshold
        Minimum estimated Jaccard similarity, in ``(0, 1]``.

    Returns
    -------
    dict
        ``{duplicate_id: (original_id, similarity)}``; originals are not keys.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    b, r = lsh_params(max(threshold - LSH_SLACK, 0.1), NUM_PERM)
    width = r * 8  # bytes of one band: r 64-bit hash values
    tables: list[dict[bytes, list[str]]] = [{} for _ in range(b)]
    sigs: dict[str, np.ndarray] = {}
    order: dict[str, int] = {}
    out: dict[str, tuple[str, float]] = {}
    for n, (key, sig) in enumerate(items):
        if key in order or len(sig) != NUM_PERM:
            continue
        arr = np.asarray(sig, dtype=np.uint64)
        raw = arr.tobytes()
        bands = [raw[i * width:(i + 1) * width] for i in range(b)]
        cands: dict[str, None] = {}
        for table, band in zip(tables, bands):
            cands.update(dict.fromkeys(table.get(band, ())))
        best: tuple[tuple[int, float], str, float] | None = None
        for cand in cands:
            sim = int(np.count_nonzero(sigs[cand] == arr)) / NUM_PERM  # the share of equal slots (a float, as before)
            if sim >= threshold:
                orig = out[cand][0] if cand in out else cand
                rank = (order[orig], -sim)
                if best is None or rank < best[0]:
                    best = (rank, orig, sim)
        if best is not None:
            out[key] = (best[1], best[2])
        for table, band in zip(tables, bands):
            table.setdefault(band, []).append(key)
        sigs[key] = arr
        order[key] = n
    return out


@functools.lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows per band)`` that datasketch's ``MinHashLSH(threshold, num_perm)`` chooses: the pair
    with ``bands × rows ≤ num_perm`` minimising the mean of the false-positive and false-negative areas
    under the banding's S-curve ``1 − (1 − s**rows)**bands`` (below / above ``threshold``).

    The curve is a polynomial of degree ``bands × rows ≤ num_perm``, so Gauss–Legendre quadrature
    with ``num_perm`` nodes integrates it exactly (datasketch uses SciPy's adaptive ``quad``).

    >>> lsh_params(0.5, 64)
    (14, 4)
    """
    x, w = np.polynomial.legendre.leggauss(num_perm)
    lo, hi = threshold / 2 * (x + 1), threshold + (1 - threshold) / 2 * (x + 1)  # nodes on [0, t] and [t, 1]
    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = threshold / 2 * float(w @ (1 - (1 - lo ** r) ** b))
            fn = (1 - threshold) / 2 * float(w @ ((1 - hi ** r) ** b))
            error = 0.5 * fp + 0.5 * fn
            if error < best:
                best, opt = error, (b, r)
    return opt
