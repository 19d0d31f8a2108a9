"""Operation rules on hand-built Docs (no statistical model)."""
from __future__ import annotations

from kg.extract.operations import extract_operations, kinds_compatible

from .handdoc import hand_doc, parts


def run(text: str, spec: str, date: str | None = None):
    doc = hand_doc(text, spec)
    mentions, sent_of, article = parts(doc, date)
    n = len(mentions)
    out, ops = extract_operations(doc, mentions, sent_of, article)
    assert out[:n] == mentions  # existing mentions keep their indices
    return out, ops


def names(mentions, idx):
    return [mentions[i].text for i in idx]


JOINT = ("The Iraqi army, assisted by Peshmerga forces, carried out a search operation on July 13 in the Hamrin Mountains.",
         "The/DT/det/2 Iraqi/JJ/amod/2/B-NORP army/NN/nsubj/9 ,/,/punct/2 assisted/VBN/acl/2 by/IN/agent/4 "
         "Peshmerga/NNP/compound/7/B-NORP forces/NNS/pobj/5 ,/,/punct/2 carried/VBD/ROOT/9 out/RP/prt/9 a/DT/det/13 "
         "search/NN/compound/13 operation/NN/dobj/9 on/IN/prep/9 July/NNP/pobj/14/B-DATE 13/CD/nummod/15/I-DATE "
         "in/IN/prep/9 the/DT/det/20/B-LOC Hamrin/NNP/compound/20/I-LOC Mountains/NNPS/pobj/17/I-LOC ././punct/9")

RAID = ("Security forces killed three ISIS militants and arrested two suspects in a raid near Kirkuk on Thursday.",
        "Security/NN/compound/1 forces/NNS/nsubj/2 killed/VBD/ROOT/2 three/CD/nummod/5/B-CARDINAL ISIS/NN/compound/5/B-ORG "
        "militants/NNS/dobj/2 and/CC/cc/2 arrested/VBD/conj/2 two/CD/nummod/9/B-CARDINAL suspects/NNS/dobj/7 in/IN/prep/7 "
        "a/DT/det/12 raid/NN/pobj/10 near/IN/prep/12 Kirkuk/NNP/pobj/13/B-GPE on/IN/prep/7 Thursday/NNP/pobj/15/B-DATE ././punct/2")


def test_joint_operation_actors_date_and_place():
    ms, [op] = run(*JOINT)
    assert op.kind == "search operation"
    assert names(ms, op.actors) == ["Iraqi army", "Peshmerga forces"]  # added as force phrases
    assert all(ms[i].type == "Organization" for i in op.actors)
    assert names(ms, op.places) == ["the Hamrin Mountains"]
    assert (op.date, op.date_type) == ("--07-13", "gMonthDay")


def test_year_comes_from_the_article_date():
    _, [op] = run(*JOINT, date="2025-07-20")
    assert (op.date, op.date_type) == ("2025-07-13", "date")


def test_casualties_target_place_and_weekday():
    ms, [op] = run(*RAID, date="2025-07-05")  # a Saturday
    assert op.kind == "raid"
    assert (op.killed, op.arrested) == (3, 2)
    assert names(ms, op.targets) == ["ISIS"]
    assert names(ms, op.places) == ["Kirkuk"]
    assert op.date == "2025-07-03"


def test_weekday_without_article_date_is_a_note():
    _, [op] = run(*RAID)
    assert op.date is None and "date: Thursday" in op.notes


def test_generic_hypothetical_negated_and_adjective_are_not_operations():
    cases = [
        ("Iraqi forces regularly announce various operations against ISIS.",
         "Iraqi/JJ/amod/1/B-NORP forces/NNS/nsubj/3 regularly/RB/advmod/3 announce/VBP/ROOT/3 various/JJ/amod/5 "
         "operations/NNS/dobj/3 against/IN/prep/5 ISIS/NNP/pobj/6/B-ORG ././punct/3"),
        ("ISIS is still capable of carrying out attacks in Iraq.",
         "ISIS/NNP/nsubj/1/B-ORG is/VBZ/ROOT/1 still/RB/advmod/1 capable/JJ/acomp/1 of/IN/prep/3 carrying/VBG/pcomp/4 "
         "out/RP/prt/5 attacks/NNS/dobj/5 in/IN/prep/7 Iraq/NNP/pobj/8/B-GPE ././punct/1"),
        ("There was no raid on the village.",
         "There/EX/expl/1 was/VBD/ROOT/1 no/DT/det/3 raid/NN/attr/1 on/IN/prep/3 the/DT/det/6 village/NN/pobj/4 ././punct/1"),
        ("The group's operational effectiveness has begun to wane.",
         "The/DT/det/1 group/NN/poss/4 's/POS/case/1 operational/JJ/amod/4 effectiveness/NN/nsubj/6 has/VBZ/aux/6 "
         "begun/VBN/ROOT/6 to/TO/aux/8 wane/VB/xcomp/6 ././punct/6"),
    ]
    for text, spec in cases:
        assert run(text, spec)[1] == [], text


