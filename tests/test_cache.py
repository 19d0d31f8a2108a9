"""kg.cache: keys, versions, hits, misses, pruning and transactional writes (no model needed)."""
from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from kg import cache as cache_mod
from kg.cache import RecordCache, article_key, cache_version, rules_hash
from kg.model import Article, ArticleRecord, Mention, OperationMention, Quote, Role


def _article(i: int = 0, text: str = "ISIS struck Mosul. The army said it repelled the attack.", **kw) -> Article:
    return Article(id=f"doc{i}", source_file=f"f{i}.txt", title=f"Title {i}", text=text, index=0,
                   content_hash=f"h{i}", **kw)


def _record(i: int = 0, **kw) -> ArticleRecord:
    a = _article(i, **kw)
    return ArticleRecord(
        article=a,
        sentences=((0, 18), (19, len(a.text))),
        mentions=(Mention("ISIS", "Organization", 0, 4, 0, "ner:ORG", 0.7, gid="org:isis", canonical="ISIS"),
                  Mention("Mosul", "Location", 12, 17, 0, "ner:GPE")),
        roles=(Role(person=0, org=None, title="spokesman", rank=None, start=0, end=4, sent=0, rule="r"),),
        operations=(OperationMention("attack", "struck", 5, 11, 0, actors=(0,), places=(1,), date="2025-06",
                                     date_type="gYearMonth", killed=3, notes=("dozens",), sents=(0, 1), rule="t"),),
        quotes=(Quote("it repelled", 28, 39, 1, None, "q"),),
        minhash=(1, 2, 3),
        tokens=12,
    )


def test_roundtrip_through_sqlite(tmp_path):
    r = _record()
    with RecordCache(tmp_path, "v1") as c:
        c.put([r])
    with RecordCache(tmp_path, "v1") as c:
        assert c.get_many([r.article]) == [r]


def test_miss_for_unknown_article_and_other_version(tmp_path):
    with RecordCache(tmp_path, "v1") as c:
        c.put([_record(0)])
        assert c.get_many([_article(1)]) == [None]
    with RecordCache(tmp_path, "v2") as c:
        assert c.get_many([_article(0)]) == [None]


def test_results_follow_input_order(tmp_path):
    with RecordCache(tmp_path, "v1") as c:
        c.put([_record(0), _record(2)])
        got = c.get_many([_article(2), _article(1), _article(0)])
    assert [g.article.id if g else None for g in got] == ["doc2", None, "doc0"]


def test_key_covers_content_and_source_identity():
    a = _article()
    assert article_key(a) == article_key(dataclasses.replace(a))
    for change in ({"text": a.text + " More."}, {"source_file": "other.txt"}, {"index": 1}, {"title": "New"},
                   {"date": "2025-01-02"}, {"content_hash": "x"}):
        assert article_key(dataclasses.replace(a, **change)) != article_key(a), change


def test_version_depends_on_model_and_rules():
    v = cache_version("en_core_web_sm==3.8.0", "r1")
    assert v != cache_version("en_core_web_sm==3.7.1", "r1")
    assert v != cache_version("en_core_web_sm==3.8.0", "r2")


def test_rules_hash_sees_rule_and_data_files(tmp_path):
    (tmp_path / "extract").mkdir()
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "extract" / "operations.py").write_text("TRIGGERS = ['raid']\n")
    (tmp_path / "data" / "sub" / "orgs.jsonl").write_text('{"id": "org:isis"}\n')
    (tmp_path / "resolve.py").write_text("x = 1\n")  # not a per-article rule: not hashed
    h = rules_hash(tmp_path)
    assert h == rules_hash(tmp_path)
    (tmp_path / "resolve.py").write_text("x = 2\n")
    assert rules_hash(tmp_path) == h
    (tmp_path / "extract" / "operations.py").write_text("TRIGGERS = ['raid', 'ambush']\n")
    h2 = rules_hash(tmp_path)
    assert h2 != h
    (tmp_path / "data" / "sub" / "orgs.jsonl").write_text('{"id": "org:pmf"}\n')
    assert rules_hash(tmp_path) != h2


def test_package_rules_hash_covers_the_extractors():
    root = cache_mod._PKG
    files = {p.relative_to(root).as_posix() for pat in cache_mod.RULE_SOURCES for p in root.glob(pat) if p.is_file()}
    assert {"extract/__init__.py", "ingest.py", "dedupe.py"} <= files
    assert any(f.startswith("data/") for f in files)


def test_finish_prunes_unused_rows_and_other_versions(tmp_path):
    with RecordCache(tmp_path, "v1") as c:
        c.put([_record(0), _record(1), _record(2)])
        c.finish()
    with RecordCache(tmp_path, "v1") as c:  # next build still has articles 0 and 2
        assert c.get_many([_article(0), _article(2)])[0] is not None
        assert c.finish() == 1
        assert len(c) == 2
    with RecordCache(tmp_path, "v2") as c:  # rules changed: nothing is reusable
        assert c.get_many([_article(0)]) == [None]
        c.put([_record(0)])  # same key: replaces the v1 row of article 0
        assert c.finish() == 1  # the v1 row of article 2
        assert len(c) == 1


