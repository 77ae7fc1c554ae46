"""The library: every deck with its card count, cards due today and mastery; create, rename,
delete, import (file, paste, drag and drop) with a preview, and export."""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.config import load_settings, save_settings
from app.store.db import Store
from app.store.models import Card, Deck
from app.store.repo import deck_summaries, unique_deck_name
from app.ui import dialogs
from app.ui.workers import run_in_background

COLUMNS = ("Deck", "Cards", "Due today", "Mastery")


def formats_available() -> bool:
    return importlib.util.find_spec("app.formats") is not None


def samples_available() -> bool:
    """Looked up on disk: find_spec of a submodule would import app.formats at start-up."""
    if getattr(sys, "frozen", False):  # a bundle keeps modules in an archive, not as files
        try:
            return importlib.util.find_spec("app.formats.samples") is not None
        except ImportError:
            return False
    spec = importlib.util.find_spec("app.formats")
    if spec is None or not spec.submodule_search_locations:
        return False
    return any((Path(loc) / "samples.py").exists() for loc in spec.submodule_search_locations)


# work that runs off the UI thread ----------------------------------------------------------
def _parse_path(path: str):
    from app.formats import parse_file

    return parse_file(path)


def _parse_text(text: str, fmt: str):
    from app.formats import parse_text

    return parse_text(text, format=fmt)


def _import(store: Store, parsed, name: str, skip: bool):
    from app.formats.service import import_parsed

    with store.transaction() as session:
        return import_parsed(session, parsed, name, skip_duplicates=skip)


def _export(store: Store, deck_id: int, path: str, fmt: str) -> int:
    from app.formats.export import write_export
    from app.store.repo import card_records

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        records = card_records(session, deck)
        name, description = deck.name, deck.description
    write_export(path, fmt, name, records, description)
    return len(records)


def _load_samples(store: Store):
    from app.formats.samples import load_samples

    with store.transaction() as session:
        return load_samples(session)


def _delete_deck(store: Store, deck_id: int) -> None:
    # One SQL delete: the foreign keys cascade to cards, states and the log (no 10,000-row ORM load).
    with store.transaction() as session:
        session.execute(delete(Deck).where(Deck.id == deck_id))


