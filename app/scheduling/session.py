"""The Spaced review screen's logic, Qt-free: what to show, what each button does, undo.

    s = SpacedSession(store, deck_id)      # deck_id None = all decks
    s.current                              # a Prompt (front, back, button labels) or None
    s.reveal(); s.answer(3)                # 1..4 (or 1..5 on a confidence-scale deck)
    s.undo()                               # takes back this screen's last answer

Each answer is its own transaction, so quitting at any moment loses nothing. The clock is
injectable (`now=`) so tests can step through days.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from app.scheduling.grades import rating_for_confidence
from app.scheduling.queue import DayCounts, Queue, build_queue
from app.scheduling.review import format_interval, preview, record_review
from app.scheduling.undo import NothingToUndo, undo_review
from app.store.models import Card

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
CONFIDENCE_LABELS = {
    1: "1 · No idea",
    2: "2 · Vaguely",
    3: "3 · With effort",
    4: "4 · Knew it",
    5: "5 · Perfectly",
}


@dataclass(frozen=True)
class Choice:
    key: int  # the number key / button index (1-based)
    label: str
    rating: int  # the FSRS rating it records
    interval: str  # the next interval it gives, e.g. "10m", "3d"


@dataclass(frozen=True)
class Prompt:
    card_id: int
    deck_id: int
    deck: str
    front: str
    back: str
    kind: str  # new | learning | review
    scale: str  # "4" or "5"
    choices: tuple[Choice, ...]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class SpacedSession:
    def __init__(
        self,
        store,
        deck_id: int | None,
        *,
        now: Callable[[], datetime] = _utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.deck_id = deck_id
        self._now = now
        self.tz = tz
        self.revealed = False
        self.reviewed = 0  # answers given on this screen (minus undone ones)
        self._undo: list[int] = []  # log ids of this screen's answers, newest last
        self._shown_at = time.monotonic()
        self.queue: Queue
        self.current: Prompt | None = None
        self.refresh()

    # -- state -----------------------------------------------------------------------------
    @property
    def counts(self) -> DayCounts:
        return self.queue.counts

    @property
    def next_due(self) -> datetime | None:
        """When a learning card comes back, while nothing else is left today."""
        return self.queue.next_due if self.current is None else None

    @property
    def done_for_today(self) -> bool:
        return self.current is None and self.queue.next_due is None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def refresh(self, prefer: int | None = None) -> None:
        """Rebuild today's queue and pick the card to show (`prefer`: that card, if queued)."""
        now = self._now()
        with self.store.session() as session:
            self.queue = build_queue(session, self.deck_id, now, self.tz)
            item = next((it for it in self.queue.items if it.card_id == prefer), None) if prefer else None
            item = item or self.queue.next_item()
            self.current = self._prompt(session, item.card_id, item.kind, now) if item else None
        self.revealed = False
        self._shown_at = time.monotonic()

    def _prompt(self, session, card_id: int, kind: str, now: datetime) -> Prompt:
        card = session.get(Card, card_id)
        deck = card.deck
        due = preview(deck, card.state, card.id, now)
        scale = "5" if deck.rating_scale == "5" else "4"
        if scale == "5":
            choices = tuple(
                Choice(level, CONFIDENCE_LABELS[level], r, format_interval(due[r] - now))
                for level in range(1, 6)
                for r in (rating_for_confidence(level),)
            )
        else:
            choices = tuple(
                Choice(r, RATING_LABELS[r], r, format_interval(due[r] - now)) for r in range(1, 5)
            )
        return Prompt(card.id, deck.id, deck.name, card.front, card.back, kind, scale, choices)

    # -- actions ---------------------------------------------------------------------------
    def reveal(self) -> None:
        if self.current is not None:
            self.revealed = True

    def answer(self, key: int) -> None:
        """Record the answer on button `key` (1..4, or 1..5 on a confidence deck) and move on."""
        prompt = self.current
        if prompt is None:
            return
        choice = next((c for c in prompt.choices if c.key == key), None)
        if choice is None:
            raise ValueError(f"no answer button {key}")
        elapsed = int((time.monotonic() - self._shown_at) * 1000)
        with self.store.transaction() as session:
            card = session.get(Card, prompt.card_id)
            if card is None:  # deleted meanwhile (another window): skip it
                res = None
            else:
                res = record_review(
                    session, card, mode="spaced", rating=choice.rating, duration_ms=elapsed, now=self._now()
                )
        if res is not None:
            self._undo.append(res.log_id)
            self.reviewed += 1
        self.refresh()

    def undo(self) -> bool:
        """Take back this screen's last answer and show that card again. False if none."""
        if not self._undo:
            return False
        log_id = self._undo.pop()
        try:
            with self.store.transaction() as session:
                card_id = undo_review(session, log_id=log_id).card_id
        except (NothingToUndo, ValueError):
            self._undo.clear()  # reviewed elsewhere since; nothing safe to undo from here
            self.refresh()
            return False
        self.reviewed -= 1
        self.refresh(prefer=card_id)  # show the card again, as Anki does
        return True