def test_batches_commit_as_they_fill(tmp_path):
    """An interrupted build keeps every full batch already written."""
    c = RecordCache(tmp_path, "v1", batch=2)
    c.put([_record(0), _record(1), _record(2)])
    other = sqlite3.connect(c.path)
    assert other.execute("SELECT count(*) FROM records").fetchone()[0] == 2  # third one still pending
    c.close()  # closing flushes the rest
    assert other.execute("SELECT count(*) FROM records").fetchone()[0] == 3
    other.close()


def test_failed_write_rolls_back(tmp_path):
    c = RecordCache(tmp_path, "v1", batch=10)
    c.put([_record(0)])
    c.flush()
    c.put([_record(1), _record(2)])
    c._pending.append(("bad",))  # a row SQLite rejects after two good ones → the whole batch rolls back
    with pytest.raises(sqlite3.Error):
        c.flush()
    c._pending.clear()
    assert len(c) == 1
    c.close()


def test_corrupt_cache_file_is_replaced(tmp_path):
    path = tmp_path / cache_mod.CACHE_DIR / cache_mod.DB_NAME
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    with RecordCache(tmp_path, "v1") as c:
        assert c.get_many([_article(0)]) == [None]
        c.put([_record(0)])
    with RecordCache(tmp_path, "v1") as c:
        assert c.get_many([_article(0)])[0] == _record(0)


def test_fast_serialiser_matches_to_dict():
    import json

    r = _record()
    assert json.loads(cache_mod.dumps(r)) == json.loads(json.dumps(r.to_dict()))
    assert cache_mod.loads(cache_mod.dumps(r)) == r


# --- the ingest memo (RecordCache.cleaned) -----------------------------------------------------


def _corpus(folder):
    folder.mkdir()
    body = "Iraqi forces killed two ISIS members in a raid near Kirkuk on Monday, officials said."
    (folder / "a.txt").write_text(f"Raid Near Kirkuk Kills Two\n\n{body}\n", encoding="utf-8")
    (folder / "b.md").write_text(f"---\ntitle: Front Matter Title\ndate: 2025-07-05\n---\n\n*{body}*\n", encoding="utf-8")
    (folder / "c.jsonl").write_text(json.dumps({"text": body, "id": "j1", "title": "Line One"}) + "\n"
                                    + json.dumps({"text": body + " More.", "title": "Line Two"}) + "\n", encoding="utf-8")
    (folder / "d.html").write_text(f"<html><head><title>Page</title></head><body><article><h1>Raid Near Mosul</h1>"
                                   f"<p>{body}</p><p>{body}</p></article></body></html>", encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    return folder


def test_memo_gives_the_same_articles_without_cleaning_again(tmp_path, monkeypatch):
    from kg import ingest

    src = _corpus(tmp_path / "in")
    plain_errors, errors = [], []
    plain = list(ingest.iter_articles([src], on_error=plain_errors.append))
    with RecordCache(tmp_path / "out", "v1") as c:
        first = list(ingest.iter_articles([src], on_error=errors.append, memo=c.cleaned))
        c.finish()
    assert first == plain and len(plain) == 5
    assert [str(e) for e in errors] == [str(e) for e in plain_errors] and errors  # empty.txt

    def boom(*a, **k):
        raise AssertionError("cleaned again")

    monkeypatch.setattr(ingest, "read_article_text", boom)
    monkeypatch.setattr(ingest, "read_html", boom)
    monkeypatch.setattr(ingest, "parse_jsonl_line", boom)
    errors.clear()
    with RecordCache(tmp_path / "out", "v1") as c:
        again = list(ingest.iter_articles([src], on_error=errors.append, memo=c.cleaned))
        c.finish()
    assert again == plain
    assert [str(e) for e in errors] == [str(e) for e in plain_errors]  # problems are never memoised


def test_memo_misses_changed_bytes_and_other_versions(tmp_path):
    from kg import ingest

    src = _corpus(tmp_path / "in")
    with RecordCache(tmp_path / "out", "v1") as c:
        list(ingest.iter_articles([src], memo=c.cleaned))
        c.finish()
    f = src / "a.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("two", "three"), encoding="utf-8")
    with RecordCache(tmp_path / "out", "v1") as c:
        arts = list(ingest.iter_articles([src], memo=c.cleaned))
        c.finish()
    assert "three ISIS members" in next(a.text for a in arts if a.source_file == "a.txt")
    with RecordCache(tmp_path / "out", "v2") as c:
        assert c.cleaned.get(ingest.memo_key("text:", f.read_bytes())) is None


def test_memo_rows_of_files_no_longer_read_are_pruned(tmp_path):
    from kg import ingest

    src = _corpus(tmp_path / "in")
    with RecordCache(tmp_path / "out", "v1") as c:
        list(ingest.iter_articles([src], memo=c.cleaned))
        c.finish()
        assert c.conn.execute("SELECT count(*) FROM cleaned").fetchone()[0] == 5  # 2 text files, 2 lines, 1 page
    (src / "a.txt").unlink()
    with RecordCache(tmp_path / "out", "v1") as c:
        list(ingest.iter_articles([src], memo=c.cleaned))
        c.finish()
        assert c.conn.execute("SELECT count(*) FROM cleaned").fetchone()[0] == 4


def test_memo_key_depends_on_how_the_file_is_read(tmp_path):
    from kg import ingest

    data = b"Title\n\n*Body text here.*\n"
    assert ingest.memo_key("text:md", data) != ingest.memo_key("text:", data) != ingest.memo_key("html:", data)
