"""Quote rules on hand-built Docs (no statistical model)."""
from __future__ import annotations

from kg.extract.quotes import extract_quotes, is_name, quote_spans

from .handdoc import hand_doc, parts


def run(text: str, spec: str):
    doc = hand_doc(text, spec)
    mentions, sent_of, _ = parts(doc)
    return mentions, extract_quotes(doc, mentions, sent_of)


def test_quote_spanning_sentences_then_said():
    text = "“ISIS no longer controls cities. Its ranks are decimated,” Mattis said."
    spec = ("“/``/punct/4 ISIS/VB/nsubj/4/B-ORG no/RB/neg/3 longer/RBR/advmod/4 controls/VBZ/ROOT/4 cities/NNS/dobj/4 "
            "././punct/4 Its/PRP$/poss/8 ranks/NNS/nsubjpass/10 are/VBP/auxpass/10 decimated/VBN/ccomp/14 ,/,/punct/14 "
            "”/''/punct/14 Mattis/NNP/nsubj/14/B-PERSON said/VBD/ROOT/14 ././punct/14")
    ms, [q] = run(text, spec)
    assert q.text == "ISIS no longer controls cities. Its ranks are decimated"  # no marks, no trailing comma
    assert text[q.start:q.end] == q.text
    assert ms[q.speaker].text == "Mattis" and q.rule == "quotes:after"


def test_pronoun_points_at_the_last_named_person():
    text = 'General John Smith visited the base. "We have repeatedly said the war is not over," he added.'
    spec = ("General/NNP/compound/2 John/NNP/compound/2/B-PERSON Smith/NNP/nsubj/3/I-PERSON visited/VBD/ROOT/3 "
            "the/DT/det/5 base/NN/dobj/3 ././punct/3 \"/``/punct/20 We/PRP/nsubj/11 have/VBP/aux/11 repeatedly/RB/advmod/11 "
            "said/VBN/ccomp/20 the/DT/det/13 war/NN/nsubj/14 is/VBZ/ccomp/11 not/RB/neg/14 over/RB/advmod/14 ,/,/punct/20 "
            "\"/''/punct/20 he/PRP/nsubj/20 added/VBD/ROOT/20 ././punct/20")
    ms, [q] = run(text, spec)
    assert q.text == "We have repeatedly said the war is not over"
    assert ms[q.speaker].text == "John Smith"


def test_said_that_before_the_quote():
    text = "Sheikh Ali Hassan told reporters that the “military part of the battle has ended in the north.”"
    spec = ("Sheikh/NNP/compound/2 Ali/NNP/compound/2/B-PERSON Hassan/NNP/nsubj/3/I-PERSON told/VBD/ROOT/3 "
            "reporters/NNS/dobj/3 that/IN/mark/14 the/DT/det/9 “/``/punct/9 military/JJ/amod/9 part/NN/nsubj/14 "
            "of/IN/prep/9 the/DT/det/12 battle/NN/pobj/10 has/VBZ/aux/14 ended/VBN/ccomp/3 in/IN/prep/14 the/DT/det/17 "
            "north/NN/pobj/15 ././punct/3 ”/''/punct/3")
    ms, [q] = run(text, spec)
    assert q.text.startswith("military part of the battle") and ms[q.speaker].text == "Ali Hassan"
    assert q.rule == "quotes:before"


def test_scare_quotes_are_not_quotes():
    text = 'The group watched its self-proclaimed "caliphate" crumble.'
    spec = ("The/DT/det/1 group/NN/nsubj/2 watched/VBD/ROOT/2 its/PRP$/poss/10 self/NN/npadvmod/6 -/HYPH/punct/6 "
            "proclaimed/VBN/amod/10 \"/``/punct/10 caliphate/NN/nmod/10 \"/''/punct/10 crumble/NN/dobj/2 ././punct/2")
    assert run(text, spec)[1] == []


def test_fragment_attributed_to_the_sentences_speaker():
    text = 'The dead included "the commander of the northern sector" of ISIS, said CTS chief Karim Ahmed.'
    spec = ("The/DT/det/1 dead/NNS/nsubj/2 included/VBD/ccomp/14 \"/``/punct/2 the/DT/det/5 commander/NN/dobj/2 "
            "of/IN/prep/5 the/DT/det/9 northern/JJ/amod/9 sector/NN/pobj/6 \"/''/punct/5 of/IN/prep/5 ISIS/NNP/pobj/11/B-ORG "
            ",/,/punct/14 said/VBD/ROOT/14 CTS/NNP/compound/16/B-ORG chief/NN/compound/18 Karim/NNP/compound/18/B-PERSON "
            "Ahmed/NNP/nsubj/14/I-PERSON ././punct/14")
    ms, [q] = run(text, spec)
    assert q.text == "the commander of the northern sector" and ms[q.speaker].text == "Karim Ahmed"


def test_quote_marks_and_names():
    text = 'A "straight quote with four words" and “a curly one with four words” here.'
    assert [text[a + 1:b] for a, b in quote_spans(text)] == ["straight quote with four words", "a curly one with four words"]
    assert is_name("Islamic State of Iraq and Syria") and not is_name("we will never stop fighting")
