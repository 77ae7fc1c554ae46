"""Turns carry the grade's matched / missing / wrong terms; "I was right" keeps the pair for calibration."""

from __future__ import annotations

from sqlalchemy import select

from app.grader import load_grader
from app.grader.base import Grade
from app.store.models import GraderOverride
from app.store.repo import CardRecord, add_cards, get_or_create_deck
from app.voice.call import CallCard, CallDialogue, call_cards, store_recorder


class TermsGrader:
    name = "terms"

    def grade(self, reference, answer, question=None, siblings=None) -> Grade:
        return Grade(0.2, "wrong", ["mitochondria"], self.name, matched=["cell"], wrong=["ribosome"])


def test_a_turn_carries_the_grades_terms_and_prints_them():
    d = CallDialogue([CallCard(1, "What is the powerhouse of the cell?", "The mitochondria of the cell")],
                     TermsGrader())  # fmt: skip
    turn = d.handle("the ribosome of the cell").turn
    assert (turn.matched, turn.missing, turn.wrong) == (["cell"], ["mitochondria"], ["ribosome"])
    doc = turn.as_json()
    assert doc["matched"] == ["cell"] and doc["missing"] == ["mitochondria"] and doc["wrong"] == ["ribosome"]
    assert {"question", "transcript", "verdict", "score", "reply", "grader"} <= set(doc)  # kept keys


def test_the_real_grader_names_the_swapped_term():
    d = CallDialogue([CallCard(1, "What is the powerhouse of the cell?", "The mitochondria")], load_grader())
    turn = d.handle("the ribosome").turn
    assert turn.verdict != "correct"
    assert "mitochondria" in turn.missing and "ribosome" in turn.wrong


def test_i_was_right_records_a_grader_override(store):
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Cells")
        add_cards(s, deck, [CardRecord("What is the powerhouse of the cell?", "The mitochondria"),
                            CardRecord("What makes proteins?", "The ribosome")])  # fmt: skip
        deck_id = deck.id
    d = CallDialogue(call_cards(store, deck_id, order="deck"), load_grader("lexical"), store_recorder(store))
    graded = d.handle("the mighty chondria").turn
    assert graded.verdict != "correct"
    before = graded.verdict
    d.handle("I was right")
    d.handle("I don't know")
    d.handle("I was right")  # overriding "I don't know" moves the schedule but teaches the grader nothing
    with store.session() as s:
        rows = s.scalars(select(GraderOverride)).all()
        assert [(r.mode, r.reference, r.answer, r.question, r.verdict, r.card_id) for r in rows] == [
            ("call", "The mitochondria", "the mighty chondria", "What is the powerhouse of the cell?", before,
             graded.card_id)]  # fmt: skip
    assert graded.verdict == "correct" and graded.overridden_from == before
