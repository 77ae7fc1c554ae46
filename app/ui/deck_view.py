"""A deck's page: the study modes as large, described choices, and the cards as a readable list
(front, back preview, mastery, star) with full-text search. Enter on a card (or Ctrl+N for a
new one) opens the card editor, a keyboard-driven view of its own."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete

from app.store.db import Store
from app.store.models import Card, Deck
from app.store.repo import search_cards
from app.study.cards import set_starred
from app.study.mastery import mastery_percent
from app.ui import dialogs
from app.ui.card_editor import SHORTCUTS as EDITOR_SHORTCUTS
from app.ui.card_editor import CardEditor
from app.ui.deck_model import CardDelegate, CardListModel, CardRow, DeckData, load_deck
from app.ui.modes import DESCRIPTIONS, MODES, mode_available
from app.ui.workers import run_in_background

SHORTCUTS = [
    ("Alt+1 … Alt+7", "Start a study mode (in the order shown)"),
    ("Ctrl+F", "Search the deck's cards"),
    ("Ctrl+N", "Add cards (opens the editor)"),
    ("Enter", "Edit the selected card"),
    ("S", "Star or unstar the selected card"),
    ("Delete", "Delete the selected cards"),
    ("Esc", "Clear the search, or back to the library"),
    *((keys, f"Card editor: {what}") for keys, what in EDITOR_SHORTCUTS),
]
STUDY_MODES = ("flashcards", "learn", "test", "match")  # those that need cards in the deck
BATCH_ROWS = 2000  # rows added to the list per event-loop turn: a 20k deck never blocks it long


class ModeButton(QPushButton):
    """A large choice: the mode's name in bold over what it is for (labels, so both wrap)."""

    def __init__(self, label: str, description: str) -> None:
        super().__init__()
        self.setObjectName("modeButton")
        self.setAccessibleName(f"{label}: {description}")
        self.setMinimumHeight(80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        v = QVBoxLayout(self)
        v.setContentsMargins(14, 8, 14, 8)
        self.title_label = QLabel(label)
        self.title_label.setObjectName("sectionTitle")
        self.description_label = QLabel(description)
        self.description_label.setObjectName("muted")
        self.description_label.setWordWrap(True)
        for w in (self.title_label, self.description_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            v.addWidget(w)

    def description(self) -> str:
        return self.description_label.text()


class DeckView(QWidget):
    open_mode = Signal(str, int)
    closed = Signal()
    loaded = Signal()  # the cards are read and every row is in the list

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.deck_id = deck_id
        self.all_rows: list[CardRow] = []
        self._keep: list[int] = []  # the selection to restore once the list is filled
        self._closing = False
        self.best_match_ms: int | None = None
        self.mastery_percent = 0.0
        self.loading = True  # until the rows of the first load are all in the list
        self._pending: list[CardRow] = []  # rows still to add to the list, a batch per turn
        self._fill_timer = QTimer(self, singleShot=True, interval=0, timeout=self._fill_batch)

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
        self.options_button = QPushButton("Deck options…")
        self.options_button.setToolTip("New cards per day, retention, rating scale, language")
        self.options_button.clicked.connect(self.open_options)
        head.addWidget(self.options_button)
        self.folder_button = QPushButton("Folder…")  # library folders: app/ui/library_folders.py
        self.folder_button.setToolTip("Move this deck to a folder of the library")
        self.folder_button.setAccessibleName("Move to folder")
        self.folder_button.clicked.connect(self.move_to_folder)
        head.addWidget(self.folder_button)
        layout.addLayout(head)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.browse = QWidget()
        bv = QVBoxLayout(self.browse)
        bv.setContentsMargins(0, 0, 0, 0)
        modes = QGridLayout()
        self.mode_buttons: dict[str, QPushButton] = {}
        self._available = {mode: mode_available(mode) for mode in MODES}  # a file-system look-up each: once
        for i, (mode, (_m, _c, label)) in enumerate(MODES.items(), 1):
            b = ModeButton(label, DESCRIPTIONS.get(mode, ""))
            b.setToolTip(f"{label} (Alt+{i})")
            if not self._available[mode]:
                b.setEnabled(False)
                b.setToolTip(f"{label} is not installed in this copy of Recall")
            b.clicked.connect(lambda _=False, m=mode: self.start(m))
            QShortcut(QKeySequence(f"Alt+{i}"), self, activated=lambda m=mode: self.start(m))
            modes.addWidget(b, (i - 1) // 4, (i - 1) % 4)
            self.mode_buttons[mode] = b
        bv.addLayout(modes)

        tools = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search cards (Ctrl+F)")
        self.search.setAccessibleName("Search cards")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=200, timeout=self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        tools.addWidget(self.search, 1)
        self.new_button = QPushButton("+ Add cards (Ctrl+N)")
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_card)
        tools.addWidget(self.new_button)
        bv.addLayout(tools)
        self.model = CardListModel()
        self.cards = QListView()
        self.cards.setObjectName("cardList")
        self.cards.setAccessibleName("Cards")
        self.cards.setModel(self.model)
        self.cards.setUniformItemSizes(True)  # one height for all, asked of one row only
        # Laid out in batches between paints: the first screenful of a 10,000-card deck shows at once.
        self.cards.setLayoutMode(QListView.LayoutMode.Batched)
        self.cards.setBatchSize(300)
        self.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cards.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.delegate = CardDelegate(self.cards)
        self.delegate.star_clicked.connect(self.toggle_star)
        self.cards.setItemDelegate(self.delegate)
        self.cards.doubleClicked.connect(lambda idx: self.edit_row(idx.row()))
        self.cards.installEventFilter(self)
        bv.addWidget(self.cards, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        bv.addWidget(self.count_label)
        self.stack.addWidget(self.browse)

        self.editor = CardEditor(store, deck_id)
        self.editor.added.connect(self._added)
        self.editor.changed.connect(self._changed)
        self.editor.delete_requested.connect(lambda cid: self.delete_cards([cid]))
        self.editor.closed.connect(self.show_list)
        self.stack.addWidget(self.editor)

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_card)
        QShortcut(QKeySequence("Esc"), self.browse, activated=self._escape, context=ctx)
        self.reload()

    # loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.loading = True
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
        self.apply_search()  # emits `loaded` once its last batch is in

    def _finish_loading(self) -> None:
        if self.loading:
            self.loading = False
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
        for mode in STUDY_MODES:
            self.mode_buttons[mode].setEnabled(bool(self.all_rows) and self._available[mode])

    # the list -----------------------------------------------------------------------------
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
        self._keep = self.selected_ids() if not self._pending else self._keep
        # A model reset over 20k rows (and the list's layout of them) takes a few hundred ms on
        # a slow machine: the first batch goes in now, the rest one batch per event-loop turn.
        self.model.set_rows(list(rows[:BATCH_ROWS]))
        self._pending = list(rows[BATCH_ROWS:])
        self.count_label.setText(
            f"{len(rows)} of {len(self.all_rows)} cards" if query else f"{len(rows)} cards"
        )
        if self._pending:
            self._fill_timer.start()
        else:
            self._fill_timer.stop()
            self._rows_in()

    def _fill_batch(self) -> None:
        batch, self._pending = self._pending[:BATCH_ROWS], self._pending[BATCH_ROWS:]
        self.model.append_rows(batch)
        if self._pending:
            self._fill_timer.start()
        else:
            self._rows_in()

    def _rows_in(self) -> None:
        """Every row is listed: select again the card that was selected, and say it is loaded."""
        keep, self._keep = self._keep, []
        if len(keep) == 1 and (i := self.model.row_of(keep[0])) >= 0:
            self.select_row(i)
        self._finish_loading()

    def select_row(self, i: int) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.cards.selectionModel().setCurrentIndex(self.model.index(i), flags)
        self.cards.scrollTo(self.model.index(i))

    def selected_ids(self) -> list[int]:
        return [self.model.rows[i.row()].id for i in self.cards.selectionModel().selectedIndexes()]

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.cards and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            current = self.cards.currentIndex()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
                self.edit_row(current.row())
                return True
            if key == Qt.Key.Key_S and current.isValid():
                self.toggle_star(current.row())
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_cards(self.selected_ids())
                return True
        return super().eventFilter(obj, event)

    def toggle_star(self, i: int) -> None:
        row = self.model.rows[i]
        row.starred = not row.starred
        with self.store.transaction() as session:
            set_starred(session, row.id, row.starred)
        self.model.refresh_row(i)

    def _focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()

    # the editor ---------------------------------------------------------------------------
    def new_card(self) -> None:
        self.stack.setCurrentWidget(self.editor)
        self.editor.edit(None)

    def edit_row(self, i: int) -> None:
        if 0 <= i < len(self.model.rows):
            self.stack.setCurrentWidget(self.editor)
            self.editor.edit(self.model.rows[i])

    def show_list(self) -> None:
        if self.stack.currentWidget() is self.editor:
            self.editor.save_current()
            self.stack.setCurrentWidget(self.browse)
        editing = self.editor.row
        if editing is not None and (i := self.model.row_of(editing.id)) >= 0:
            self.select_row(i)
        self.cards.setFocus()

    def _added(self, row: CardRow) -> None:
        self.all_rows.append(row)
        self._update_summary()
        self.apply_search()

    def _changed(self, row: CardRow) -> None:
        if (i := self.model.row_of(row.id)) >= 0:
            self.model.refresh_row(i)

    def delete_cards(self, ids: list[int]) -> None:
        if not ids:
            return
        what = "this card" if len(ids) == 1 else f"these {len(ids)} cards"
        if not dialogs.confirm(self, "Delete cards", f"Delete {what} and their study history?"):
            return
        with self.store.transaction() as session:
            session.execute(delete(Card).where(Card.id.in_(ids), Card.deck_id == self.deck_id))
        gone = set(ids)
        self.all_rows = [r for r in self.all_rows if r.id not in gone]
        if self.editor.row is not None and self.editor.row.id in gone:
            self.editor.forget()
            self.show_list()
        self._update_summary()
        self.apply_search()
        self.count_label.setText(f"Deleted {len(ids)} card{'s' if len(ids) > 1 else ''}. {len(self.all_rows)} left.")

    # navigation ---------------------------------------------------------------------------
    def start(self, mode: str) -> None:
        b = self.mode_buttons.get(mode)
        if b is None or not b.isEnabled() or not self._editor_left():
            return
        self.finish()
        self.open_mode.emit(mode, self.deck_id)

    def open_options(self):
        from app.ui.deck_settings_dialog import open_deck_settings

        self.finish()
        try:
            return open_deck_settings(self.store, self.deck_id, self)
        except LookupError as exc:
            dialogs.error(self, "Deck options", f"Cannot open the options: {exc}")
            return None

    def move_to_folder(self) -> str | None:
        from app.ui.library_folders import move_deck_dialog

        return move_deck_dialog(self.store, self.deck_id, self)

    def _escape(self) -> None:
        if self.search.text():
            self.search.clear()
            self.cards.setFocus()
            return
        self.leave()

    def finish(self) -> None:
        self.editor.save_current()

    def _editor_left(self) -> bool:
        """An open editor with an edit it cannot save keeps the page (it says why, then asks)."""
        return self.stack.currentWidget() is not self.editor or self.editor.leave_ok()

    def leave(self) -> None:
        if self._closing or not self._editor_left():
            return
        self.finish()
        self._closing = True
        self.closed.emit()
