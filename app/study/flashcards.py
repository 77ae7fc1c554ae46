"""Flashcards: flip through a deck and sort it into "know" and "still learning".

A round goes through its cards in order (or shuffled); the arrows browse freely, and sorting
a card records the answer and moves to the next unsorted one. When every card of the round
is sorted, the next round holds only the "still learning" pile, until that pile is empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.study.cards import Answer, Recorder, StudyCard


@dataclass(frozen=True)
class RoundSummary:
    round: int
    known: int
    learning: int


class FlashcardSession:
    def __init__(
        self,
        cards: list[StudyCard],
        *,
        recorder: Recorder | None = None,
        starred_only: bool = False,
        back_first: bool = False,
        rng: random.Random | None = None,
    ) -> None:
        self._all = list(cards)
        self._record = recorder
        self._rng = rng or random.Random()
        self.back_first = back_first
        self.starred_only = starred_only
        self.shuffled = False
        self.round = 1
        self._order: list[StudyCard] = self._pool()
        self._source_order = list(self._order)
        self.index = 0
        self.flipped = False
        self.known: dict[int, bool] = {}  # card id -> sorted as known (True) / still learning (False)
        self.history: list[RoundSummary] = []

    def _pool(self) -> list[StudyCard]:
        return [c for c in self._all if c.starred] if self.starred_only else list(self._all)

    # what the view shows ------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self._order)

    @property
    def current(self) -> StudyCard | None:
        return self._order[self.index] if self._order else None

    @property
    def shown_text(self) -> str:
        card = self.current
        if card is None:
            return ""
        front_side = self.flipped == self.back_first
        return card.front if front_side else card.back

    @property
    def sorted_count(self) -> int:
        return len(self.known)

    @property
    def known_count(self) -> int:
        return sum(self.known.values())

    @property
    def learning_count(self) -> int:
        return self.sorted_count - self.known_count

    @property
    def round_complete(self) -> bool:
        return bool(self._order) and self.sorted_count == len(self._order)

    @property
    def finished(self) -> bool:
        """Every card of the round was sorted as known: nothing left to learn."""
        return self.round_complete and self.learning_count == 0

    # actions ------------------------------------------------------------------------
    def flip(self) -> None:
        if self.current is not None:
            self.flipped = not self.flipped

    def next(self) -> bool:
        if self.index + 1 < len(self._order):
            self.index += 1
            self.flipped = False
            return True
        return False

    def prev(self) -> bool:
        if self.index > 0:
            self.index -= 1
            self.flipped = False
            return True
        return False

    def set_shuffle(self, on: bool) -> None:
        """Shuffle the round (or restore deck order), keeping the current card in view."""
        current = self.current
        self.shuffled = on
        if on:
            order = list(self._source_order)
            self._rng.shuffle(order)
        else:
            order = list(self._source_order)
        self._order = order
        self.index = order.index(current) if current in order else 0
        self.flipped = False

    def toggle_star(self) -> bool:
        """Star or unstar the current card in this session; the caller saves it. Returns the new value."""
        card = self.current
        if card is None:
            return False
        new = StudyCard(card.id, card.front, card.back, card.tags, not card.starred, card.streak, card.reps)
        self._replace(card, new)
        return new.starred

    def _replace(self, old: StudyCard, new: StudyCard) -> None:
        for seq in (self._all, self._order, self._source_order):
            for i, c in enumerate(seq):
                if c.id == old.id:
                    seq[i] = new

    def mark(self, know: bool, *, duration_ms: int | None = None) -> None:
        """Sort the current card, record the answer, and move to the next unsorted card."""
        card = self.current
        if card is None or self.round_complete:
            return
        self.known[card.id] = know
        if self._record is not None:
            self._record(Answer(card.id, "flashcards", know, duration_ms=duration_ms))
        self._replace(card, card.with_result(know))
        self._advance_to_unsorted()

    def _advance_to_unsorted(self) -> None:
        n = len(self._order)
        for step in range(1, n + 1):
            i = (self.index + step) % n
            if self._order[i].id not in self.known:
                self.index = i
                self.flipped = False
                return

    def next_round(self) -> bool:
        """Start a round of the still-learning pile. False when there is nothing left."""
        if not self.round_complete:
            return False
        self.history.append(RoundSummary(self.round, self.known_count, self.learning_count))
        learning_ids = {cid for cid, know in self.known.items() if not know}
        if not learning_ids:
            return False
        self._source_order = [c for c in self._source_order if c.id in learning_ids]
        self.round += 1
        self.known = {}
        self.index = 0
        self.set_shuffle(self.shuffled)
        self.index = 0
        return True

    def restart(self, *, starred_only: bool | None = None) -> None:
        """Start over with the whole deck (or only its starred cards)."""
        if starred_only is not None:
            self.starred_only = starred_only
        self.round = 1
        self.history = []
        self.known = {}
        self._source_order = self._pool()
        self._order = list(self._source_order)
        self.index = 0
        self.set_shuffle(self.shuffled)
        self.index = 0