def test_anaphor_joins_the_operation_it_refers_to():
    text = ("Federal Police killed 15 militants during a security campaign near the border. "
            "The operation was launched after weeks of surveillance.")
    spec = ("Federal/NNP/compound/1/B-ORG Police/NNP/nsubj/2/I-ORG killed/VBD/ROOT/2 15/CD/nummod/4/B-CARDINAL "
            "militants/NNS/dobj/2 during/IN/prep/2 a/DT/det/8 security/NN/compound/8 campaign/NN/pobj/5 near/IN/prep/8 "
            "the/DT/det/11 border/NN/pobj/9 ././punct/2 The/DT/det/14 operation/NN/nsubjpass/16 was/VBD/auxpass/16 "
            "launched/VBN/ROOT/16 after/IN/prep/16 weeks/NNS/pobj/17/B-DATE of/IN/prep/18 surveillance/NN/pobj/19 ././punct/16")
    ms, [op] = run(text, spec)
    assert op.kind == "security campaign" and op.sents == (0, 1)
    assert names(ms, op.actors) == ["Federal Police"] and op.killed == 15


def test_attribution_is_a_source_not_an_actor():
    text = ("In a June 29 operation, security forces killed three ISIS elements in the Balkana Mountains, "
            "according to the Security Media Cell.")
    spec = ("In/IN/prep/8 a/DT/det/4 June/NNP/nmod/4/B-DATE 29/CD/nummod/2/I-DATE operation/NN/pobj/0 ,/,/punct/8 "
            "security/NN/compound/7 forces/NNS/nsubj/8 killed/VBD/ROOT/8 three/CD/nummod/11/B-CARDINAL "
            "ISIS/NN/compound/11/B-ORG elements/NNS/dobj/8 in/IN/prep/8 the/DT/det/15/B-LOC Balkana/NNP/compound/15/I-LOC "
            "Mountains/NNPS/pobj/12/I-LOC ,/,/punct/8 according/VBG/prep/8 to/IN/prep/17 the/DT/det/22/B-ORG "
            "Security/NNP/compound/22/I-ORG Media/NNP/compound/22/I-ORG Cell/NNP/pobj/18/I-ORG ././punct/8")
    ms, [op] = run(text, spec)
    # a source, never an actor; bare "security forces" of no known country is no entity either
    assert op.actors == ()
    assert names(ms, op.targets) == ["ISIS"] and op.killed == 3 and op.date == "--06-29"
    assert names(ms, op.places) == ["the Balkana Mountains"]


def test_nationality_on_a_strike_is_the_nations_military():
    text = "Israeli airstrikes killed at least 28 people in Gaza."
    spec = ("Israeli/JJ/amod/1/B-NORP airstrikes/NNS/ROOT/1 killed/VBN/acl/1 at/RB/advmod/4/B-CARDINAL "
            "least/JJS/advmod/5/I-CARDINAL 28/CD/nummod/6/I-CARDINAL people/NNS/dobj/2 in/IN/prep/6 Gaza/NNP/pobj/7/B-GPE ././punct/1")
    ms, [op] = run(text, spec)
    [actor] = op.actors
    assert (ms[actor].text, ms[actor].canonical, ms[actor].type) == ("Israeli", "Israeli military", "Organization")
    assert op.kind == "airstrike" and op.killed == 28 and "killed: at least 28" in op.notes


def test_vague_amount_is_a_note_not_a_number():
    text = "Troops arrested dozens of suspects in a sweep operation in Diyala."
    spec = ("Troops/NNS/nsubj/1 arrested/VBD/ROOT/1 dozens/NNS/dobj/1/B-CARDINAL of/IN/prep/2 suspects/NNS/pobj/3 "
            "in/IN/prep/1 a/DT/det/8 sweep/NN/compound/8 operation/NN/pobj/5 in/IN/prep/8 Diyala/NNP/pobj/9/B-GPE ././punct/1")
    ms, [op] = run(text, spec)
    assert op.kind == "sweep operation" and op.arrested is None and "arrested: dozens" in op.notes
    assert names(ms, op.places) == ["Diyala"]
    assert op.actors == ()  # bare "Troops" with no force named before: no entity invented


