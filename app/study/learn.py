"""Learn: adaptive rounds that take every card of a deck to "mastered".

A card the user does not know yet (no correct answer in a row) is asked as multiple choice;
once it was answered right, it is asked as a typed answer, checked leniently. A miss sends
the card back a few questions later in the same round, and a round ends when each of its
cards was answered right once. Mastery is the store's rule (`MASTERED_STREAK` right answers
in a row across all modes), so Learn is done exactly when the deck shows 100 %.

A wrong typed answer is held back until the user moves on, so "I was right" can turn it
into a correct one before anything is written.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from app.study.answer_check import Check, check_answer
from app.study.cards import Answer, Recorder, StudyCard
from app.study.distractors import answer_of, choices_for, prompt_of
from app.study.mastery import MASTERED_STREAK, level_for_streak

CHOICE = "choice"
WRITTEN = "written"
RETRY_GAP = 3  # a missed card comes back after this many other questions (or at the round's end)


@dataclass(frozen=True)
class LearnQuestion:
    card: StudyCard
    kind: str  # CHOICE or WRITTEN
    prompt: str
    answer: str
    choices: list[str] = field(default_factory=list)
    correct_index: int = -1


@dataclass(frozen=True)
class Feedback:
    correct: bool
    expected: str
    given: str
    check: Check | None = None  # typed answers only
    can_override: bool = False  # a wrong typed answer the user may claim as right


class LearnSession:
    def __init__(
        self,
        cards: list[StudyCard],
        *,
        recorder: Recorder | None = None,
        round_size: int = 7,
        options: int = 4,
        back_first: bool = False,
        rng: random.Random | None = None,
        clock=time.monotonic,
    ) -> None:
        self.cards = {c.id: c for c in cards}
        self._order = [c.id for c in cards]
        self._record = recorder
        self.round_size = max(1, round_size)
        self.options = options
        self.back_first = back_first
        self._rng = rng or random.Random()
        self._clock = clock
        self.streak = {c.id: c.streak for c in cards}
        self.round = 0
        self.round_cards: list[int] = []
        self.round_correct: set[int] = set()
        self.round_asked: list[int] = []  # cards answered this round, in the order first asked
        self.round_misses: dict[int, int] = {}  # card -> misses this round (the summary's "review next")
        self._queue: list[int] = []
        self.current: LearnQuestion | None = None
        self.feedback: Feedback | None = None
        self._pending: Answer | None = None
        self._asked_at = 0.0
        self.answered = 0
        self.missed = 0
        self._touched: set[int] = set()
        self.missed_ids: set[int] = set()  # cards missed at least once this session (the summary's "review")
        self.start_round()

    # progress ------------------------------------------------------------------------
    def level(self, card_id: int) -> str:
        card = self.cards[card_id]
        if card.reps == 0 and self.streak[card_id] == 0 and card_id not in self._touched:
            return "new"
        return level_for_streak(self.streak[card_id])

    @property
    def mastered_count(self) -> int:
        return sum(1 for s in self.streak.values() if s >= MASTERED_STREAK)

    @property
    def total(self) -> int:
        return len(self.cards)

    @property
    def progress(self) -> float:
        """0..1 over the whole deck: each right answer in a row moves it, up to mastered."""
        if not self.cards:
            return 1.0
        return sum(min(s, MASTERED_STREAK) for s in self.streak.values()) / (MASTERED_STREAK * self.total)

    @property
    def never_asked(self) -> int:
        """Cards not asked yet in this session and not mastered: Learn's "still to learn"."""
        return sum(1 for cid, st in self.streak.items() if cid not in self._touched and st < MASTERED_STREAK)

    @property
    def round_progress(self) -> tuple[int, int]:
        return len(self.round_correct), len(self.round_cards)

    @property
    def finished(self) -> bool:
        return self.mastered_count == self.total

    @property
    def round_complete(self) -> bool:
        return self.current is None and self.feedback is None

    # rounds ----------------------------------------------------------------------------
    def start_round(self) -> bool:
        """Pick the next cards to work on. False when every card is mastered."""
        self._commit_pending()
        todo = [cid for cid in self._order if self.streak[cid] < MASTERED_STREAK]
        if not todo:
            self.current = None
            self.feedback = None
            return False
        # Cards already under way first, so they reach "mastered" before new ones start.
        started = [cid for cid in todo if self.streak[cid] > 0 or self.cards[cid].reps > 0]
        fresh = [cid for cid in todo if cid not in set(started)]
        chosen = (started + fresh)[: self.round_size]
        self._rng.shuffle(chosen)
        self.round += 1
        self.round_cards = chosen
        self.round_correct = set()
        self.round_asked, self.round_misses = [], {}
        self._queue = list(chosen)
        self.feedback = None
        self._ask_next()
        return True

    def _ask_next(self) -> None:
        if not self._queue:
            self.current = None
            return
        cid = self._queue.pop(0)
        self.current = self._question_for(self.cards[cid])
        self._asked_at = self._clock()

    def _question_for(self, card: StudyCard) -> LearnQuestion:
        prompt = prompt_of(card, self.back_first)
        answer = answer_of(card, self.back_first)
        if self.streak[card.id] == 0:
            choices, idx = choices_for(
                card, list(self.cards.values()), self._rng, options=self.options, back_first=self.back_first
            )
            if len(choices) >= 2:
                return LearnQuestion(card, CHOICE, prompt, answer, choices, idx)
        return LearnQuestion(card, WRITTEN, prompt, answer)

    # answering -------------------------------------------------------------------------
    def answer_choice(self, index: int) -> Feedback:
        q = self._require(CHOICE)
        given = q.choices[index] if 0 <= index < len(q.choices) else ""
        correct = index == q.correct_index
        fb = Feedback(correct, q.answer, given)
        self._settle(q, correct, given, close=False, hold=False)
        self.feedback = fb
        return fb

    def answer_text(self, text: str) -> Feedback:
        q = self._require(WRITTEN)
        check = check_answer(text, q.answer)
        fb = Feedback(check.correct, q.answer, text, check, can_override=not check.correct)
        self._settle(q, check.correct, text, close=check.verdict.value == "close", hold=not check.correct)
        self.feedback = fb
        return fb

    def dont_know(self) -> Feedback:
        """ "I don't know": a miss without guessing."""
        q = self.current
        if q is None or self.feedback is not None:
            raise RuntimeError("no question is waiting for an answer")
        fb = Feedback(False, q.answer, "")
        self._settle(q, False, "", close=False, hold=False)
        self.feedback = fb
        return fb

    def override(self) -> Feedback:
        """ "I was right": the held-back wrong typed answer counts as correct."""
        if self._pending is None or self.feedback is None or not self.feedback.can_override:
            raise RuntimeError("there is no wrong typed answer to override")
        ans = self._pending
        self._pending = None
        cid = ans.card_id
        # Undo what the miss did to this round, then count it as a right answer.
        self.missed -= 1
        self.missed_ids.discard(cid)
        if self.round_misses.get(cid, 0) > 1:
            self.round_misses[cid] -= 1
        else:
            self.round_misses.pop(cid, None)
        if cid in self._queue:
            self._queue.remove(cid)
        self._apply(cid, True, Answer(cid, ans.mode, True, ans.answer_text, ans.duration_ms))
        self.feedback = Feedback(True, self.feedback.expected, self.feedback.given, self.feedback.check)
        return self.feedback

    def advance(self) -> LearnQuestion | None:
        """Leave the feedback and show the next question (None: the round is over)."""
        self._commit_pending()
        self.feedback = None
        self._ask_next()
        return self.current

    def close(self) -> None:
        """Save an answer still held back (the user left while reading the feedback)."""
        self._commit_pending()

    # internals -------------------------------------------------------------------------
    def _require(self, kind: str) -> LearnQuestion:
        q = self.current
        if q is None or self.feedback is not None:
            raise RuntimeError("no question is waiting for an answer")
        if q.kind != kind:
            raise RuntimeError(f"the question is {q.kind}, not {kind}")
        return q

    def _settle(self, q: LearnQuestion, correct: bool, given: str, *, close: bool, hold: bool) -> None:
        cid = q.card.id
        self._touched.add(cid)
        if cid not in self.round_asked:
            self.round_asked.append(cid)
        self.answered += 1
        elapsed = int((self._clock() - self._asked_at) * 1000)
        ans = Answer(cid, "learn", correct, given or None, elapsed, close)
        if correct:
            self._apply(cid, True, ans)
            return
        self.missed += 1
        self.missed_ids.add(cid)
        self.round_misses[cid] = self.round_misses.get(cid, 0) + 1
        # Back later in this round: after a few other questions, or last if the round is short.
        self._queue.insert(min(RETRY_GAP, len(self._queue)), cid)
        if hold:
            self._pending = ans
        else:
            self._apply(cid, False, ans)

    def _apply(self, cid: int, correct: bool, ans: Answer) -> None:
        self.streak[cid] = self.streak[cid] + 1 if correct else 0
        if correct:
            self.round_correct.add(cid)
        if self._record is not None:
            self._record(ans)

    def _commit_pending(self) -> None:
        if self._pending is not None:
            ans, self._pending = self._pending, None
            self._apply(ans.card_id, False, ans)
