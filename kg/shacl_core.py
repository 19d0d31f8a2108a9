"""A fast SHACL Core validator for the constraint components ``ontology/shapes.ttl`` uses.

pyshacl is the reference validator (``kg validate``), but it checks about 17,000
triples a second, so on a 1,000-article graph (720,000 triples) it takes about a
minute — longer than parsing the articles. ``kg build`` therefore checks its new
graph with this module: the same shapes, the same SHACL Core semantics, read
straight from the build's :class:`kg.rdf.Table` (subject → predicate → objects),
in a second or two. ``tests/test_shacl_core.py`` holds it to pyshacl's results on
the seeds graph and on graphs broken on purpose (hypothesis).

Supported: targets ``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``; node and property shapes with a predicate path; the
components ``class``, ``datatype``, ``nodeKind``, ``minCount``, ``maxCount``,
``minLength``, ``maxLength``, ``pattern`` (with ``flags``), ``min/maxInclusive``,
``min/maxExclusive``, ``in``, ``hasValue``, ``node``, ``property``, ``not``,
``and``, ``or``, ``xone``, ``lessThan``, ``lessThanOrEquals``, ``equals``,
``disjoint``; ``severity``, ``message``, ``deactivated``. Shapes using anything
else raise :class:`Unsupported`, and :func:`kg.shacl.validate_table` falls back to
pyshacl, so a new shape is never silently ignored.

Like the project's pyshacl call: no inference, and ``rdfs:subClassOf`` is taken
from the data graph only (SHACL's definition of a class instance).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

#: Parameters of the supported constraint components (and shape-level keywords this engine reads).
_KNOWN = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength, SH.maxLength,
    SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["in"],
    SH.hasValue, SH.node, SH.property, SH["not"], SH["and"], SH["or"], SH.xone, SH.lessThan,
    SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.path, SH.severity, SH.message, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.name, SH.description,
    SH.order, SH.group, SH.defaultValue,
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass
class Shape:
    node: object  #: the shape's IRI or blank node
    path: URIRef | None = None  #: set for property shapes
    targets_class: list = field(default_factory=list)
    targets_node: list = field(default_factory=list)
    targets_subjects_of: list = field(default_factory=list)
    targets_objects_of: list = field(default_factory=list)
    params: dict = field(default_factory=dict)  #: component parameter → list of values
    properties: list["Shape"] = field(default_factory=list)
    severity: URIRef = SH.Violation
    messages: list = field(default_factory=list)
    deactivated: bool = False

    #: ``(handler, the parameter's values)`` of each constraint parameter (see :meth:`compile`)
    checks: list = field(default_factory=list)

    #: the most common parameters, checked inline: ``sh:minCount``, ``sh:maxCount`` (property shapes), ``sh:datatype``
    min_counts: list = field(default_factory=list)
    max_counts: list = field(default_factory=list)
    datatypes: list = field(default_factory=list)

    def compile(self) -> None:
        """Set :attr:`checks` (and the inline ones) from :attr:`params` (after any change to them)."""
        for attr in _INLINE.values():
            setattr(self, attr, [])
        self.checks = []
        for k, v in self.params.items():
            if k in _INLINE:
                if k == SH.datatype or self.path is not None:  # counts apply to property shapes only
                    setattr(self, _INLINE[k], v)
            elif k in _HANDLERS:
                self.checks.append((_HANDLERS[k], v))


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result, as SHACL defines it."""

    focus: object
    path: URIRef | None
    value: object
    severity: URIRef
    message: str | None
    shape: object
    component: str


