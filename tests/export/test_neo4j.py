"""Neo4j import files: load the CSVs into a real embedded graph database (Kùzu, COPY FROM) with
the same node and relationship counts; `import.cypher` checked at parse level against the CSVs."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis import analyse
from kg.export import ExportContext, write
from kg.export.neo4j import COMMON_LABEL
from kg.model import KnowledgeBase

from ..graph_sample import N_EDGES, N_NODES, iri, sample_graph

KUZU_TYPES = {"": "STRING", "ID": "STRING", "int": "INT64", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN",
              "LABEL": "STRING", "TYPE": "STRING"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("neo4j-build")
    write(ExportContext(sample_graph(), KnowledgeBase(), "https://w3id.org/kgnews/id/"), d, ["neo4j"])
    return d / "neo4j"


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _column(header: str) -> tuple[str, str]:
    name, _, t = header.partition(":")
    return {"": {"LABEL": "neo4j_labels", "TYPE": "neo4j_type"}.get(t, name)}.get(name, name), KUZU_TYPES[t]


def load_into_kuzu(folder: Path, db_dir: Path) -> tuple[int, int]:
    """Create one Kùzu node table per nodes_*.csv and one relationship table per relationships_*.csv
    (split by endpoint tables), COPY every file, and count what the database holds."""
    kuzu = pytest.importorskip("kuzu")
    db = kuzu.Database(str(db_dir / "db"))
    conn = kuzu.Connection(db)
    table_of = {}
    for f in sorted(folder.glob("nodes_*.csv")):
        t = f.stem[len("nodes_"):]
        with open(f, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header[:2] == ["id:ID", ":LABEL"]
        cols = ", ".join(f"{n} {ty}" for n, ty in map(_column, header))
        conn.execute(f"CREATE NODE TABLE {t}({cols}, PRIMARY KEY (id))")
        conn.execute(f"COPY {t} FROM '{f.as_posix()}' (header=true)")
        for row in _read(f):
            table_of[row["id:ID"]] = t
    for f in sorted(folder.glob("relationships_*.csv")):
        rel = f.stem[len("relationships_"):]
        with open(f, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
        groups = defaultdict(list)
        for r in body:
            assert r[2] == rel
            groups[(table_of[r[0]], table_of[r[1]])].append(r)
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in sorted(groups))
        props = ", ".join(f"{n} {ty}" for n, ty in map(_column, header[2:]))
        conn.execute(f"CREATE REL TABLE {rel}({pairs}, {props})")
        for (a, b), rs in sorted(groups.items()):
            part = db_dir / f"{rel}_{a}_{b}.csv"
            with open(part, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh, lineterminator="\n").writerows([header, *rs])
            conn.execute(f"COPY {rel} FROM '{part.as_posix()}' (from='{a}', to='{b}', header=true)")
    n = conn.execute("MATCH (n) RETURN count(n)").get_next()[0]
    m = conn.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0]
    return n, m


def test_files(out):
    names = sorted(p.name for p in out.iterdir())
    assert names == ["import.cypher", "nodes_Location.csv", "nodes_Official.csv", "nodes_Operation.csv",
                     "nodes_Organization.csv", "nodes_Person.csv", "relationships_CONDUCTED_BY.csv",
                     "relationships_LOCATED_IN.csv", "relationships_MEMBER_OF.csv", "relationships_PART_OF.csv",
                     "relationships_TARGETED.csv"]
    ops = _read(out / "nodes_Operation.csv")
    op1 = next(r for r in ops if r["id:ID"] == iri("operation/op1"))
    assert op1[":LABEL"] == f"{COMMON_LABEL};Operation"
    assert op1["killed:int"] == "5" and op1["arrested:int"] == ""  # missing value: empty field
    assert "injured:int" not in op1  # no operation reports injured: no column
    assert "pagerank:double" in op1 and "community:int" in op1
    orgs = {r["label"]: r for r in _read(out / "nodes_Organization.csv")}
    assert orgs["ISIS"]["aliases"] == "Daesh | Islamic State | داعش"
    rel = _read(out / "relationships_CONDUCTED_BY.csv")
    assert {r[":TYPE"] for r in rel} == {"CONDUCTED_BY"} and all(r["docs:int"].isdigit() for r in rel)
    assert sum(len(_read(p)) for p in out.glob("relationships_*.csv")) == N_EDGES
    assert sum(len(_read(p)) for p in out.glob("nodes_*.csv")) == N_NODES


def test_csv_one_record_per_line(out):
    for p in out.glob("*.csv"):
        lines = p.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(_read(p)) + 1, p.name


def test_loads_into_kuzu(out, tmp_path):
    assert load_into_kuzu(out, tmp_path) == (N_NODES, N_EDGES)


def test_seeds_load_into_kuzu(seeds_out, tmp_path):
    G = nx.read_graphml(seeds_out / "graph.graphml")
    assert load_into_kuzu(seeds_out / "neo4j", tmp_path) == (G.number_of_nodes(), G.number_of_edges())


# ---------------------------------------------------------------------------
# import.cypher, parse level

TOKEN = re.compile(r"""
    (?P<comment>//[^\n]*)
  | (?P<string>'(?:[^'\\]|\\.)*')
  | (?P<quoted>`(?:[^`]|``)*`)
  | (?P<param>\$[A-Za-z_]\w*)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<arrow>->|<-)
  | (?P<punct>[(){}\[\],.:;=+\-*/<>|])
  | (?P<space>\s+)
""", re.X)
CLAUSES = {"CREATE", "CONSTRAINT", "LOAD", "CSV", "WITH", "HEADERS", "FROM", "AS", "MERGE", "MATCH", "SET", "IF",
           "NOT", "EXISTS", "FOR", "REQUIRE", "IS", "UNIQUE"}
FUNCTIONS = {"toInteger", "toFloat", "toBoolean"}


def tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        assert m, f"cannot tokenize at {text[pos:pos + 40]!r}"
        if m.lastgroup not in ("comment", "space"):
            out.append((m.lastgroup, m.group()))
        pos = m.end()
    return out


def statements(text: str) -> list[list[tuple[str, str]]]:
    stmts, cur = [], []
    for tok in tokens(text):
        cur.append(tok)
        if tok == ("punct", ";"):
            stmts.append(cur)
            cur = []
    assert not cur, "text after the last ';'"
    return stmts


CONSTRAINT = re.compile(r"^CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \( n : (\w+) \) REQUIRE n \. id IS UNIQUE ;$")
NODE_LOAD = re.compile(r"^LOAD CSV WITH HEADERS FROM '(file:///nodes_(\w+)\.csv)' AS row "
                       r"MERGE \( n : (\w+) \{ id : row \. `id:ID` \} \) SET n : (\w+) (.*);$")
REL_LOAD = re.compile(r"^LOAD CSV WITH HEADERS FROM '(file:///relationships_(\w+)\.csv)' AS row "
                      r"MATCH \( a : (\w+) \{ id : row \. `:START_ID` \} \) "
                      r"MATCH \( b : (\w+) \{ id : row \. `:END_ID` \} \) "
                      r"MERGE \( a \) - \[ r : (\w+) \{ id : row \. id \} \] -> \( b \) (?:SET (.*))?;$")
ASSIGN = re.compile(r"^, (\w) \. (\w+|`[^`]+`) = (?:(\w+) \( row \. (\w+|`[^`]+`) \)|row \. (\w+|`[^`]+`))")


def _assignments(rest: str, var: str, header: list[str]) -> int:
    """Check ``, v.prop = [conv(]row.`col`[)]`` items: every column read exists in the CSV."""
    n = 0
    rest = rest.strip().removeprefix(",").strip()
    rest = ", " + rest if rest else ""
    while rest:
        m = ASSIGN.match(rest)
        assert m, f"bad SET item near {rest[:60]!r}"
        v, _prop, conv, col1, col2 = m.groups()
        col = (col1 or col2).strip("`")
        assert v == var and col in header, (v, col)
        assert conv is None or conv in FUNCTIONS
        typ = col.partition(":")[2]
        assert (conv, typ) in {(None, ""), ("toInteger", "int"), ("toInteger", "long"), ("toFloat", "double"),
                               ("toBoolean", "boolean")}, (conv, col)
        rest = rest[m.end():].strip()
        n += 1
    return n


def check_cypher(text: str, folder: Path) -> dict[str, int]:
    stmts = statements(text)
    seen = defaultdict(int)
    for st in stmts:
        depth = {"(": 0, "[": 0, "{": 0}
        closing = {")": "(", "]": "[", "}": "{"}
        for kind, t in st:
            if t in depth:
                depth[t] += 1
            elif t in closing:
                depth[closing[t]] -= 1
                assert depth[closing[t]] >= 0, "unbalanced"
            if kind == "word" and t.isupper() and len(t) > 1 and t not in CLAUSES:
                assert re.fullmatch(r"[A-Z_]+", t)  # a relationship type
        assert all(v == 0 for v in depth.values()), "unbalanced brackets"
        flat = " ".join(t for _, t in st)
        if m := CONSTRAINT.match(flat):
            seen["constraints"] += 1
            continue
        if m := NODE_LOAD.match(flat):
            url, t, common, label, rest = m.groups()
            header = next(csv.reader(open(folder / url[len("file:///"):], encoding="utf-8")))
            assert (t, common, label) == (t, COMMON_LABEL, t)
            seen["node files"] += 1
            seen["properties"] += _assignments(rest, "n", header)
            continue
        if m := REL_LOAD.match(flat):
            url, rel, a, b, rtype, rest = m.groups()
            header = next(csv.reader(open(folder / url[len("file:///"):], encoding="utf-8")))
            assert a == b == COMMON_LABEL and rtype == rel
            seen["relationship files"] += 1
            seen["properties"] += _assignments(rest or "", "r", header)
            continue
        raise AssertionError(f"unexpected statement: {flat[:120]}")
    return dict(seen)


def test_import_cypher(out):
    text = (out / "import.cypher").read_text(encoding="utf-8")
    seen = check_cypher(text, out)
    nodes, rels = len(list(out.glob("nodes_*.csv"))), len(list(out.glob("relationships_*.csv")))
    assert seen["node files"] == nodes and seen["relationship files"] == rels
    assert seen["constraints"] == nodes + 1  # one per label and one on the common label
    assert "MERGE (n:KGNode {id: row.`id:ID`})" in text
    assert "n.killed = toInteger(row.`killed:int`)" in text


def test_import_cypher_checker_rejects_bad_text(out):
    good = (out / "import.cypher").read_text(encoding="utf-8")
    for bad in (good.rstrip().rstrip(";"),                     # last statement not terminated
                good.replace("MERGE (n:KGNode {id", "MERGE (n:KGNode {id", 1).replace("})", "}", 1),  # unbalanced
                good.replace("row.`killed:int`", "row.`kiled:int`")):  # column not in the CSV
        with pytest.raises(AssertionError):
            check_cypher(bad, out)


def test_seeds_import_cypher(seeds_out):
    folder = seeds_out / "neo4j"
    seen = check_cypher((folder / "import.cypher").read_text(encoding="utf-8"), folder)
    assert seen["node files"] == len(list(folder.glob("nodes_*.csv")))
