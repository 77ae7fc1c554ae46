"""Matching: a timed board of prompt and answer tiles.

The user picks a prompt tile and an answer tile (either first). A right pair leaves the
board; a wrong pair costs a penalty second and counts as a miss for the prompt's card. The
time is the clock from the first pick to the last pair, plus the penalties; the deck keeps
its best time. Cards with the same prompt or answer text are never on one board together,
so every pair has exactly one right partner.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from app.study.answer_check import normalise
from app.study.cards import Answer, Recorder, StudyCard
from app.study.distractors import answer_of, prompt_of

PENALTY_MS = 1000
BOARD_PAIRS = 6

PROMPT = "prompt"
ANSWER = "answer"


@dataclass(frozen=True)
class Tile:
    index: int
    card_id: int
    side: str  # PROMPT or ANSWER
    text: str


@dataclass(frozen=True)
class PickResult:
    kind: str  # "selected", "deselected", "match", "mismatch", "ignored"
    tiles: tuple[int, ...] = ()  # the tiles concerned (the pair for match / mismatch)


class MatchGame:
    def __init__(
        self,
        cards: list[StudyCard],
        *,
        pairs: int = BOARD_PAIRS,
        recorder: Recorder | None = None,
        rng: random.Random | None = None,
        clock=time.monotonic,
        back_first: bool = False,
        penalty_ms: int = PENALTY_MS,
    ) -> None:
        self._rng = rng or random.Random()
        self._clock = clock
        self._record = recorder
        self.penalty_ms_each = penalty_ms
        chosen = self._choose(cards, pairs, back_first)
        tiles = [(c.id, PROMPT, prompt_of(c, back_first)) for c in chosen]
        tiles += [(c.id, ANSWER, answer_of(c, back_first)) for c in chosen]
        self._rng.shuffle(tiles)
        self.tiles = [Tile(i, cid, side, text) for i, (cid, side, text) in enumerate(tiles)]
        self.cleared: set[int] = set()
        self.selected: int | None = None
        self.mistakes = 0
        self.penalty_ms = 0
        self._started: float | None = None
        self._finished_ms: int | None = None

    def _choose(self, cards: list[StudyCard], pairs: int, back_first: bool) -> list[StudyCard]:
        order = list(cards)
        self._rng.shuffle(order)
        prompts: set[str] = set()
        answers: set[str] = set()
        chosen: list[StudyCard] = []
        for c in order:
            p, a = normalise(prompt_of(c, back_first)), normalise(answer_of(c, back_first))
            if not p or not a or p in prompts or a in answers:
                continue
            prompts.add(p)
            answers.add(a)
            chosen.append(c)
            if len(chosen) >= pairs:
                break
        return chosen

    @property
    def pairs(self) -> int:
        return len(self.tiles) // 2

    @property
    def playable(self) -> bool:
        """A board needs two pairs to be a game."""
        return self.pairs >= 2

    @property
    def finished(self) -> bool:
        return bool(self.tiles) and len(self.cleared) == len(self.tiles)

    def elapsed_ms(self) -> int:
        """Time so far (or final time) including penalties; 0 before the first pick."""
        if self._finished_ms is not None:
            return self._finished_ms
        if self._started is None:
            return self.penalty_ms
        return int((self._clock() - self._started) * 1000) + self.penalty_ms

    def pick(self, index: int) -> PickResult:
        if self.finished or index in self.cleared or not 0 <= index < len(self.tiles):
            return PickResult("ignored")
        if self._started is None:
            self._started = self._clock()
        if self.selected is None:
            self.selected = index
            return PickResult("selected", (index,))
        if self.selected == index:
            self.selected = None
            return PickResult("deselected", (index,))
        first, second = self.tiles[self.selected], self.tiles[index]
        if first.side == second.side:  # two prompts: the new pick replaces the old one
            self.selected = index
            return PickResult("selected", (index,))
        self.selected = None
        pair = (first.index, second.index)
        prompt = first if first.side == PROMPT else second
        if first.card_id == second.card_id:
            self.cleared.update(pair)
            self._save(prompt.card_id, True)
            if self.finished:
                self._finished_ms = int((self._clock() - self._started) * 1000) + self.penalty_ms
            return PickResult("match", pair)
        self.mistakes += 1
        self.penalty_ms += self.penalty_ms_each
        self._save(prompt.card_id, False)
        return PickResult("mismatch", pair)

    def _save(self, card_id: int, correct: bool) -> None:
        if self._record is not None:
            self._record(Answer(card_id, "match", correct))
