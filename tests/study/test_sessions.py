"""Flashcards, Learn and Matching sessions driven directly, without Qt or a database."""

from __future__ import annotations

import random

import pytest

from app.study.cards import StudyCard
from app.study.flashcards import FlashcardSession
from app.study.learn import CHOICE, WRITTEN, LearnSession
from app.study.mastery import MASTERED_STREAK
from app.study.matching import ANSWER, PENALTY_MS, PROMPT, MatchGame
from tests.study.helpers import ListRecorder, make_cards


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_flashcards_flip_browse_and_rounds_of_the_still_learning_pile():
    rec = ListRecorder()
    s = FlashcardSession(make_cards(4), recorder=rec)
    assert s.shown_text == "q1 front"
    s.flip()
    assert s.shown_text == "answer number 1"
    assert s.next() and s.shown_text == "q2 front" and not s.flipped
    assert s.prev() and not s.prev()
    s.mark(True)  # card 1 known -> moves to card 2
    assert s.current.id == 2
    s.mark(False)
    s.mark(True)
    assert not s.round_complete
    s.mark(False)
    assert s.round_complete and not s.finished
    assert (s.known_count, s.learning_count) == (2, 2)
    assert [(a.card_id, a.correct, a.mode) for a in rec.answers] == [
        (1, True, "flashcards"),
        (2, False, "flashcards"),
        (3, True, "flashcards"),
        (4, False, "flashcards"),
    ]
    assert s.next_round()
    assert s.round == 2 and s.total == 2 and s.current.id == 2
    s.mark(True)
    s.mark(True)
    assert s.finished and not s.next_round()
    assert [(h.known, h.learning) for h in s.history] == [(2, 2), (2, 0)]


def test_flashcards_shuffle_keeps_current_card_and_star_filter():
    s = FlashcardSession(make_cards(20), rng=random.Random(3))
    s.next()
    s.set_shuffle(True)
    assert s.current.id == 2
    assert sorted(c.id for c in s._order) == list(range(1, 21))
    assert [c.id for c in s._order] != list(range(1, 21))
    s.set_shuffle(False)
    assert [c.id for c in s._order] == list(range(1, 21))
    assert s.toggle_star() is True
    s.restart(starred_only=True)
    assert s.total == 1 and s.current.id == 2 and s.current.starred


def test_flashcards_back_first_and_empty_deck():
    s = FlashcardSession(make_cards(1), back_first=True)
    assert s.shown_text == "answer number 1"
    empty = FlashcardSession([])
    empty.flip()
    empty.mark(True)
    assert empty.current is None and empty.shown_text == "" and not empty.round_complete


def _answer_right(s: LearnSession) -> None:
    q = s.current
    if q.kind == CHOICE:
        s.answer_choice(q.correct_index)
    else:
        s.answer_text(q.answer.upper() + "!")  # lenient: case and punctuation
    s.advance()


def test_learn_goes_from_choice_to_written_and_finishes_at_mastered():
    rec = ListRecorder()
    s = LearnSession(make_cards(10), recorder=rec, round_size=4, rng=random.Random(1))
    assert s.round == 1 and len(s.round_cards) == 4
    assert s.current.kind == CHOICE and len(s.current.choices) == 4
    assert len({c.casefold() for c in s.current.choices}) == 4
    first = s.current.card.id
    assert s.level(first) == "new"
    s.answer_choice(s.current.correct_index)
    assert s.level(first) == "learning"
    s.advance()
    seen_kinds: dict[int, list[str]] = {first: [CHOICE]}
    guard = 0
    while not s.finished:
        guard += 1
        assert guard < 200
        if s.current is None:
            assert s.round_progress[0] == s.round_progress[1]
            assert s.start_round()
            continue
        seen_kinds.setdefault(s.current.card.id, []).append(s.current.kind)
        _answer_right(s)
    assert all(kinds == [CHOICE, WRITTEN, WRITTEN] for kinds in seen_kinds.values())
    assert len(rec.answers) == 10 * MASTERED_STREAK and all(a.correct for a in rec.answers)
    assert s.progress == 1.0 and not s.start_round()