def test_killed_along_with_companions_by_coalition_airstrike():
    text = "The leader was killed, along with two of his companions, by a coalition airstrike in Idlib."
    spec = ("The/DT/det/1 leader/NN/nsubjpass/3 was/VBD/auxpass/3 killed/VBN/ROOT/3 ,/,/punct/3 along/IN/prep/3 "
            "with/IN/prep/5 two/CD/pobj/6/B-CARDINAL of/IN/prep/7 his/PRP$/poss/10 companions/NNS/pobj/8 ,/,/punct/3 "
            "by/IN/agent/3 a/DT/det/15 coalition/NN/compound/15 airstrike/NN/pobj/12 in/IN/prep/15 Idlib/NNP/pobj/16/B-GPE ././punct/3")
    ms, [op] = run(text, spec)
    assert op.kind == "airstrike" and op.killed == 3
    assert names(ms, op.places) == ["Idlib"]


def test_kinds_compatibility():
    assert kinds_compatible("ambush", "operation") and kinds_compatible("airstrike", "drone strike")
    assert not kinds_compatible("raid", "airstrike")


def test_armed_group_attack_verb_with_casualties():
    text = "Militants attacked a checkpoint near Tuz Khurmatu on Tuesday, killing two soldiers."
    spec = ("Militants/NNS/nsubj/1 attacked/VBD/ROOT/1 a/DT/det/3 checkpoint/NN/dobj/1 near/IN/prep/3 Tuz/NNP/compound/6/B-FAC "
            "Khurmatu/NNP/pobj/4/I-FAC on/IN/prep/1 Tuesday/NNP/pobj/7/B-DATE ,/,/punct/1 killing/VBG/advcl/1 "
            "two/CD/nummod/12/B-CARDINAL soldiers/NNS/dobj/10 ././punct/1")
    ms, [op] = run(text, spec, date="2024-02-10")  # a Saturday
    assert (op.kind, op.killed, op.date) == ("attack", 2, "2024-02-06")
    assert names(ms, op.places) == ["Tuz Khurmatu"]


def test_labour_strike_and_business_operations_are_not_operations():
    text = "Oil workers began a strike on Sunday, and the airport resumed operations."
    spec = ("Oil/NN/compound/1 workers/NNS/nsubj/2 began/VBD/ROOT/2 a/DT/det/4 strike/NN/dobj/2 on/IN/prep/2 "
            "Sunday/NNP/pobj/5/B-DATE ,/,/punct/2 and/CC/cc/2 the/DT/det/10 airport/NN/nsubj/11 resumed/VBD/conj/2 "
            "operations/NNS/dobj/11 ././punct/11")
    assert run(text, spec)[1] == []


def test_dateline_date_is_the_publication_not_the_operation():
    text = "BAGHDAD, March 3, 2024 (AFP) - Troops raided a hideout in Kirkuk."
    spec = ("BAGHDAD/NNP/nsubj/11/B-GPE ,/,/punct/0 March/NNP/npadvmod/0/B-DATE 3/CD/nummod/2/I-DATE ,/,/punct/2/I-DATE "
            "2024/CD/nummod/2/I-DATE (/-LRB-/punct/7 AFP/NNP/appos/2/B-ORG )/-RRB-/punct/7 -/,/punct/0 Troops/NNS/nsubj/11 "
            "raided/VBD/ROOT/11 a/DT/det/13 hideout/NN/dobj/11 in/IN/prep/11 Kirkuk/NNP/pobj/14/B-GPE ././punct/11")
    ms, [op] = run(text, spec)
    assert op.kind == "raid" and op.date is None and names(ms, op.places) == ["Kirkuk"]