class Shapes:
    """The shapes graph compiled once: every shape reachable from the graph's node and property shapes."""

    def __init__(self, g: Graph):
        self.g = g
        self.shapes: dict = {}
        roots = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property):
            roots |= set(g.subjects(p, None))
        for r in sorted(roots, key=str):
            self.shape(r)
        self.targeted = [s for s in self.shapes.values()
                         if s.targets_class or s.targets_node or s.targets_subjects_of or s.targets_objects_of]

    def _list(self, node) -> list:
        return list(Collection(self.g, node))

    def shape(self, node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.g
        path = g.value(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported(f"property path {path!r} (only predicate paths are supported)")
        s = Shape(node, path)
        self.shapes[node] = s  # before the recursion: shapes may refer to each other
        for p, o in g.predicate_objects(node):
            if p == RDF.type or not str(p).startswith(str(SH)):
                continue
            if p not in _KNOWN:
                raise Unsupported(f"constraint parameter {p}")
            if p == SH.targetClass:
                s.targets_class.append(o)
            elif p == SH.targetNode:
                s.targets_node.append(o)
            elif p == SH.targetSubjectsOf:
                s.targets_subjects_of.append(o)
            elif p == SH.targetObjectsOf:
                s.targets_objects_of.append(o)
            elif p == SH.severity:
                s.severity = o
            elif p == SH.message:
                s.messages.append(str(o))
            elif p == SH.deactivated:
                s.deactivated = bool(getattr(o, "value", False))
            elif p == SH.property:
                s.properties.append(self.shape(o))
            elif p in (SH["or"], SH["and"], SH.xone):
                s.params.setdefault(p, []).append([self.shape(x) for x in self._list(o)])
            elif p in (SH.node, SH["not"]):
                s.params.setdefault(p, []).append(self.shape(o))
            elif p == SH["in"]:
                s.params.setdefault(p, []).append(self._list(o))
            elif p in (SH.path, SH.name, SH.description, SH.order, SH.group, SH.defaultValue):
                continue
            else:
                s.params.setdefault(p, []).append(o)
        # keyed by the handler table's own objects; counts and lengths as ints
        s.params = {_PARAM_KEYS.get(k, k): v for k, v in s.params.items()}
        for k in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            if k in s.params:
                s.params[k] = [int(n) for n in s.params[k]]
        if SH.flags in s.params and SH.pattern not in s.params:
            raise Unsupported("sh:flags without sh:pattern")
        s.compile()
        return s


class Data:
    """The data graph as the validator reads it: subject → predicate → objects, and class instances."""

    def __init__(self, by_subject: dict):
        self.s = by_subject
        self._instances: dict | None = None
        self._sub: dict | None = None
        self._closure: dict = {}
        # The data's own objects for its predicates and classes. rdflib terms compare equal by
        # value, but through a slow Python ``__eq__``, called by every dict lookup whose key is an
        # equal object that is not the stored one. Shape terms are mapped to these (:meth:`own`)
        # so lookups hit by identity. (A :class:`kg.rdf.Table` already holds one object per term.)
        canon: dict = {}
        for preds in by_subject.values():
            for p in preds:
                canon.setdefault(p, p)
        self.type = canon.get(_TYPE, _TYPE)
        for preds in by_subject.values():
            for t in preds.get(self.type, ()):
                canon.setdefault(t, t)
        self.canon = canon
        self.subclass_of = canon.get(RDFS.subClassOf, RDFS.subClassOf)

    def own(self, term):
        """The data's object equal to ``term`` (a predicate or class), else ``term``."""
        return self.canon.get(term, term) if term is not None else None

    def values(self, node, path) -> list:
        return self.s.get(node, {}).get(path, [])

    def types(self, node) -> list:
        return self.s.get(node, {}).get(self.type, [])

    def subclasses(self, cls) -> set:
        """``cls`` and every class declared (in the data graph) a subclass of it, transitively."""
        if cls in self._closure:
            return self._closure[cls]
        if self._sub is None:
            sub: dict = {}
            for s, preds in self.s.items():
                for sup in preds.get(self.subclass_of, ()):
                    sub.setdefault(sup, set()).add(s)
            self._sub = sub
        out, todo = {cls}, [cls]
        while todo:
            for c in self._sub.get(todo.pop(), ()):
                if c not in out:
                    out.add(c)
                    todo.append(c)
        self._closure[cls] = out
        return out

    def is_instance(self, node, cls) -> bool:
        ts = self.types(node)
        if not ts:
            return False
        if cls in ts:
            return True
        classes = self.subclasses(cls)
        return len(classes) > 1 and any(t in classes for t in ts)

    def instances(self, cls) -> list:
        if self._instances is None:
            inst: dict = {}
            for s, preds in self.s.items():
                for t in preds.get(self.type, ()):
                    inst.setdefault(t, []).append(s)
            self._instances = inst
        out: dict = {}
        for c in sorted(self.subclasses(cls), key=str):
            out.update(dict.fromkeys(self._instances.get(c, ())))
        return list(out)

    def subjects_of(self, p) -> list:
        return [s for s, preds in self.s.items() if p in preds]

    def objects_of(self, p) -> list:
        out: dict = {}
        for preds in self.s.values():
            out.update(dict.fromkeys(preds.get(p, ())))
        return list(out)


def _compare(a, b) -> int | None:
    """-1/0/1 comparing two literals' values, ``None`` when they cannot be compared."""
    if not (isinstance(a, Literal) and isinstance(b, Literal)):
        return None
    if getattr(a, "ill_typed", False) or getattr(b, "ill_typed", False):
        return None
    x, y = a.value, b.value
    if x is None or y is None or isinstance(x, str) != isinstance(y, str):
        return None
    try:
        return (x > y) - (x < y)
    except TypeError:
        return None


_KINDS = {
    SH.IRI: (URIRef,), SH.BlankNode: (BNode,), SH.Literal: (Literal,), SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal), SH.IRIOrLiteral: (URIRef, Literal),
}
_LANG_STRING, _STRING, _TYPE = RDF.langString, XSD.string, RDF.type


def _node_kind_ok(v, kind) -> bool:
    return isinstance(v, _KINDS.get(kind, ()))


def _datatype_ok(v, dt) -> bool:
    if not isinstance(v, Literal):
        return False
    actual = v.datatype or (_LANG_STRING if v.language else _STRING)
    # both are IRIs: compared as strings (rdflib's __eq__ is a slow Python call)
    return (actual is dt or str.__eq__(actual, dt) is True) and not v.ill_typed


_REGEX: dict = {}


def _pattern(p: str, flags: str) -> re.Pattern:
    key = (p, flags)
    rx = _REGEX.get(key)
    if rx is None:
        f = 0
        for ch in flags:
            f |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(ch, 0)
        rx = _REGEX[key] = re.compile(p, f)
    return rx


class Validator:
    """Validates :class:`Data` against :class:`Shapes`; :meth:`run` returns every :class:`Result`."""

    def __init__(self, shapes: Shapes, data: Data):
        self.shapes, self.data = shapes, data
        self._conforms: dict = {}
        _bind(shapes, data)

    def run(self) -> list[Result]:
        out: list[Result] = []
        for s in self.shapes.targeted:
            if s.deactivated:
                continue
            for focus in self.focus_nodes(s):
                self._check(s, focus, out)
        return out

    def focus_nodes(self, s: Shape) -> list:
        d = self.data
        nodes: dict = {}
        for c in s.targets_class:
            nodes.update(dict.fromkeys(d.instances(c)))
        nodes.update(dict.fromkeys(s.targets_node))
        for p in s.targets_subjects_of:
            nodes.update(dict.fromkeys(d.subjects_of(p)))
        for p in s.targets_objects_of:
            nodes.update(dict.fromkeys(d.objects_of(p)))
        return list(nodes)

    def conforms(self, s: Shape, node) -> bool:
        key = (s.node, node)
        ok = self._conforms.get(key)
        if ok is None:
            found: list[Result] = []
            self._check(s, node, found)
            ok = self._conforms[key] = not found
        return ok

    def check(self, s: Shape, focus) -> list[Result]:
        """The results of validating ``focus`` against shape ``s``."""
        out: list[Result] = []
        self._check(s, focus, out)
        return out

    def _check(self, s: Shape, focus, out: list[Result]) -> None:
        # Called for every focus node and every value of every property shape (hundreds of
        # thousands of times on a large graph): handlers return failures as a (usually empty) list.
        if s.deactivated:
            return
        values = self.data.values(focus, s.path) if s.path is not None else [focus]
        failed: list = []
        for n in s.min_counts:
            if len(values) < n:
                failed.append((None, "MinCount"))
        for n in s.max_counts:
            if len(values) > n:
                failed.append((None, "MaxCount"))
        for dt in s.datatypes:
            for v in values:
                if not _datatype_ok(v, dt):
                    failed.append((v, "Datatype"))
        for handler, args in s.checks:
            failed += handler(self, s, focus, values, args)
        if failed:
            msg = s.messages[0] if s.messages else None
            out.extend(Result(focus, s.path, v, s.severity, msg, s.node, comp) for v, comp in failed)
        for ps in s.properties:
            for v in values:
                self._check(ps, v, out)


# Each handler: (validator, shape, focus, value nodes, the parameter's values) → a list of
# (value, component), one per failure (empty when the focus node conforms).


def _class(V, s, focus, values, args):
    is_instance = V.data.is_instance
    return [(v, "Class") for c in args for v in values if isinstance(v, Literal) or not is_instance(v, c)]


def _node_kind(V, s, focus, values, args):
    return [(v, "NodeKind") for k in args for v in values if not _node_kind_ok(v, k)]


def _min_length(V, s, focus, values, args):
    return [(v, "MinLength") for n in args for v in values if isinstance(v, BNode) or len(str(v)) < n]


def _max_length(V, s, focus, values, args):
    return [(v, "MaxLength") for n in args for v in values if isinstance(v, BNode) or len(str(v)) > n]


def _pattern_check(V, s, focus, values, args):
    flags = str(s.params[_FLAGS][0]) if _FLAGS in s.params else ""
    out = []
    for p in args:
        rx = _pattern(str(p), flags)
        out += [(v, "Pattern") for v in values if isinstance(v, BNode) or not rx.search(str(v))]
    return out


def _range(ok: tuple, name: str):
    def check(V, s, focus, values, args):
        return [(v, name) for bound in args for v in values if _compare(v, bound) not in ok]
    return check


def _in(V, s, focus, values, args):
    return [(v, "In") for allowed in args for v in values if v not in allowed]


def _has_value(V, s, focus, values, args):
    return [(None, "HasValue") for hv in args if hv not in values]


def _node(V, s, focus, values, args):
    return [(v, "Node") for other in args for v in values if not V.conforms(other, v)]


def _not(V, s, focus, values, args):
    return [(v, "Not") for other in args for v in values if V.conforms(other, v)]


def _and(V, s, focus, values, args):
    return [(v, "And") for members in args for v in values if not all(V.conforms(m, v) for m in members)]


def _or(V, s, focus, values, args):
    return [(v, "Or") for members in args for v in values if not any(V.conforms(m, v) for m in members)]


def _xone(V, s, focus, values, args):
    return [(v, "Xone") for members in args for v in values if sum(V.conforms(m, v) for m in members) != 1]


def _less(ok: tuple, name: str):
    def check(V, s, focus, values, args):
        out = []
        for p2 in args:
            others = V.data.values(focus, p2)
            out += [(v, name) for v in values if any(_compare(v, w) not in ok for w in others)]
        return out
    return check


def _equals(V, s, focus, values, args):
    out = []
    for p2 in args:
        others = V.data.values(focus, p2)
        out += [(v, "Equals") for v in values if v not in others]
        out += [(w, "Equals") for w in others if w not in values]
    return out


def _disjoint(V, s, focus, values, args):
    out = []
    for p2 in args:
        others = V.data.values(focus, p2)
        out += [(v, "Disjoint") for v in values if v in others]
    return out


_FLAGS = SH.flags
_HANDLERS = {
    SH["class"]: _class,
    SH.nodeKind: _node_kind, SH.minLength: _min_length, SH.maxLength: _max_length, SH.pattern: _pattern_check,
    SH.minInclusive: _range((0, 1), "MinInclusive"), SH.maxInclusive: _range((0, -1), "MaxInclusive"),
    SH.minExclusive: _range((1,), "MinExclusive"), SH.maxExclusive: _range((-1,), "MaxExclusive"),
    SH["in"]: _in, SH.hasValue: _has_value, SH.node: _node, SH["not"]: _not, SH["and"]: _and, SH["or"]: _or,
    SH.xone: _xone, SH.lessThan: _less((-1,), "LessThan"), SH.lessThanOrEquals: _less((-1, 0), "LessThanOrEquals"),
    SH.equals: _equals, SH.disjoint: _disjoint,
}


#: the parameters :meth:`Validator._check` tests inline (the most common ones), and the Shape list each goes to
_INLINE = {SH.minCount: "min_counts", SH.maxCount: "max_counts", SH.datatype: "datatypes"}
_PARAM_KEYS = {k: k for k in (*_HANDLERS, *_INLINE)}
#: parameters whose values are predicates or classes of the data graph
_TERM_PARAMS = (SH["class"], SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint)


def _bind(shapes: Shapes, data: Data) -> None:
    """Give the shapes' paths, classes and targets the data's own objects for those terms (equal
    values, so what is checked does not change; lookups then hit by identity, see :class:`Data`)."""
    own = data.own
    for s in shapes.shapes.values():
        s.path = own(s.path)
        s.targets_class = [own(c) for c in s.targets_class]
        s.targets_subjects_of = [own(p) for p in s.targets_subjects_of]
        s.targets_objects_of = [own(p) for p in s.targets_objects_of]
        for k in _TERM_PARAMS:
            k = _PARAM_KEYS[k]
            if k in s.params:
                s.params[k] = [own(v) if isinstance(v, URIRef) else v for v in s.params[k]]
        s.compile()


def validate(by_subject: dict, shapes: Shapes) -> list[Result]:
    """Every result of validating the data (subject → predicate → objects) against ``shapes``."""
    return Validator(shapes, Data(by_subject)).run()
