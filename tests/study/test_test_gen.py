"""Test generation: distractor rules, small decks, scoring and the review of mistakes."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.study.answer_check import normalise
from app.study.cards import StudyCard
from app.study.distractors import pick_distractors
from app.study.test_gen import (
    KINDS,
    MATCHING,
    MULTIPLE_CHOICE,
    TRUE_FALSE,
    WRITTEN,
    ExamRun,
    generate_test,
)
from tests.study.helpers import ListRecorder, make_cards


def test_distractors_skip_the_answer_and_duplicates_in_normalised_text():
    cards = [
        StudyCard(1, "organelle of respiration", "The mitochondria"),
        StudyCard(2, "same, other card", "mitochondria."),
        StudyCard(3, "x", "Ribosome"),
        StudyCard(4, "y", "ribosome!"),
        StudyCard(5, "z", "Golgi apparatus"),
    ]
    got = pick_distractors(cards[0], cards, 3, random.Random(0))
    keys = [normalise(t) for t in got]
    assert "mitochondria" not in keys
    assert sorted(keys) == ["golgi apparatus", "ribosome"]


@settings(max_examples=40, deadline=None)
@given(
    backs=st.lists(
        st.sampled_from(["a", "A.", "b", "the b", "c", "d", "é", "e", "f"]), min_size=1, max_size=12
    ),
    seed=st.integers(0, 1000),
)
def test_multiple_choice_options_are_distinct_and_hold_the_answer_once(backs, seed):
    cards = [StudyCard(i + 1, f"front {i}", b) for i, b in enumerate(backs)]
    test = generate_test(cards, 20, [MULTIPLE_CHOICE], rng=random.Random(seed))
    assert len(test.questions) == len(cards)
    for q in test.questions:
        if q.kind == MULTIPLE_CHOICE:
            keys = [normalise(c) for c in q.choices]
            assert len(set(keys)) == len(keys) >= 2
            assert q.choices[q.correct_index] == q.answers[0]
        else:
            assert q.kind == WRITTEN  # nothing distinct to offer: asked as written


def test_counts_kinds_and_cards_used_once():
    cards = make_cards(40)
    test = generate_test(cards, 20, KINDS, rng=random.Random(4))
    kinds = [q.kind for q in test.questions]
    assert len(kinds) == 20 and {kinds.count(k) for k in KINDS} == {5}
    ids = [c.id for q in test.questions for c in q.cards]
    assert len(ids) == len(set(ids))
    assert all(len(q.cards) == 4 for q in test.questions if q.kind == MATCHING)
    for q in test.questions:
        if q.kind == TRUE_FALSE and not q.is_true:
            assert normalise(q.statement) != normalise(q.answers[0])


def test_small_decks_shrink_the_test_and_say_so():
    test = generate_test(make_cards(3), 10, [MATCHING], rng=random.Random(0))
    assert sum(q.points for q in test.questions) <= 3
    assert test.notes and "3 cards" in test.notes[0]
    one = generate_test(make_cards(1), 5, [MULTIPLE_CHOICE, TRUE_FALSE], rng=random.Random(0))
    assert len(one.questions) == 1 and one.questions[0].kind in (WRITTEN, TRUE_FALSE)
    if one.questions[0].kind == TRUE_FALSE:
        assert one.questions[0].is_true
    assert generate_test([], 5).questions == []


def test_scoring_records_and_mistakes():
    rec = ListRecorder()
    cards = make_cards(12)
    test = generate_test(cards, 5, KINDS, rng=random.Random(7))
    run = ExamRun(test, recorder=rec)
    for n, q in enumerate(run.questions):
        if q.kind == MULTIPLE_CHOICE:
            run.answer(n, (q.correct_index + 1) % len(q.choices))  # wrong
        elif q.kind == TRUE_FALSE:
            run.answer(n, q.is_true)
        elif q.kind == WRITTEN:
            run.answer(n, q.answers[0].lower())
        else:
            picks = [q.choices.index(a) for a in q.answers]
            picks[0], picks[1] = picks[1], picks[0]  # two pairs swapped
            run.answer(n, picks)
    got, total = run.score()
    kinds = [q.kind for q in run.questions]
    assert sorted(kinds) == sorted([MULTIPLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, WRITTEN, MATCHING])
    assert total == test.total == 4 + 4  # four one-card questions and a four-card matching one
    assert got == total - 2 - 2  # two wrong options, two swapped pairs
    mistakes = run.mistakes()
    assert len(mistakes) == 4
    mc = next(m for m in mistakes if m.kind == MULTIPLE_CHOICE)
    assert mc.right.startswith("answer number") and mc.given != mc.right
    assert len(rec.answers) == total and all(a.mode == "test" for a in rec.answers)
    assert sum(a.correct for a in rec.answers) == got


def test_unanswered_questions_score_nothing_and_are_listed():
    run = ExamRun(generate_test(make_cards(4), 2, [WRITTEN], rng=random.Random(0)))
    run.answer(0, "no idea")
    assert run.score() == (0, 2) and not run.complete
    assert [m.given for m in run.mistakes()] == ["no idea", "(no answer)"]
