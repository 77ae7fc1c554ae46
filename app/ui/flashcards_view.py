"""Flashcards: flip (Space), browse (← →), sort into still learning (1) / know (2), shuffle (H),
star (S). Rounds repeat the still-learning pile until every card is known; each round ends on a
summary of what is known and what to go over again."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.store.db import Store
from app.study.cards import load_study_cards, set_starred
from app.study.flashcards import FlashcardSession
from app.study.recording import store_recorder
from app.study.session_summary import flashcards_summary
from app.ui.card_surface import CardSurface, StudyProgress
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.session_summary import SummaryPanel

SHORTCUTS = [
    ("Space / ↑ / ↓", "Flip the card"),
    ("← / →", "Previous / next card"),
    ("1", "Still learning"),
    ("2", "Know it"),
    ("S", "Star or unstar the card"),
    ("H", "Shuffle on or off"),
    ("O", "Starred cards only, on or off"),
    ("B", "Answer (back) first, on or off"),
    ("Enter", "After a round: study the still-learning cards"),
    ("R", "After a round: restart with all cards"),
    ("Esc", "Back to the deck"),
]


class FlashcardsView(StudyPage):
    title = "Flashcards"

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(store, deck_id, parent)
        with store.session() as session:
            self.cards = load_study_cards(session, deck_id)
        self.session = FlashcardSession(self.cards, recorder=store_recorder(store))
        self._shown_at = time.monotonic()

        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Flashcards · {deck_name(store, deck_id)}")
        self.counter = QLabel("")
        self.counter.setObjectName("muted")
        bar.addWidget(self.counter)
        layout.addLayout(bar)
        self.progress = StudyProgress()
        layout.addWidget(self.progress)

        self.pages = QStackedWidget()
        study = QWidget()
        sv = QVBoxLayout(study)
        self.face = CardSurface(min_height=260)
        self.face.clicked.connect(self.flip)
        self.face.setAccessibleName("Card: click or press Space to flip")
        sv.addWidget(self.face, 1)
        nav = QHBoxLayout()
        self.prev_button = flat_button("← Previous", self.prev)
        self.flip_button = flat_button("Flip (Space)", self.flip)
        self.next_button = flat_button("Next →", self.next)
        for b in (self.prev_button, self.flip_button, self.next_button):
            nav.addWidget(b)
        sv.addLayout(nav)
        sort = QHBoxLayout()
        self.learning_button = flat_button("↻ Still learning (1)", lambda: self.mark(False))
        self.know_button = flat_button("✓ Know (2)", lambda: self.mark(True), name="primary")
        sort.addWidget(self.learning_button)
        sort.addWidget(self.know_button)
        sv.addLayout(sort)
        opts = QHBoxLayout()
        self.star_button = flat_button("☆ Star (S)", self.toggle_star)
        self.shuffle_box = QCheckBox("Shuffle (H)")
        self.starred_box = QCheckBox("Starred only (O)")
        self.back_first_box = QCheckBox("Answer first (B)")
        for w in (self.shuffle_box, self.starred_box, self.back_first_box):
            w.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shuffle_box.toggled.connect(self._shuffle_toggled)
        self.starred_box.toggled.connect(self._starred_toggled)
        self.back_first_box.toggled.connect(self._back_first_toggled)
        opts.addWidget(self.star_button)
        opts.addStretch(1)
        for w in (self.shuffle_box, self.starred_box, self.back_first_box):
            opts.addWidget(w)
        sv.addLayout(opts)
        hint = QLabel("Space flip · ← → browse · 1 still learning · 2 know · S star · H shuffle · O starred only · "
                      "B answer first · Esc back")
        hint.setObjectName("hint")
        sv.addWidget(hint)
        self.pages.addWidget(study)

        self.summary = SummaryPanel()
        self.continue_button = self.summary.add_button(
            flat_button("Study the still-learning cards (Enter)", self.continue_rounds, name="primary")
        )
        self.restart_button = self.summary.add_button(flat_button("Restart with all cards (R)", self.restart))
        self.summary.finish_buttons()
        self.pages.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        self.render()

    @property
    def summary_label(self) -> QLabel:
        return self.summary.headline

    # actions --------------------------------------------------------------------------------
    def flip(self) -> None:
        self.session.flip()
        self.render(animate=True)

    def next(self) -> None:
        if self.session.next():
            self._shown_at = time.monotonic()
        self.render()

    def prev(self) -> None:
        if self.session.prev():
            self._shown_at = time.monotonic()
        self.render()

    def mark(self, know: bool) -> None:
        if self.session.current is None or self.session.round_complete:
            return
        elapsed = int((time.monotonic() - self._shown_at) * 1000)
        self.session.mark(know, duration_ms=elapsed)
        self._shown_at = time.monotonic()
        self.render()

    def toggle_star(self) -> None:
        card = self.session.current
        if card is None:
            return
        starred = self.session.toggle_star()
        with self.store.transaction() as s:
            set_starred(s, card.id, starred)
        self.cards = [c if c.id != card.id else self.session.current for c in self.cards]
        self.render()

    def _shuffle_toggled(self, on: bool) -> None:
        self.session.set_shuffle(on)
        self.render()

    def _starred_toggled(self, on: bool) -> None:
        self.session.restart(starred_only=on)
        self.render()

    def _back_first_toggled(self, on: bool) -> None:
        self.session.back_first = on
        self.render()

    def continue_rounds(self) -> None:
        if self.session.round_complete and not self.session.finished:
            self.session.next_round()
            self._shown_at = time.monotonic()
            self.render()

    def restart(self) -> None:
        self.session.restart()
        self.render()

    # drawing -------------------------------------------------------------------------------
    def render(self, animate: bool = False) -> None:
        s = self.session
        self.progress.show_progress(s.sorted_count, s.total, f"{s.sorted_count} / {s.total} sorted")
        if s.round_complete:
            self.pages.setCurrentIndex(1)
            self.summary.show_summary(flashcards_summary(s, self.cards))
            self.continue_button.setVisible(not s.finished)
            self.counter.setText(
                f"Round {s.round} · {s.known_count} known · {s.learning_count} still learning"
            )
            return
        self.pages.setCurrentIndex(0)
        card = s.current
        if card is None:
            empty = (
                "No starred cards: star cards with S, or untick Starred only."
                if s.starred_only
                else "This deck has no cards."
            )
            self.face.show_card("", empty)
        else:
            front_side = s.flipped == s.back_first
            sorted_mark = s.known.get(card.id)
            side = ("FRONT" if front_side else "BACK") + (
                "" if sorted_mark is None else (" · ✓ known" if sorted_mark else " · ↻ still learning")
            )
            star = "★ starred" if card.starred else ""
            if animate:
                self.face.flip_to(side, s.shown_text, star=star)
            else:
                self.face.show_card(side, s.shown_text, star=star)
            self.star_button.setText("★ Unstar (S)" if card.starred else "☆ Star (S)")
        for b in (self.learning_button, self.know_button, self.flip_button, self.star_button):
            b.setEnabled(card is not None)
        self.prev_button.setEnabled(s.index > 0)
        self.next_button.setEnabled(s.index + 1 < s.total)
        self.counter.setText(
            f"Card {s.index + 1 if card else 0} / {s.total} · round {s.round} · "
            f"{s.known_count} known · {s.learning_count} still learning"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        k = Qt.Key
        if self.session.round_complete:
            if key in (k.Key_Return, k.Key_Enter):
                self.continue_rounds()
                return
            if key == k.Key_R:
                self.restart()
                return
        actions = {
            k.Key_Space: self.flip,
            k.Key_Up: self.flip,
            k.Key_Down: self.flip,
            k.Key_Left: self.prev,
            k.Key_Right: self.next,
            k.Key_1: lambda: self.mark(False),
            k.Key_2: lambda: self.mark(True),
            k.Key_S: self.toggle_star,
            k.Key_H: lambda: self.shuffle_box.setChecked(not self.shuffle_box.isChecked()),
            k.Key_O: lambda: self.starred_box.setChecked(not self.starred_box.isChecked()),
            k.Key_B: lambda: self.back_first_box.setChecked(not self.back_first_box.isChecked()),
        }
        action = actions.get(key)
        if action is not None and not self.session.round_complete:
            action()
            return
        super().keyPressEvent(event)
