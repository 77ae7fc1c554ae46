"""A deck's page: its cards (list and full-text search), an editor that saves as you type,
and the buttons that start each study mode."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete, func, select

from app.store.db import Store
from app.store.models import Card, Deck, utcnow
from app.store.repo import normalise_tags, search_cards
from app.study.mastery import mastery_percent
from app.ui import dialogs
from app.ui.deck_model import CardRow, CardTableModel, DeckData, load_deck
from app.ui.modes import MODES, mode_available
from app.ui.workers import run_in_background

SAVE_DELAY_MS = 400


class DeckView(QWidget):
    open_mode = Signal(str, int)
    closed = Signal()
    loaded = Signal()

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.deck_id = deck_id
        self.all_rows: list[CardRow] = []
        self.editing_id: int | None = None  # None: the editor holds a new card
        self._loading_editor = False
        self._closing = False
        self.best_match_ms: int | None = None

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        back = QPushButton("← Library")
        back.setToolTip("Esc")
        back.clicked.connect(self.leave)
        head.addWidget(back)
        self.title = QLabel("…")
        self.title.setObjectName("pageTitle")
        head.addWidget(self.title, 1)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        head.addWidget(self.summary)
        layout.addLayout(head)

        modes = QHBoxLayout()
        self.mode_buttons: dict[str, QPushButton] = {}
        for i, (mode, (_m, _c, label)) in enumerate(MODES.items(), 1):
            b = QPushButton(f"{label}")
            b.setObjectName("primary" if mode == "learn" else "")
            b.setToolTip(f"{label} (Alt+{i})")
            if not mode_available(mode):
                b.setEnabled(False)
                b.setToolTip(f"{label} is not installed in this copy of Recall")
            b.clicked.connect(lambda _=False, m=mode: self.start(m))
            QShortcut(QKeySequence(f"Alt+{i}"), self, activated=lambda m=mode: self.start(m))
            modes.addWidget(b)
            self.mode_buttons[mode] = b
        modes.addStretch(1)
        self.options_button = QPushButton("Deck options…")
        self.options_button.setToolTip("New cards per day, retention, rating scale, language")
        self.options_button.clicked.connect(self.open_options)
        modes.addWidget(self.options_button)
        layout.addLayout(modes)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search cards (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200, timeout=self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        lv.addWidget(self.search)
        self.model = CardTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, 24)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(3, 90)
        self.table.setColumnWidth(4, 110)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        lv.addWidget(self.table, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        lv.addWidget(self.count_label)
        split.addWidget(left)

        right = QWidget()
        form = QFormLayout(right)
        self.editor_title = QLabel("New card")
        self.editor_title.setObjectName("pageTitle")
        form.addRow(self.editor_title)
        self.front = QPlainTextEdit()
        self.front.setTabChangesFocus(True)
        self.front.setPlaceholderText("Question / term")
        self.back = QPlainTextEdit()
        self.back.setTabChangesFocus(True)
        self.back.setPlaceholderText("Answer / definition")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags, separated by spaces")
        form.addRow("Front", self.front)
        form.addRow("Back", self.back)
        form.addRow("Tags", self.tags)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add card")
        self.add_button.setToolTip("Ctrl+Enter")
        self.add_button.clicked.connect(self.add_card)
        self.new_button = QPushButton("New card")
        self.new_button.setToolTip("Ctrl+N")
        self.new_button.clicked.connect(self.new_card)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Ctrl+Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        for b in (self.add_button, self.new_button, self.delete_button):
            row.addWidget(b)
        form.addRow(row)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("muted")
        form.addRow(self.saved_label)
        split.addWidget(right)
        split.setSizes([640, 380])
        layout.addWidget(split, 1)

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.save_current)
        for w in (self.front, self.back):
            w.textChanged.connect(self._edited)
        self.tags.textChanged.connect(self._edited)

        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_card)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._ctrl_enter)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self._ctrl_enter)
        QShortcut(QKeySequence("Ctrl+Delete"), self, activated=self.delete_selected)
        QShortcut(QKeySequence("Esc"), self, activated=self._escape)
        self.new_card()
        self.reload()

    # loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.count_label.setText("Loading…")
        run_in_background(
            load_deck, self.store, self.deck_id, owner=self, on_done=self._loaded, on_error=self._load_failed
        )

    def refresh(self) -> None:
        """Back from a study mode: mastery changed."""
        self.reload()

    def _loaded(self, data: DeckData) -> None:
        if self._closing:
            return
        self.title.setText(data.name)
        self.best_match_ms = data.best_match_ms
        self.all_rows = data.rows
        self._update_summary()
        self.apply_search()
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        dialogs.error(self, "Deck", f"The deck could not be opened: {exc}")
        self.leave()

    def _update_summary(self) -> None:
        counts: dict[str, int] = {}
        for r in self.all_rows:
            counts[r.level] = counts.get(r.level, 0) + 1
        pct = mastery_percent(counts, len(self.all_rows))
        best = f" · best match {self.best_match_ms / 1000:.1f} s" if self.best_match_ms else ""
        self.summary.setText(
            f"{len(self.all_rows)} cards · {counts.get('mastered', 0)} mastered · {pct:.0f} % mastery{best}"
        )
        self.mastery_percent = pct
        empty = not self.all_rows
        for mode in ("flashcards", "learn", "test", "match"):
            self.mode_buttons[mode].setEnabled(not empty)

    # search -------------------------------------------------------------------------------
    def apply_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            rows = self.all_rows
        else:
            with self.store.session() as session:
                deck = session.get(Deck, self.deck_id)
                ids = [c.id for c in search_cards(session, query, deck, limit=2000)] if deck else []
            by_id = {r.id: r for r in self.all_rows}
            rows = [by_id[i] for i in ids if i in by_id]
        keep = self.editing_id
        self.model.set_rows(rows)
        self.count_label.setText(
            f"{len(rows)} of {len(self.all_rows)} cards" if query else f"{len(rows)} cards"
        )
        if keep is not None and (i := self.model.row_of(keep)) >= 0:
            self.table.selectRow(i)

    # editing ------------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        self.save_current()
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return
        row = self.model.rows[rows[0].row()]
        self._show_in_editor(row)

    def _show_in_editor(self, row: CardRow | None) -> None:
        self._loading_editor = True
        self.editing_id = row.id if row else None
        self.front.setPlainText(row.front if row else "")
        self.back.setPlainText(row.back if row else "")
        self.tags.setText(row.tags if row else "")
        self._loading_editor = False
        self.editor_title.setText("Edit card" if row else "New card")
        self.add_button.setVisible(row is None)
        self.delete_button.setEnabled(row is not None)
        self.saved_label.setText("Changes are saved as you type." if row else "")

    def new_card(self) -> None:
        self.save_current()
        self.table.clearSelection()
        self._show_in_editor(None)
        self.front.setFocus()

    def _edited(self) -> None:
        if self._loading_editor or self.editing_id is None:
            return
        self.saved_label.setText("Saving…")
        self._save_timer.start()

    def _editor_values(self) -> tuple[str, str, str]:
        return (
            self.front.toPlainText().strip(),
            self.back.toPlainText().strip(),
            normalise_tags(self.tags.text().split()),
        )

    def save_current(self) -> None:
        """Write the card in the editor if it changed (called by the timer and before leaving it)."""
        self._save_timer.stop()
        cid = self.editing_id
        if cid is None:
            return
        front, back, tags = self._editor_values()
        row = next((r for r in self.all_rows if r.id == cid), None)
        if row is None or (row.front, row.back, row.tags) == (front, back, tags):
            if row is not None:
                self.saved_label.setText("Saved.")
            return
        if not front or not back:
            self.saved_label.setText("A card needs a front and a back; not saved yet.")
            return
        with self.store.transaction() as session:
            card = session.get(Card, cid)
            if card is None:
                self.saved_label.setText("This card was deleted.")
                return
            card.front, card.back, card.tags = front, back, tags
        row.front, row.back, row.tags = front, back, tags
        if (i := self.model.row_of(cid)) >= 0:
            self.model.refresh_row(i)
        self.saved_label.setText("Saved.")

    def _ctrl_enter(self) -> None:
        if self.editing_id is None:
            self.add_card()
        else:
            self.save_current()

    def add_card(self) -> None:
        front, back, tags = self._editor_values()
        if not front or not back:
            self.saved_label.setText("Write a front and a back first.")
            return
        with self.store.transaction() as session:
            pos = session.scalar(
                select(func.coalesce(func.max(Card.position), -1)).where(Card.deck_id == self.deck_id)
            )
            now = utcnow()
            card = Card(deck_id=self.deck_id, front=front, back=back, tags=tags, position=pos + 1)
            card.created_at = card.updated_at = now
            session.add(card)
            session.flush()
            cid = card.id
        self.all_rows.append(CardRow(cid, front, back, tags, False, "new"))
        self._update_summary()
        self.apply_search()
        self._show_in_editor(None)
        self.saved_label.setText(f"Added. {len(self.all_rows)} cards.")
        self.front.setFocus()

    def delete_selected(self) -> None:
        ids = [self.model.rows[i.row()].id for i in self.table.selectionModel().selectedRows()]
        if not ids:
            return
        what = "this card" if len(ids) == 1 else f"these {len(ids)} cards"
        if not dialogs.confirm(self, "Delete cards", f"Delete {what} and their study history?"):
            return
        with self.store.transaction() as session:
            session.execute(delete(Card).where(Card.id.in_(ids), Card.deck_id == self.deck_id))
        gone = set(ids)
        self.all_rows = [r for r in self.all_rows if r.id not in gone]
        self.editing_id = None
        self._update_summary()
        self.apply_search()
        self._show_in_editor(None)
        self.saved_label.setText(f"Deleted {len(ids)} card{'s' if len(ids) > 1 else ''}.")

    # navigation ---------------------------------------------------------------------------
    def start(self, mode: str) -> None:
        b = self.mode_buttons.get(mode)
        if b is None or not b.isEnabled():
            return
        self.save_current()
        self.open_mode.emit(mode, self.deck_id)

    def open_options(self):
        from app.ui.deck_settings_dialog import open_deck_settings

        self.save_current()
        try:
            return open_deck_settings(self.store, self.deck_id, self)
        except LookupError as exc:
            dialogs.error(self, "Deck options", f"Cannot open the options: {exc}")
            return None

    def _escape(self) -> None:
        if self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        self.leave()

    def finish(self) -> None:
        self.save_current()

    def leave(self) -> None:
        if self._closing:
            return
        self.finish()
        self._closing = True
        self.closed.emit()
