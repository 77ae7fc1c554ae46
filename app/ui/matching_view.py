"""Matching: a timed board of tiles. Click (or press the tile's letter) a term and its answer;
a wrong pair flashes (✗) and adds a penalty second; the deck keeps its best time; the game ends
on a summary of the pairs known at once and those mixed up."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Store
from app.store.models import Deck
from app.study.cards import load_study_cards, save_best_match_time
from app.study.matching import PENALTY_MS, MatchGame
from app.study.recording import store_recorder
from app.study.session_summary import matching_summary
from app.ui.card_surface import StudyProgress
from app.ui.common import StudyPage, deck_name, flat_button, format_ms, set_state, top_bar
from app.ui.session_summary import SummaryPanel

FLASH_MS = 450
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLUMNS = 4
MARKS = {"right": "✓ ", "wrong": "✗ ", "selected": "▸ "}  # the state by a sign too, not colour alone
SHORTCUTS = [
    ("A–L", "Pick the tile with that letter"),
    ("Enter", "Play again (when the board is done)"),
    ("Esc", "Back to the deck"),
]


class TileButton(QPushButton):
    """A tile whose text wraps (a plain QPushButton cuts long answers off)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text
        self.setObjectName("tile")
        self.setAccessibleName(text)  # the text is drawn by the child label: name the button by it
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        lay = QVBoxLayout(self)
        self.label = QLabel(text)
        self.label.setObjectName("tileText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        lay.addWidget(self.label)

    def tile_text(self) -> str:
        return self.label.text()

    def show_state(self, state: str) -> None:
        set_state(self, state)
        if self.isEnabled():
            self.label.setText(MARKS.get(state, "") + self._text)

    def clear_tile(self) -> None:
        self.label.setText("")
        self.setEnabled(False)


class MatchingView(StudyPage):
    title = "Match"
    game_over = Signal(int)  # final time in ms

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(store, deck_id, parent)
        with store.session() as session:
            self.cards = load_study_cards(session, deck_id)
            deck = session.get(Deck, deck_id)
            self.best_ms = deck.best_match_ms if deck else None
        self._record = store_recorder(store)
        self.missed: set[int] = set()
        self.game: MatchGame | None = None
        self.tile_buttons: list[TileButton] = []

        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Match · {deck_name(store, deck_id)}")
        self.clock_label = QLabel("0.0 s")
        self.clock_label.setObjectName("pageTitle")
        bar.addWidget(self.clock_label)
        layout.addLayout(bar)
        self.progress = StudyProgress()
        layout.addWidget(self.progress)
        self.info = QLabel("")
        self.info.setObjectName("muted")
        layout.addWidget(self.info)
        self.pages = QStackedWidget()
        self.board = QWidget()
        self.grid = QGridLayout(self.board)
        self.grid.setSpacing(10)
        self.pages.addWidget(self.board)
        self.summary = SummaryPanel()
        self.again_button = self.summary.add_button(flat_button("Play again (Enter)", self.new_game, name="primary"))
        self.summary.finish_buttons()
        self.pages.addWidget(self.summary)
        layout.addWidget(self.pages, 1)
        hint = QLabel("Click a tile or press its letter, then its partner · Esc back")
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.ticker = QTimer(self, interval=100, timeout=self._tick)
        self.new_game()

    def new_game(self) -> None:
        self.game = MatchGame(self.cards, recorder=self._record)
        for b in self.tile_buttons:
            self.grid.removeWidget(b)
            b.deleteLater()
        self.tile_buttons = []
        for tile in self.game.tiles:
            b = TileButton(f"{LETTERS[tile.index]}   {tile.text}")
            b.clicked.connect(lambda _=False, i=tile.index: self.pick(i))
            self.grid.addWidget(b, tile.index // COLUMNS, tile.index % COLUMNS)
            self.tile_buttons.append(b)
        self.missed = set()
        self.pages.setCurrentIndex(0)
        self.progress.show_progress(0, self.game.pairs, f"0 / {self.game.pairs} pairs")
        self.clock_label.setText("0.0 s")
        best = f"Best time: {format_ms(self.best_ms)}. " if self.best_ms else ""
        if not self.game.playable:
            self.info.setText("Matching needs at least two cards with different terms and answers.")
        else:
            self.info.setText(
                f"{best}Match all {self.game.pairs} pairs. A wrong pair adds {PENALTY_MS // 1000} s."
            )
        self.setFocus()

    def pick(self, index: int) -> None:
        game = self.game
        if game is None or not game.playable:
            return
        result = game.pick(index)
        if not self.ticker.isActive() and not game.finished:
            self.ticker.start()
        if result.kind == "ignored":
            return
        if result.kind in ("selected", "deselected"):
            for i, b in enumerate(self.tile_buttons):
                if i not in game.cleared:
                    b.show_state("selected" if i == game.selected else "")
        elif result.kind == "match":
            for i in result.tiles:
                self.tile_buttons[i].show_state("right")
            done = len(game.cleared) // 2
            self.progress.show_progress(done, game.pairs, f"{done} / {game.pairs} pairs")
            QTimer.singleShot(FLASH_MS // 2, self, lambda t=result.tiles, g=game: self._clear(t, g))
        elif result.kind == "mismatch":
            for i in result.tiles:
                self.tile_buttons[i].show_state("wrong")
            self.missed.update(game.tiles[i].card_id for i in result.tiles)
            self.info.setText(f"Not a pair: +{PENALTY_MS // 1000} s. {game.mistakes} wrong so far.")
            QTimer.singleShot(FLASH_MS, self, lambda t=result.tiles, g=game: self._unflash(t, g))
        if game.finished:
            self._finished()
        self._tick()

    def _clear(self, tiles, game: MatchGame) -> None:
        if game is not self.game:  # a new board replaced the one this flash belonged to
            return
        for i in tiles:
            if i < len(self.tile_buttons):
                self.tile_buttons[i].clear_tile()
                set_state(self.tile_buttons[i], "")

    def _unflash(self, tiles, game: MatchGame) -> None:
        if game is not self.game:
            return
        for i in tiles:
            if game is not None and i < len(self.tile_buttons) and i not in game.cleared:
                self.tile_buttons[i].show_state("selected" if i == game.selected else "")

    def _tick(self) -> None:
        if self.game is not None:
            self.clock_label.setText(format_ms(self.game.elapsed_ms()))

    def _finished(self) -> None:
        self.ticker.stop()
        ms = self.game.elapsed_ms()
        with self.store.transaction() as s:
            new_best, previous = save_best_match_time(s, self.deck_id, ms)
        if new_best:
            self.best_ms = ms
        ids = {t.card_id for t in self.game.tiles}
        pairs = [c for c in self.cards if c.id in ids]
        self.summary.show_summary(matching_summary(ms, self.game.mistakes, self.game.penalty_ms, pairs,
                                                   self.missed, self.best_ms, new_best, previous is not None))
        self.pages.setCurrentIndex(1)
        self.game_over.emit(ms)

    @property
    def result(self) -> QLabel:
        return self.summary.headline

    def finish(self) -> None:
        self.ticker.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.game is not None and self.game.finished:
            self.new_game()
            return
        text = event.text().upper()
        if len(text) == 1 and text in LETTERS and self.game is not None:
            i = LETTERS.index(text)
            if i < len(self.game.tiles):
                self.pick(i)
                return
        super().keyPressEvent(event)