TOLLS = [  # war-level cumulative tolls: no operation, no number anywhere
    ("Israel's offensive has killed more than 40,000 Palestinians, according to the Health Ministry.",
     "Israel/NNP/poss/2/B-GPE 's/POS/case/0 offensive/NN/nsubj/4 has/VBZ/aux/4 killed/VBN/ROOT/4 more/JJR/amod/7/B-CARDINAL "
     "than/IN/quantmod/7/I-CARDINAL 40,000/CD/nummod/8/I-CARDINAL Palestinians/NNPS/dobj/4/B-NORP ,/,/punct/4 "
     "according/VBG/prep/4 to/IN/prep/10 the/DT/det/14 Health/NNP/compound/14/B-ORG Ministry/NNP/pobj/11/I-ORG ././punct/4"),
    ("The Israeli offensive killed more than 57,000 people.",
     "The/DT/det/2 Israeli/JJ/amod/2/B-NORP offensive/NN/nsubj/3 killed/VBD/ROOT/3 more/JJR/amod/6/B-CARDINAL "
     "than/IN/quantmod/6/I-CARDINAL 57,000/CD/nummod/7/I-CARDINAL people/NNS/dobj/3 ././punct/3"),
    ("Since the start of the war, Israeli forces have killed more than 9,000 civilians in the fighting.",
     "Since/IN/prep/10 the/DT/det/2 start/NN/pobj/0 of/IN/prep/2 the/DT/det/5 war/NN/pobj/3 ,/,/punct/10 "
     "Israeli/JJ/amod/8/B-ORG forces/NNS/nsubj/10/I-ORG have/VBP/aux/10 killed/VBN/ROOT/10 more/JJR/amod/13/B-CARDINAL "
     "than/IN/quantmod/13/I-CARDINAL 9,000/CD/nummod/14/I-CARDINAL civilians/NNS/dobj/10 in/IN/prep/10 the/DT/det/17 "
     "fighting/NN/pobj/15 ././punct/10"),
    ("The conflict has killed at least 5,000 people in Sudan.",
     "The/DT/det/1 conflict/NN/nsubj/3 has/VBZ/aux/3 killed/VBN/ROOT/3 at/RB/advmod/5/B-CARDINAL least/RBS/advmod/6/I-CARDINAL "
     "5,000/CD/nummod/7/I-CARDINAL people/NNS/dobj/3 in/IN/prep/7 Sudan/NNP/pobj/8/B-GPE ././punct/3"),
    ("The death toll from Israel's offensive has risen to more than 57,000.",
     "The/DT/det/2 death/NN/compound/2 toll/NN/nsubj/8 from/IN/prep/2 Israel/NNP/poss/6/B-GPE 's/POS/case/4 "
     "offensive/NN/pobj/3 has/VBZ/aux/8 risen/VBN/ROOT/8 to/IN/prep/8 more/JJR/amod/12/B-CARDINAL "
     "than/IN/quantmod/12/I-CARDINAL 57,000/CD/pobj/9/I-CARDINAL ././punct/8"),
]


def test_war_level_tolls_are_not_operations():
    for text, spec in TOLLS:
        doc = hand_doc(text, spec)
        mentions = parts(doc)[0]
        out, ops = run(text, spec)
        assert ops == [], text
        assert out == mentions, text  # no actor entity invented for a toll either


def test_toll_beside_a_strike_lends_it_no_numbers():
    text = "Israeli airstrikes pounded Khan Younis on Saturday. The war has killed over 57,000 Palestinians."
    spec = ("Israeli/JJ/amod/1/B-NORP airstrikes/NNS/nsubj/2 pounded/VBD/ROOT/2 Khan/NNP/compound/4/B-GPE "
            "Younis/NNP/dobj/2/I-GPE on/IN/prep/2 Saturday/NNP/pobj/5/B-DATE ././punct/2 The/DT/det/9 war/NN/nsubj/11 "
            "has/VBZ/aux/11 killed/VBN/ROOT/11 over/IN/quantmod/13/B-CARDINAL 57,000/CD/nummod/14/I-CARDINAL "
            "Palestinians/NNPS/dobj/11/B-NORP ././punct/11")
    _, [op] = run(text, spec, date="2025-07-06")
    assert (op.kind, op.date, op.sents) == ("airstrike", "2025-07-05", (0,))
    assert op.killed is None and not any("57000" in n for n in op.notes)


def test_dated_attack_with_a_large_toll_stays_an_operation():
    text = "The Hamas-led group killed some 1,200 people in their Oct. 7, 2023, attack on Israel."
    spec = ("The/DT/det/4 Hamas/NNP/npadvmod/3/B-ORG -/HYPH/punct/3 led/VBN/amod/4 group/NN/nsubj/5 killed/VBD/ROOT/5 "
            "some/DT/quantmod/7/B-CARDINAL 1,200/CD/nummod/8/I-CARDINAL people/NNS/dobj/5 in/IN/prep/5 their/PRP$/poss/11 "
            "Oct./NNP/pobj/9/B-DATE 7/CD/nummod/11/I-DATE ,/,/punct/11/I-DATE 2023/CD/nummod/11/I-DATE ,/,/punct/11 "
            "attack/NN/appos/11 on/IN/prep/16 Israel/NNP/pobj/17/B-GPE ././punct/5")
    ms, [op] = run(text, spec, date="2025-07-06")
    assert (op.kind, op.date, op.date_type, op.killed) == ("attack", "2023-10-07", "date", 1200)
    assert names(ms, op.actors) == ["Hamas"] and names(ms, op.places) == ["Israel"]
