"""RDF graph → networkx projections and analysis (baseline)."""
from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .vocab import KG

NODE_CLASSES = ("Organization", "Location", "Official", "Person", "Operation")
EDGE_PROPS = ("conductedBy", "targeted", "locatedIn", "memberOf", "partOf")


def project(g: Graph) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for cls in NODE_CLASSES:
        for n in sorted(g.subjects(RDF.type, KG[cls])):
            G.add_node(str(n), type=cls, label=str(g.value(n, RDFS.label) or n))
    for prop in EDGE_PROPS:
        for s, o in sorted(g.subject_objects(KG[prop])):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=prop, id=f"{s}|{prop}|{o}", relation=prop, label=prop)
    return G
