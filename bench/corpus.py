#!/usr/bin/env python3
"""Generate an N-article benchmark corpus from the project's own ``seeds/``.

usage: python bench/corpus.py N [OUT]      (default OUT: bench/corpus-N/)

Each output file ``NNNNNN.txt`` is one article in the plain-text layout the
ingest stage reads: a headline, a blank line, then a body that opens with a
unique dateline (``MOSUL, March 5, 2017 (KNA) —``). The body is the
paragraphs of one real seed story (one paragraph dropped at random) followed by
paragraphs of the other seed stories until it is about 3,400 characters
(~700 tokens) long. So the language is real, every file has its own content
hash (a cache cannot skip it) and the texts overlap the way wire copy does.
Deterministic: the same N gives the same files, and an existing complete
corpus is reused.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "seeds"
TARGET_CHARS = 3400
CITIES = ("BAGHDAD", "MOSUL", "ERBIL", "BASRA", "KIRKUK", "RAMADI", "FALLUJAH", "TIKRIT", "NAJAF", "KARBALA")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def seed_stories(seeds: Path = SEEDS) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every seed article, as the project's ingest cleans them."""
    from kg.ingest import iter_articles

    stories = []
    for a in iter_articles([str(seeds)]):
        paras = [p.strip() for p in a.text.split("\n\n") if len(p.strip()) >= 40]
        if paras:
            title = a.title
            if title.endswith("…"):  # no headline in the source: ingest cut the first sentence; keep 8 words
                title = " ".join(title.rstrip("…").split()[:8])
            stories.append((title, paras))
    if not stories:
        sys.exit(f"no articles in {seeds}")
    return stories


def dateline(i: int) -> str:
    """A dateline no other article of the corpus has.

    >>> dateline(0), dateline(1) != dateline(0)
    ('BAGHDAD, January 1, 2015 (KNA) —', True)
    """
    city = CITIES[i % len(CITIES)]
    j = i // len(CITIES)
    day, month, year = 1 + j % 28, MONTHS[(j // 28) % 12], 2015 + (j // 336) % 10
    serial = f" No. {j // 3360}" if j >= 3360 else ""
    return f"{city}, {month} {day}, {year} (KNA{serial}) —"


def article(i: int, stories: list[tuple[str, list[str]]]) -> str:
    rng = random.Random(i)
    title, paras = stories[i % len(stories)]
    body = list(paras)
    if len(body) > 3:
        del body[rng.randrange(1, len(body))]
    others = [p for k, (_, ps) in enumerate(stories) if k != i % len(stories) for p in ps]
    while sum(len(p) + 2 for p in body) < TARGET_CHARS and others:
        body.append(others.pop(rng.randrange(len(others))))
    body[0] = f"{dateline(i)} {body[0]}"
    return f"{title}\n\n" + "\n\n".join(body) + "\n"


def make_corpus(n: int, out: Path | None = None, seeds: Path = SEEDS) -> Path:
    """Write the N-article corpus into ``out`` (default ``bench/corpus-N``) unless it is already there."""
    out = Path(out or ROOT / "bench" / f"corpus-{n}")
    done = out / ".complete"
    if done.is_file() and done.read_text() == str(n):
        return out
    out.mkdir(parents=True, exist_ok=True)
    stories = seed_stories(seeds)
    for i in range(n):
        (out / f"{i:06d}.txt").write_text(article(i, stories), encoding="utf-8")
    done.write_text(str(n))
    return out


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split("\n\n")[1])
    path = make_corpus(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None)
    print(f"{sys.argv[1]} articles in {path}")