def _message(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__


def _mastery_bar(percent: float) -> QWidget:
    """A slim bar centred in its cell (a bare QProgressBar would stick to the cell's top)."""
    holder = QWidget()
    lay = QVBoxLayout(holder)
    lay.setContentsMargins(8, 0, 8, 0)
    bar = QProgressBar()
    bar.setRange(0, 100)
    bar.setValue(round(percent))
    bar.setFormat(f"{percent:.0f} %")
    lay.addWidget(bar, 0, Qt.AlignmentFlag.AlignVCenter)
    holder.bar = bar  # type: ignore[attr-defined]
    return holder


class LibraryView(QWidget):
    open_deck = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.preview = None  # the open ImportPreviewDialog, if any (tests drive it)
        self.paste_dialog = None
        self._queue: list[str] = []
        self._summaries = []
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel("Your decks")
        title.setObjectName("pageTitle")
        head.addWidget(title, 1)
        layout.addLayout(head)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(3, 200)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)

        self.empty = QLabel(
            "No decks yet. Create one, import a file (or drop it on this window), or paste the text of a deck."
        )
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

        buttons = QHBoxLayout()
        self.open_button = self._button(buttons, "Open", self.open_selected, "Enter")
        self.new_button = self._button(buttons, "New deck…", self.create_deck, "Ctrl+Shift+N")
        self.rename_button = self._button(buttons, "Rename…", self.rename_deck, "F2")
        self.delete_button = self._button(buttons, "Delete…", self.delete_deck, "Delete")
        buttons.addStretch(1)
        layout.addLayout(buttons)
        files = QHBoxLayout()
        self.import_button = self._button(files, "Import file…", self.import_files, "Ctrl+O")
        self.paste_button = self._button(files, "Paste text…", self.paste_text, "Ctrl+Shift+V")
        self.export_button = self._button(files, "Export…", self.export_deck, "Ctrl+E")
        self.samples_button = self._button(files, "Load sample decks", self.load_samples, None)
        files.addStretch(1)
        layout.addLayout(files)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        layout.addWidget(self.status)
        if not formats_available():
            for b in (self.import_button, self.paste_button, self.export_button):
                b.setEnabled(False)
                b.setToolTip("The importers are not installed")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    def _button(self, row: QHBoxLayout, text: str, slot, key: str | None) -> QPushButton:
        b = QPushButton(text)
        b.clicked.connect(slot)
        if key:
            b.setToolTip(key)
        row.addWidget(b)
        return b

    # listing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_deck_id()
        with self.store.session() as session:
            self._summaries = deck_summaries(session)
        self.table.setRowCount(len(self._summaries))
        for row, d in enumerate(self._summaries):
            name = QTableWidgetItem(d.name)
            name.setData(Qt.ItemDataRole.UserRole, d.id)
            self.table.setItem(row, 0, name)
            for col, value in ((1, d.cards), (2, d.due)):
                item = QTableWidgetItem(str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
            self.table.setItem(row, 3, QTableWidgetItem(""))
            self.table.setCellWidget(row, 3, _mastery_bar(d.mastery))
            if d.id == selected:
                self.table.selectRow(row)
        if self._summaries and self.selected_deck_id() is None:
            self.table.selectRow(0)
        has = bool(self._summaries)
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self.samples_button.setVisible(not has and samples_available())
        self._update_buttons()

    @property
    def deck_names(self) -> list[str]:
        return [d.name for d in self._summaries]

    def selected_deck_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_deck(self, deck_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == deck_id:
                self.table.selectRow(row)
                return

    def _selected_name(self) -> str:
        deck_id = self.selected_deck_id()
        return next((d.name for d in self._summaries if d.id == deck_id), "")

    def _update_buttons(self) -> None:
        has = self.selected_deck_id() is not None
        for b in (self.open_button, self.rename_button, self.delete_button):
            b.setEnabled(has)
        self.export_button.setEnabled(has and formats_available())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()
        elif key == Qt.Key.Key_Delete:
            self.delete_deck()
        elif key == Qt.Key.Key_F2:
            self.rename_deck()
        else:
            super().keyPressEvent(event)

    # deck actions -------------------------------------------------------------------------
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

    # importing ----------------------------------------------------------------------------
    def import_files(self) -> None:
        paths = dialogs.open_files(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        """Preview and import each file in turn (files dropped on the window come here too)."""
        if not formats_available():
            dialogs.error(self, "Import", "The importers are not installed.")
            return
        self._queue.extend(paths)
        if self.preview is None and len(self._queue) == len(paths):
            self._next_file()

    def _next_file(self) -> None:
        if not self._queue:
            return
        path = self._queue.pop(0)
        self.status.setText(f"Reading {Path(path).name}…")
        run_in_background(
            _parse_path,
            path,
            owner=self,
            on_done=self._show_preview,
            on_error=lambda e, p=path: self._parse_failed(p, e),
        )

    def _parse_failed(self, path: str, exc: BaseException) -> None:
        self._failed("Import", ValueError(f"{Path(path).name}: {_message(exc)}"))
        self._next_file()

    def paste_text(self) -> None:
        if not formats_available():
            return
        from app.formats import FORMAT_LABELS
        from app.ui.import_dialog import PasteDialog

        self.paste_dialog = PasteDialog(FORMAT_LABELS, self)
        self.paste_dialog.accepted.connect(self._paste_accepted)
        self.paste_dialog.open()

    def _paste_accepted(self) -> None:
        dialog, self.paste_dialog = self.paste_dialog, None
        text, fmt = dialog.text.toPlainText(), dialog.chosen_format
        dialog.deleteLater()
        if not text.strip():
            return
        run_in_background(
            _parse_text,
            text,
            fmt,
            owner=self,
            on_done=self._show_preview,
            on_error=lambda e: self._failed("Paste", e),
        )

    def _show_preview(self, parsed) -> None:
        from app.ui.import_dialog import ImportPreviewDialog

        self.status.setText("")
        if not parsed.cards:
            dialogs.error(self, "Import", "No cards were found in it.")
            self._next_file()
            return
        name = (parsed.name or "").strip()[:200] or "Imported deck"
        self.preview = ImportPreviewDialog(parsed, name, set(self.deck_names), self)
        self.preview.finished.connect(self._preview_finished)
        self.preview.open()

    def _preview_finished(self, result: int) -> None:
        dialog, self.preview = self.preview, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == 1:
            name, skip = dialog.deck_name, dialog.skip_duplicates
            self.status.setText(f"Importing {len(dialog.parsed.cards)} cards…")
            run_in_background(
                _import,
                self.store,
                dialog.parsed,
                name,
                skip,
                owner=self,
                on_done=self._imported,
                on_error=lambda e: self._failed("Import", e),
            )
        else:
            self._next_file()

    def _imported(self, result) -> None:
        self.refresh()
        self.select_deck(result.deck_id)
        skipped = f", {result.skipped} duplicates left out" if result.skipped else ""
        self.status.setText(f"Imported {result.added} cards into “{result.deck_name}”{skipped}.")
        self._next_file()

    # exporting ----------------------------------------------------------------------------
    def export_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None or not formats_available():
            return
        from app.formats.export import format_for_path

        name = self._selected_name()
        path = dialogs.save_file(self, "Export deck", f"{name}.csv")
        if not path:
            return
        fmt = format_for_path(path)
        if fmt is None:
            dialogs.error(self, "Export", "Choose a file ending in .csv, .tsv, .json or .apkg.")
            return
        self.status.setText(f"Exporting “{name}”…")
        run_in_background(
            _export,
            self.store,
            deck_id,
            path,
            fmt,
            owner=self,
            on_done=lambda n: self.status.setText(f"Exported {n} cards to {path}."),
            on_error=lambda e: self._failed("Export", e),
        )

    # first launch -------------------------------------------------------------------------
    def offer_samples(self) -> None:
        """With an empty library, offer the sample decks once."""
        if self._summaries or not samples_available():
            return
        settings = load_settings()
        if settings.get("samples_offered"):
            return
        settings["samples_offered"] = True
        with contextlib.suppress(OSError):
            save_settings(settings)
        if dialogs.confirm(
            self, "Welcome to Recall", "Your library is empty. Load a few sample decks to try Recall out?"
        ):
            self.load_samples()

    def load_samples(self) -> None:
        if not samples_available():
            return
        self.status.setText("Loading the sample decks…")
        run_in_background(
            _load_samples,
            self.store,
            owner=self,
            on_done=lambda _r: self._after("Loaded the sample decks."),
            on_error=lambda e: self._failed("Sample decks", e),
        )
