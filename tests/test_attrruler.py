"""kg.attrruler: the numpy attribute ruler has exactly the stock AttributeRuler's effect."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from kg import nlp as nlp_mod
from kg.attrruler import NAME, Unsupported, VectorAttributeRuler, replace_attribute_ruler

ATTRS = [POS, TAG, DEP, LEMMA, MORPH, HEAD]


@pytest.fixture(scope="module")
def bare():
    return nlp_mod.load(rules=False)


@pytest.fixture(scope="module")
def rulers(bare):
    stock = bare.get_pipe("attribute_ruler")
    return stock, VectorAttributeRuler.from_ruler(stock)


def both(rulers, doc):
    stock, vec = rulers
    a, b = doc.copy(), doc.copy()
    stock(a)
    vec(b)
    return a, b


def same(a, b) -> bool:
    return (a.to_array(ATTRS) == b.to_array(ATTRS)).all() and [t.morph.to_dict() for t in a] == [t.morph.to_dict() for t in b]


def test_build_pipeline_swaps_the_stock_ruler(nlp, bare):
    assert NAME in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    assert nlp.pipe_names.index(NAME) == bare.pipe_names.index("attribute_ruler")
    assert "attribute_ruler" in bare.pipe_names  # the bare model (the benchmark's reference) is untouched


def test_same_annotations_on_real_text(bare, rulers):
    text = ("Iraqi forces killed 12 ISIS militants in an airstrike near Mosul on Tuesday, the ministry said. "
            "\"We didn't know,\" he told us. It's gonna be hard; there are those who'd disagree.\n\n"
            "Y'all got 'em, didn't you?  Nothin' was done by themselves.")
    with bare.select_pipes(disable=["attribute_ruler"]):
        doc = bare(text)
    a, b = both(rulers, doc)
    assert same(a, b)
    assert [t.pos_ for t in a] == [t.pos_ for t in b] and any(t.pos_ == "AUX" for t in b)
    assert b[0].pos_ == "ADJ" and b[0].morph.to_dict() == a[0].morph.to_dict()


def test_same_annotations_on_the_seeds(bare, rulers):
    from kg.ingest import iter_articles
    from tests.conftest import SEEDS

    texts = [a.text for a in iter_articles([SEEDS])]
    assert texts
    with bare.select_pipes(disable=["attribute_ruler"]):
        for doc in bare.pipe(texts):
            assert same(*both(rulers, doc))


@st.composite
def docs(draw, bare):
    tags = sorted(bare.get_pipe("tagger").labels) + [""]
    deps = sorted(bare.get_pipe("parser").labels) + [""]
    # words the stock patterns name (and their case variants), plus ordinary and whitespace tokens
    words = ["i", "I", "you", "it", "It", "he", "her", "gon", "na", "got", "ta", "let", "'s", "ai", "n't", "nt", "do",
             "did", "'d", "have", "had", "is", "are", "was", "there", "that", "this", "a", "an", "the", "but", "if",
             "Y'", "y", "all", "c'm", "on", "nothin'", "Nuthin'", "'em", "will", "can", "ca", "said", "ISIS",
             "Mosul", "killed", " ", "\n", "  ", "12", "."]
    n = draw(st.integers(0, 12))
    ws = draw(st.lists(st.sampled_from(words), min_size=n, max_size=n))
    tag_list = draw(st.lists(st.sampled_from(tags), min_size=n, max_size=n))
    if draw(st.booleans()):
        dep_list = draw(st.lists(st.sampled_from(deps), min_size=n, max_size=n))
        return Doc(bare.vocab, words=ws, tags=tag_list, deps=dep_list, heads=list(range(n)))
    return Doc(bare.vocab, words=ws, tags=tag_list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_same_annotations_on_hand_built_docs(bare, rulers, data):
    doc = data.draw(docs(bare))
    assert same(*both(rulers, doc))


def test_later_groups_win_and_index_targets(bare):
    """Order and index semantics on a ruler of our own: the later group's value wins; index -1 is the last token."""
    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(bare.vocab)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=0)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    ruler.add([[{"TAG": "NN", "LOWER": {"IN": ["plan", "raid"]}}]], {"POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^r"}}]], {"MORPH": "Number=Sing"})
    vec = VectorAttributeRuler.from_ruler(ruler)
    doc = Doc(bare.vocab, words=["gon", "na", "raid", "plan", "camp"], tags=["VBG", "TO", "NN", "NN", "NN"])
    a, b = doc.copy(), doc.copy()
    ruler(a)
    vec(b)
    assert same(a, b)
    assert [t.lemma_ for t in b][:2] == ["go", "to"]
    assert [t.pos_ for t in b][2:] == ["VERB", "VERB", "NOUN"]
    assert str(b[2].morph) == "Number=Sing" and str(b[3].morph) == ""


def test_unsupported_patterns_keep_the_stock_component(bare):
    import spacy

    from spacy.pipeline import AttributeRuler

    ruler = AttributeRuler(bare.vocab)
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    with pytest.raises(Unsupported):
        VectorAttributeRuler.from_ruler(ruler)
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add([[{"LOWER": "x", "OP": "?"}, {"LOWER": "y"}]], {"POS": "X"})
    assert replace_attribute_ruler(nlp) is False and nlp.pipe_names == ["attribute_ruler"]
    empty = AttributeRuler(bare.vocab)
    empty.add([[{"LOWER": "y"}]], {})
    assert VectorAttributeRuler.from_ruler(empty)(Doc(bare.vocab, words=["y", "z"]))[0].pos_ == ""
    nlp2 = spacy.blank("en")
    nlp2.add_pipe("attribute_ruler").add([[{"LOWER": "y"}]], {"POS": "X"})
    assert replace_attribute_ruler(nlp2) is True and nlp2.pipe_names == [NAME]
    assert nlp2("y z")[0].pos_ == "X"
