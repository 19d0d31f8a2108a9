"""kg.dedupe: MinHash signatures and near-duplicate search."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.dedupe import NUM_PERM, find_duplicates, jaccard, normalise, shingles, signature
from kg.ingest import iter_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ROOT = SEEDS.parent

STORY = (
    "Iraqi security forces killed 15 ISIS militants during a campaign on the border with Syria, "
    "the Interior Ministry spokesman said on Friday, adding that the troops seized medium arms and "
    "explosive belts after tracking the cell for a few days in the western desert of Anbar province."
)
OTHER = (
    "Israeli airstrikes killed at least 28 Palestinians in the Gaza Strip, including four children, "
    "hospital officials said on Saturday, while 24 others were shot on their way to aid sites."
)


def test_normalise_removes_apostrophes_and_punctuation():
    assert normalise("Na'im al-Ka’oud's “WAR”,  isn't\nover!") == "naim al kaouds war isnt over"


def test_shingles_are_five_words():
    assert shingles("one two three four five six") == ["one two three four five", "two three four five six"]
    assert shingles("a b") == ["a b"]


def test_signature_shape_and_determinism():
    s = signature(STORY)
    assert len(s) == NUM_PERM and all(isinstance(v, int) for v in s)
    assert signature(STORY) == s
    assert signature("") == () and signature(" ,.; ") == ()


def test_signature_same_in_another_process():
    code = "from kg.dedupe import signature; import sys; print(list(signature(sys.argv[1])))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, STORY], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert out.stdout.strip() == str(list(signature(STORY)))


def test_punctuation_and_apostrophe_changes_do_not_matter():
    variant = STORY.replace("the troops", "the troop's").replace(",", "").upper()
    assert jaccard(signature(STORY), signature(variant)) >= 0.7


def test_find_duplicates_basic_and_chains():
    a = signature(STORY)
    b = signature(STORY + " Officials gave no further details.")
    c = signature(STORY + " Officials gave no further details. The ministry said more raids were planned.")
    d = signature(OTHER)
    dups = find_duplicates([("a", a), ("d", d), ("b", b), ("c", c)])
    assert set(dups) == {"b", "c"}
    assert dups["b"][0] == "a" and dups["c"][0] == "a"
    assert 0.7 <= dups["b"][1] <= 1.0


def test_find_duplicates_skips_empty_and_repeated_ids():
    s = signature(STORY)
    assert find_duplicates([("a", s), ("a", s), ("e", ()), ("f", ())]) == {}
    assert find_duplicates([]) == {}


def test_find_duplicates_threshold_validation():
    with pytest.raises(ValueError, match="threshold"):
        find_duplicates([], threshold=0)


def test_seed_duplicates_exactly_001_of_000_first_story():
    arts = list(iter_articles([SEEDS]))
    by_id = {a.id: a for a in arts}
    dups = find_duplicates((a.id, signature(a.text)) for a in arts)
    pairs = {(by_id[d].source_file[:3], by_id[o].source_file[:3], by_id[o].index) for d, (o, _) in dups.items()}
    assert pairs == {("001", "000", 0)}


def test_chain_resolves_to_first_original():
    a = tuple(range(NUM_PERM))
    b = tuple(1000 + v if v < 16 else v for v in a)  # 0.75 like a
    c = tuple(2000 + v if 16 <= v < 32 else v for v in b)  # 0.75 like b, 0.5 like a
    assert jaccard(a, c) == 0.5
    dups = find_duplicates([("a", a), ("b", b), ("c", c)])
    assert dups == {"b": ("a", 0.75), "c": ("a", 0.75)}


def _datasketch_find_duplicates(items, threshold=0.7):
    """The search as it was written over datasketch's MinHashLSH: the reference for kg.dedupe's banding."""
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from kg.dedupe import LSH_SLACK, SCHEME, SEED

    kw = {"scheme": SCHEME}
    lsh = MinHashLSH(threshold=max(threshold - LSH_SLACK, 0.1), num_perm=NUM_PERM)
    sigs, order, out = {}, {}, {}
    for n, (key, sig) in enumerate(items):
        if key in order or len(sig) != NUM_PERM:
            continue
        arr = np.asarray(sig, dtype=np.uint64)
        m = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=arr, **kw)
        best = None
        for cand in lsh.query(m):
            sim = float(np.mean(sigs[cand] == arr))
            if sim >= threshold:
                orig = out[cand][0] if cand in out else cand
                rank = (order[orig], -sim)
                if best is None or rank < best[0]:
                    best = (rank, orig, sim)
        if best is not None:
            out[key] = (best[1], best[2])
        lsh.insert(key, m)
        sigs[key] = arr
        order[key] = n
    return out


def test_banding_matches_datasketch_parameters():
    from datasketch.lsh import _optimal_param

    from kg.dedupe import lsh_params

    for t in (0.1, 0.25, 0.3, 0.45, 0.5, 0.55, 0.7, 0.85, 0.9):
        for n in (16, 64, 128):
            assert lsh_params(t, n) == _optimal_param(t, n, 0.5, 0.5), (t, n)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.lists(st.integers(0, 9), min_size=NUM_PERM, max_size=NUM_PERM)),
                max_size=25),
       st.sampled_from([0.3, 0.5, 0.7, 0.9]))
def test_find_duplicates_matches_datasketch_lsh(rows, threshold):
    # few distinct hash values, so that bands collide and near-duplicates abound
    items = [(f"d{k}-{i % 7}", tuple(v)) for i, (k, v) in enumerate(rows)]
    assert find_duplicates(items, threshold) == _datasketch_find_duplicates(items, threshold)


def _datasketch_signature(text):
    """The signature as it was made with datasketch's MinHash: the reference for kg.dedupe.signature."""
    from datasketch import MinHash

    from kg.dedupe import SCHEME, SEED, shingles

    sh = shingles(text)
    if not sh:
        return ()
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    m.update_batch([s.encode("utf-8", "surrogatepass") for s in sorted(set(sh))])
    return tuple(int(v) for v in m.hashvalues)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["ISIS", "raid", "Mosul", "killed", "forces", "the", "a", "of", "in", "said", "12",
                                 "al-Baghdadi", "Raqqa’s", "\ud800", "—", "قتل"]), max_size=60)
       | st.text(max_size=200))
def test_signature_matches_datasketch_minhash(words):
    text = words if isinstance(words, str) else " ".join(words)
    assert signature(text) == _datasketch_signature(text)


def test_find_duplicates_matches_datasketch_on_real_signatures():
    texts = [f"Iraqi forces killed {n} ISIS militants near {place} on Friday, officials said in a statement."
             for n in (3, 4, 15) for place in ("Kirkuk", "the Syrian border", "Mosul")]
    texts += [t + " The operation continues." for t in texts[:4]]
    items = [(f"a{i}", signature(t)) for i, t in enumerate(texts)]
    for threshold in (0.5, 0.7):
        assert find_duplicates(items, threshold) == _datasketch_find_duplicates(items, threshold)


def test_corpus_stage_does_not_import_datasketch_or_spacy():
    code = ("import sys, kg.pipeline, kg.dedupe; kg.dedupe.find_duplicates([('a', tuple(range(64)))]); "
            "kg.dedupe.signature('Iraqi forces killed 15 ISIS militants near the Syrian border on Friday'); "
            "print(sorted(m for m in ('datasketch', 'spacy', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