def test_learn_wrong_card_comes_back_later_in_the_round():
    rec = ListRecorder()
    s = LearnSession(make_cards(6), recorder=rec, round_size=6, rng=random.Random(2))
    missed = s.current.card.id
    s.answer_choice((s.current.correct_index + 1) % 4)
    assert s.feedback and not s.feedback.correct and rec.answers[-1].correct is False
    s.advance()
    asked = []
    while s.current is not None:
        asked.append(s.current.card.id)
        _answer_right(s)
    assert missed in asked and asked.index(missed) == 3  # after RETRY_GAP other questions
    assert s.round_progress == (6, 6)
    assert s.streak[missed] == 1


def test_learn_typed_miss_is_held_until_override_or_advance():
    cards = [StudyCard(1, "capital of France", "Paris", streak=1), StudyCard(2, "capital of Peru", "Lima")]
    rec = ListRecorder()
    s = LearnSession(cards, recorder=rec, round_size=1, rng=random.Random(0))
    assert s.current.kind == WRITTEN and s.current.card.id == 1
    fb = s.answer_text("Parris France")
    assert not fb.correct and fb.can_override and rec.answers == []
    fb = s.override()
    assert fb.correct and [a.correct for a in rec.answers] == [True] and s.streak[1] == 2
    assert s.advance() is None  # the override took the card out of the retry queue
    with pytest.raises(RuntimeError):
        s.override()
    s.start_round()
    s.answer_text("Lyon")
    assert rec.answers[-1].card_id == 1 and len(rec.answers) == 1
    s.close()
    assert rec.answers[-1].correct is False and s.streak[1] == 0


def test_learn_two_card_deck_and_single_card_deck():
    s = LearnSession(make_cards(2), rng=random.Random(0))
    assert s.current.kind == CHOICE and len(s.current.choices) == 2
    single = LearnSession(make_cards(1))
    assert single.current.kind == WRITTEN  # no other card to draw options from
    assert LearnSession([]).finished


def test_matching_penalty_time_and_records():
    clock = FakeClock()
    rec = ListRecorder()
    game = MatchGame(make_cards(8), pairs=3, recorder=rec, rng=random.Random(5), clock=clock)
    assert game.pairs == 3 and len(game.tiles) == 6 and game.elapsed_ms() == 0
    prompts = [t for t in game.tiles if t.side == PROMPT]
    answers = {t.card_id: t for t in game.tiles if t.side == ANSWER}
    wrong = next(t for cid, t in answers.items() if cid != prompts[0].card_id)
    assert game.pick(prompts[0].index).kind == "selected"
    clock.t += 2.0
    assert game.pick(wrong.index).kind == "mismatch"
    assert game.penalty_ms == PENALTY_MS and game.mistakes == 1
    assert game.pick(prompts[0].index).kind == "selected"
    assert game.pick(prompts[1].index).kind == "selected"  # same side: switches selection
    assert game.pick(prompts[1].index).kind == "deselected"
    for p in prompts:
        assert game.pick(answers[p.card_id].index).kind == "selected"
        assert game.pick(p.index).kind == "match"
        clock.t += 1.0
    assert game.finished
    assert game.elapsed_ms() == 2000 + 2000 + PENALTY_MS  # the last second ticked after the end
    assert game.pick(0).kind == "ignored"
    assert [(a.card_id, a.correct, a.mode) for a in rec.answers][0] == (prompts[0].card_id, False, "match")
    assert sum(a.correct for a in rec.answers) == 3


def test_matching_board_never_holds_two_equal_answers():
    cards = [StudyCard(i, f"word {i}", "same thing" if i < 5 else f"meaning {i}") for i in range(10)]
    game = MatchGame(cards, pairs=6, rng=random.Random(0))
    answers = [t.text for t in game.tiles if t.side == ANSWER]
    assert answers.count("same thing") <= 1 and game.pairs == 6
    tiny = MatchGame(make_cards(1))
    assert not tiny.playable
