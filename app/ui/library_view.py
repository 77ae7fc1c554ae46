"""The library, Recall's home: the Today strip, every deck as a row (star, due count, last
studied, mastery), sorting, search across decks and cards as you type, and the deck actions.
Files (import with preview, paste, export, samples) are `library_import.ImportFlow`; the rows
and figures are `library_model`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.store.db import Store
from app.store.models import Card, Deck
from app.store.repo import unique_deck_name
from app.ui import dialogs
from app.ui.library_folders import FolderFlow
from app.ui.library_import import ImportFlow, formats_available, sample_names, samples_available
from app.ui.library_model import (
    SORTS,
    CardHitModel,
    DeckListModel,
    LibraryData,
    load_library,
    set_deck_star,
)
from app.ui.library_search import CardSearch, SearchFlow
from app.ui.library_widgets import DeckDelegate, EmptyLibrary, TodayStrip
from app.ui.workers import run_in_background

__all__ = ["LibraryView", "formats_available", "sample_names", "samples_available"]
SEARCH_DELAY_MS = 150
# Every key the library handles (its QShortcuts and its lists' keys), for the shortcut sheet.
SHORTCUTS = [
    ("Enter", "Open the deck (on a folder: open or close it)"),
    ("S", "Star or unstar the deck"),
    ("F2", "Rename the deck or the folder"),
    ("Delete", "Delete the deck (on a folder: remove the folder, the decks stay)"),
    ("M", "Move the deck to a folder"),
    ("Menu", "The deck's (or the folder's) actions: open, star, rename, move to folder, delete"),
    ("← / →", "Close / open a folder (← on a deck: its folder)"),
    ("Space", "Open or close the folder"),
    ("Ctrl+F", "Search decks and cards"),
    ("Esc", "Clear the search"),
    ("↓", "From the search: to the decks"),
    ("Ctrl+Return", "Study now: everything due, across all decks"),
]


def _delete_deck(store: Store, deck_id: int) -> None:
    # One SQL delete: the foreign keys cascade to cards, states and the log (no 10,000-row ORM load).
    with store.transaction() as session:
        session.execute(delete(Deck).where(Deck.id == deck_id))


def _message(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


class LibraryView(ImportFlow, SearchFlow, FolderFlow, QWidget):
    open_deck = Signal(int)
    open_mode = Signal(str, object)  # mode, deck id or None for every deck
    searched = Signal()  # a search's results are shown

    def __init__(self, store: Store, parent: QWidget | None = None, data: LibraryData | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._queue: list[str] = []
        self.data: LibraryData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(12)

        self.today = TodayStrip()
        self.today.study_now.connect(self.study_now)
        layout.addWidget(self.today)

        head = QHBoxLayout()
        title = QLabel("Your decks")
        title.setObjectName("pageTitle")
        head.addWidget(title, 1)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search decks and cards (Ctrl+F)")
        self.search.setAccessibleName("Search decks and cards")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.setMaximumWidth(420)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS, timeout=self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        head.addWidget(self.search)
        self.sort = QComboBox()
        self.sort.setAccessibleName("Sort decks by")
        for key, label in SORTS.items():
            self.sort.addItem(f"Sort: {label}", key)
        self.sort.currentIndexChanged.connect(lambda _i: self.model.set_sort(self.sort.currentData()))
        head.addWidget(self.sort)
        self.new_button = QPushButton("New deck…")
        self.new_button.setToolTip("Ctrl+Shift+N")
        self.new_button.setAccessibleName("New deck")
        self.new_button.clicked.connect(self.create_deck)
        head.addWidget(self.new_button)
        layout.addLayout(head)

        self.model = DeckListModel()
        self.decks = QListView()
        self.decks.setObjectName("deckList")
        self.decks.setAccessibleName("Decks")
        self.decks.setModel(self.model)
        self.delegate = DeckDelegate(self.decks)
        self.delegate.star_clicked.connect(self.toggle_star)
        self.decks.setItemDelegate(self.delegate)
        self.decks.setUniformItemSizes(True)
        self.decks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.decks.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.decks.doubleClicked.connect(lambda _i: self.open_selected())
        self.decks.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        head.insertWidget(head.indexOf(self.sort) + 1, self._build_folders())

        self.hits_label = QLabel("")
        self.hits_label.setObjectName("sectionTitle")
        self.hits = CardHitModel(store)
        self.finder, self._focus_hits = CardSearch(store, self, self._found), False
        self.cards = QListView()
        self.cards.setObjectName("cardHits")
        self.cards.setAccessibleName("Matching cards")
        self.cards.setModel(self.hits)
        self.cards.setUniformItemSizes(True)  # two lines each, elided: no text layout of every hit per search
        self.cards.setSpacing(2)
        self.cards.doubleClicked.connect(self._open_hit)
        self.cards.installEventFilter(self)

        self.empty = EmptyLibrary(sample_names() if samples_available() else [])
        self.empty.import_button.clicked.connect(self.import_files)
        self.empty.samples_button.clicked.connect(self.load_samples)
        self.samples_button = self.empty.samples_button
        lists = QWidget()
        lv = QVBoxLayout(lists)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.decks, 3)
        lv.addWidget(self.hits_label)
        lv.addWidget(self.cards, 2)
        self.body = QStackedWidget()
        self.body.addWidget(lists)
        self.body.addWidget(self.empty)
        layout.addWidget(self.body, 1)

        buttons = QHBoxLayout()
        self.open_button = self._button(buttons, "Open", self.open_selected, "Enter")
        self.star_button = self._button(buttons, "☆ Star", self.toggle_star, "S")
        self.rename_button = self._button(buttons, "Rename…", self.rename_deck, "F2")
        self.delete_button = self._button(buttons, "Delete…", self.delete_deck, "Delete")
        self.delete_button.setObjectName("danger")
        buttons.addStretch(1)
        self.import_button = self._button(buttons, "Import…", self.import_files, "Ctrl+O")
        self.paste_button = self._button(buttons, "Paste…", self.paste_text, "Ctrl+Shift+V")
        self.export_button = self._button(buttons, "Export…", self.export_deck, "Ctrl+E")
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setAccessibleName("Status")
        layout.addWidget(self.status)
        if not formats_available():
            for b in (self.import_button, self.paste_button, self.export_button, self.empty.import_button):
                b.setEnabled(False)
                b.setToolTip("The importers are not installed")
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self._focus_search)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.study_now)
        self.decks.installEventFilter(self)
        self.setFocusProxy(self.decks)
        self.refresh(data)  # `data`: the figures already read off the UI thread (MainWindow.open_store)

    def _button(self, row: QHBoxLayout, text: str, slot, key: str | None) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        b.setAccessibleName(text.strip("☆★ .…"))
        if key:
            b.setToolTip(key)
        row.addWidget(b)
        return b

    # listing ------------------------------------------------------------------------------
    def refresh(self, data: LibraryData | None = None) -> None:
        selected, folder = self.selected_deck_id(), self.current_folder()
        self.data = data or load_library(self.store)
        self.model.set_rows(self.data.decks)
        self._update_folders()
        self.today.show_today(self.data.today)
        self._reselect(selected, folder)
        self.body.setCurrentWidget(self.empty if not self.data.decks else self.body.widget(0))
        self.apply_search()

    @property
    def deck_names(self) -> list[str]:
        return [d.name for d in self.model.all_rows]

    @property
    def _summaries(self):
        return self.model.all_rows

    def deck_count(self) -> int:
        """Decks listed (folder headers are not decks)."""
        return len(self.model.rows)

    def selected_deck_id(self) -> int | None:
        rows = self.decks.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.decks.selectionModel().setCurrentIndex(index, flags)

    def select_deck(self, deck_id: int) -> None:
        if (row := self.model.row_of(deck_id)) >= 0:
            self._select_row(row)

    def _selected_name(self) -> str:
        deck_id = self.selected_deck_id()
        return next((d.name for d in self.model.all_rows if d.id == deck_id), "")

    def _update_buttons(self) -> None:
        deck_id = self.selected_deck_id()
        has = deck_id is not None
        for b in (self.open_button, self.rename_button, self.delete_button, self.star_button):
            b.setEnabled(has)
        self.export_button.setEnabled(has and formats_available())
        starred = has and any(r.starred for r in self.model.all_rows if r.id == deck_id)
        self.star_button.setText("★ Unstar" if starred else "☆ Star")
        self.star_button.setAccessibleName("Unstar deck" if starred else "Star deck")

    # search ------------------------------------------------------------------------------
    def _open_hit(self, index) -> None:
        deck_id = index.data(Qt.ItemDataRole.UserRole)
        if deck_id is not None:
            self.open_deck.emit(deck_id)

    # keys ---------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        """The lists' own keys: a list view would type-ahead S, swallow F2/Delete, and let Enter
        through to this page after activating (opening the deck twice)."""
        if event.type() != QEvent.Type.KeyPress or event.modifiers() not in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier
        ):
            return super().eventFilter(obj, event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if obj is self.cards and enter:
            if self.cards.currentIndex().isValid():
                self._open_hit(self.cards.currentIndex())
            return True
        if obj is self.decks and self._folder_key(event):
            return True
        if obj is self.decks:
            actions = {Qt.Key.Key_S: self.toggle_star, Qt.Key.Key_F2: self.rename_deck,
                       Qt.Key.Key_Delete: self.delete_deck, Qt.Key.Key_Return: self.open_selected,
                       Qt.Key.Key_Enter: self.open_selected}  # fmt: skip
            action = actions.get(event.key())
            if action is not None:
                action()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.search.hasFocus():
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                self.apply_search()
                return
            if key == Qt.Key.Key_Down:
                self.decks.setFocus()
                return
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()
        elif key == Qt.Key.Key_Delete:
            self.delete_deck()
        elif key == Qt.Key.Key_F2:
            self.rename_deck()
        elif key == Qt.Key.Key_S and not event.modifiers():
            self.toggle_star()
        else:
            super().keyPressEvent(event)

    # deck actions -------------------------------------------------------------------------
    def study_now(self) -> None:
        """Spaced review of everything due, across every deck."""
        if self.data is not None and self.data.today.total:
            self.open_mode.emit("spaced", None)

    def toggle_star(self, deck_id: int | None = None) -> None:
        deck_id = deck_id if isinstance(deck_id, int) else self.selected_deck_id()
        row = next((r for r in self.model.all_rows if r.id == deck_id), None)
        if row is None:
            return
        set_deck_star(row.id, not row.starred)
        self.model.set_starred(row.id, not row.starred)
        self.select_deck(row.id)
        self.status.setText(f"{'Unstarred' if row.starred else 'Starred'} “{row.name}”.")

    def open_selected(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is not None:
            self.open_deck.emit(deck_id)

    def create_deck(self) -> None:
        name = dialogs.ask_text(self, "New deck", "Name of the new deck:")
        if name is None:
            return
        name = " ".join(name.split())[:200]
        if not name:
            dialogs.error(self, "New deck", "A deck needs a name.")
            return
        with self.store.transaction() as session:
            if session.scalar(select(Deck.id).where(Deck.name == name)) is not None:
                name = unique_deck_name(session, name)
            deck = Deck(name=name)
            session.add(deck)
            session.flush()
            deck_id = deck.id
        self.refresh()
        self.select_deck(deck_id)
        self.status.setText(f"Created “{name}”.")
        self.open_deck.emit(deck_id)

    def rename_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return
        old = self._selected_name()
        name = dialogs.ask_text(self, "Rename deck", "New name:", old)
        if name is None:
            return
        name = " ".join(name.split())[:200]
        if not name or name == old:
            return
        try:
            with self.store.transaction() as session:
                deck = session.get(Deck, deck_id)
                if deck is not None:
                    deck.name = name
        except IntegrityError:
            dialogs.error(self, "Rename deck", f"There is already a deck named “{name}”.")
            return
        self.refresh()
        self.status.setText(f"Renamed “{old}” to “{name}”.")

    def delete_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None:
            return
        name = self._selected_name()
        with self.store.session() as session:
            n = session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck_id)) or 0
        text = f"Delete “{name}” and its {n} card{'s' if n != 1 else ''}, with all their study history?"
        if not dialogs.confirm(self, "Delete deck", text + "\n\nThis cannot be undone."):
            return
        self.status.setText(f"Deleting “{name}”…")
        run_in_background(
            _delete_deck,
            self.store,
            deck_id,
            owner=self,
            on_done=lambda _r: self._after(f"Deleted “{name}”."),
            on_error=lambda e: self._failed("Delete deck", e),
        )

    def _after(self, message: str) -> None:
        self.refresh()
        self.status.setText(message)

    def _failed(self, title: str, exc: BaseException) -> None:
        self.status.setText("")
        dialogs.error(self, title, _message(exc))
