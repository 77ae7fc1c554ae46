"""Deck folders in the library: headers that collapse, a folder filter beside the sort, "Move to
folder…" (a deck's context menu, the M key, the deck page), dragging a deck onto a header, and
renaming or removing a folder. `FolderFlow` is mixed into LibraryView, which owns the widgets;
the folder rules are app/store/folders.py, the writes app/store/repo.py.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QInputDialog, QMenu, QWidget

from app.config import load_settings, save_settings
from app.store.db import Store
from app.store.folders import SEP, depth, inside, leaf
from app.ui import dialogs
from app.ui.library_rows import NO_FOLDER, FolderRow
from app.ui.library_widgets import FOLDER_ROLE, ROW_ROLE

NONE_CHOICE = f"({NO_FOLDER})"
ALL_FOLDERS = "All folders"


def folder_dialog(parent: QWidget | None, deck: str, folders: list[str], current: str) -> QInputDialog:
    """Pick an existing folder or type a new one ("A/B" puts B inside A)."""
    dlg = QInputDialog(parent)
    dlg.setWindowTitle("Move to folder")
    dlg.setLabelText(f"Folder for “{deck}” (pick one, or type a new name; A/B puts B inside A):")
    dlg.setComboBoxItems([NONE_CHOICE, *folders])
    dlg.setComboBoxEditable(True)
    dlg.setTextValue(current or NONE_CHOICE)
    dlg.setAccessibleName("Move to folder")
    return dlg


def ask_folder(parent: QWidget | None, deck: str, folders: list[str], current: str) -> str | None:
    """The folder chosen ("" for none), or None when cancelled. Tests replace this."""
    dlg = folder_dialog(parent, deck, folders, current)
    if not dlg.exec():
        return None
    value = dlg.textValue().strip()
    return "" if value == NONE_CHOICE else value


def set_folder(store: Store, deck_id: int, folder: str) -> str:
    """Put a deck in a folder; the folder as stored. ValueError: a name too long."""
    from app.store.models import Deck
    from app.store.repo import set_deck_folder

    with store.transaction() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck is gone")
        return set_deck_folder(session, deck, folder)


def move_deck_dialog(store: Store, deck_id: int, parent: QWidget | None = None) -> str | None:
    """"Move to folder…" for one deck (the deck page's button): asks, then moves; the folder or None."""
    from app.store.models import Deck
    from app.store.repo import folder_names

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            return None
        name, current, folders = deck.name, deck.folder, folder_names(session)
    folder = ask_folder(parent, name, folders, current)
    if folder is None:
        return None
    try:
        return set_folder(store, deck_id, folder)
    except (ValueError, LookupError) as exc:
        dialogs.error(parent, "Move to folder", str(exc))
        return None


def _save_collapsed(collapsed: set[str]) -> None:
    settings = load_settings()
    settings["collapsed_folders"] = sorted(collapsed)
    with contextlib.suppress(OSError):  # a read-only settings folder only forgets what was closed
        save_settings(settings)


class FolderFlow:
    """The folders' side of LibraryView (which owns `store`, `model`, `decks`, `status`)."""

    def _build_folders(self) -> QComboBox:
        self.folder_combo = QComboBox()
        self.folder_combo.setAccessibleName("Show decks in folder")
        self.folder_combo.setToolTip("Show the decks of one folder")
        self.folder_combo.currentIndexChanged.connect(self._filter_changed)
        self.model.deck_dropped.connect(self.move_deck_to)
        d = self.decks
        d.setDragEnabled(True)
        d.setAcceptDrops(True)  # deck rows only: files dropped here still reach the window
        d.setDropIndicatorShown(True)
        d.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        d.setDefaultDropAction(Qt.DropAction.MoveAction)
        d.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        d.customContextMenuRequested.connect(self._show_menu)
        d.clicked.connect(self._clicked)
        return self.folder_combo

    def _update_folders(self) -> None:
        """After the rows change: the filter's choices, and the list's row heights."""
        folders = self.model.folders()
        want = self.model.folder_filter
        if want is not None and want and want not in folders:
            want = None  # that folder is gone
        combo = self.folder_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL_FOLDERS, None)
        for path in folders:
            combo.addItem("    " * depth(path) + leaf(path), path)
        combo.addItem(NO_FOLDER, "")
        combo.setCurrentIndex(max(0, combo.findData(want)) if want is not None else 0)
        combo.blockSignals(False)
        combo.setVisible(self.model.grouped)
        if want != self.model.folder_filter:
            self.model.set_folder_filter(want)
        self.decks.setUniformItemSizes(not self.model.grouped)  # headers are lower than decks

    def _filter_changed(self, _i: int) -> None:
        keep = self.selected_deck_id()
        self.model.set_folder_filter(self.folder_combo.currentData())
        self._reselect(keep)

    def _reselect(self, deck_id: int | None = None, folder: str | None = None) -> None:
        row = self.model.row_of(deck_id) if deck_id is not None else -1
        if row < 0 and folder is not None:
            row = self.model.folder_row(folder)
        if row < 0 and self.model.items:
            row = self.model.row_of(self.model.rows[0].id) if self.model.rows else 0
        if row >= 0:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.decks.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self._update_buttons()

    def current_folder(self) -> str | None:
        """The folder header under the cursor, if one is."""
        index = self.decks.currentIndex()
        return index.data(FOLDER_ROLE) if index.isValid() else None

    def _deck_folder(self, deck_id: int | None) -> str:
        return next((r.folder for r in self.model.all_rows if r.id == deck_id), "")

    # folders open and closed ---------------------------------------------------------------
    def toggle_folder(self, path: str | None = None, collapsed: bool | None = None) -> None:
        path = self.current_folder() if path is None else path
        if path is None:
            return
        shut = path not in self.model.collapsed if collapsed is None else collapsed
        self.model.set_collapsed(path, shut)
        _save_collapsed(self.model.collapsed)
        self._reselect(folder=path)

    def _clicked(self, index) -> None:
        if index.data(FOLDER_ROLE) is not None:
            self.toggle_folder(index.data(FOLDER_ROLE))

    def _folder_key(self, event: QEvent) -> bool:
        """Keys on the list for folders: Enter/Space/←/→ open and close a header, F2 renames it,
        Delete removes it (the decks stay); M moves the deck, ← goes up to the deck's folder; the
        Menu key opens the row's menu."""
        key = event.key()
        if key == Qt.Key.Key_Menu and self.decks.currentIndex().isValid():
            self._show_menu(self.decks.visualRect(self.decks.currentIndex()).center())
            return True  # handled: Qt makes no second, keyboard context menu event of it
        path = self.current_folder()
        if path is not None:
            actions = {Qt.Key.Key_Return: lambda: self.toggle_folder(path), Qt.Key.Key_Enter: lambda: self.toggle_folder(path),
                       Qt.Key.Key_Space: lambda: self.toggle_folder(path), Qt.Key.Key_Left: lambda: self.toggle_folder(path, True),
                       Qt.Key.Key_Right: lambda: self.toggle_folder(path, False), Qt.Key.Key_F2: lambda: self.rename_folder(path),
                       Qt.Key.Key_Delete: lambda: self.remove_folder(path)}  # fmt: skip
        elif self.selected_deck_id() is not None:
            deck_id = self.selected_deck_id()
            up = self._deck_folder(deck_id) if self.model.grouped else None
            actions = {Qt.Key.Key_M: self.move_to_folder}
            if up is not None:
                actions[Qt.Key.Key_Left] = lambda: self._reselect(folder=up)
        else:
            return False
        action = actions.get(key)
        if action is None:
            return False
        action()
        return True

    # moving decks --------------------------------------------------------------------------
    def move_to_folder(self, deck_id: int | None = None) -> None:
        """"Move to folder…": an existing folder, a new one, or none."""
        deck_id = deck_id if isinstance(deck_id, int) else self.selected_deck_id()
        row = next((r for r in self.model.all_rows if r.id == deck_id), None)
        if row is None:
            return
        folder = ask_folder(self, row.name, self.model.folders(), row.folder)
        if folder is not None:
            self.move_deck_to(row.id, folder)

    def move_deck_to(self, deck_id: int, folder: str) -> None:
        """Put a deck in a folder (a drop on a header comes here too)."""
        row = next((r for r in self.model.all_rows if r.id == deck_id), None)
        if row is None:
            return
        try:
            folder = set_folder(self.store, deck_id, folder)
        except (ValueError, LookupError) as exc:
            dialogs.error(self, "Move to folder", str(exc))
            return
        shut = {c for c in self.model.collapsed if c and inside(folder, c)}
        if folder and shut:  # open the folder it went to (and those above it): show where it went
            self.model.collapsed -= shut
            _save_collapsed(self.model.collapsed)
        self.refresh()
        self._reselect(deck_id)
        shown = folder.replace(SEP, " / ")
        self.status.setText(f"Moved “{row.name}” to “{shown}”." if folder else f"“{row.name}” is in no folder now.")

    def rename_folder(self, path: str | None = None) -> None:
        path = self.current_folder() if path is None else path
        if not path:
            return
        new = dialogs.ask_text(self, "Rename folder", "New name (A/B puts it inside A):", path)
        if new is None:
            return
        from app.store.folders import clean_folder
        from app.store.repo import rename_folder

        try:
            new = clean_folder(new)
            if not new:
                dialogs.error(self, "Rename folder", "A folder needs a name (Delete removes the folder).")
                return
            with self.store.transaction() as session:
                rename_folder(session, path, new)
        except ValueError as exc:
            dialogs.error(self, "Rename folder", str(exc))
            return
        moved = {c for c in self.model.collapsed if inside(c, path)}
        self.model.collapsed -= moved
        self.model.collapsed |= {new + c[len(path) :] for c in moved}
        _save_collapsed(self.model.collapsed)
        self.refresh()
        self._reselect(folder=new)
        self.status.setText(f"Renamed the folder “{path}” to “{new}”.")

    def remove_folder(self, path: str | None = None) -> None:
        """The folder goes, its decks stay (out at the level above, folders inside it too)."""
        path = self.current_folder() if path is None else path
        if not path:
            return
        n = sum(1 for r in self.model.all_rows if inside(r.folder, path))
        text = f"Remove the folder “{path}”? Its {n} deck{'s' if n != 1 else ''} stay in the library."
        if not dialogs.confirm(self, "Remove folder", text):
            return
        from app.store.folders import parent
        from app.store.repo import rename_folder

        with self.store.transaction() as session:
            rename_folder(session, path, parent(path))
        self.refresh()
        self.status.setText(f"Removed the folder “{path}”; its decks stay.")

    # the context menu ----------------------------------------------------------------------
    def deck_menu(self, index) -> QMenu | None:
        """The menu of a deck row or a folder header (right click, or the Menu key)."""
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is None:
            return None
        menu = QMenu(self)
        menu.setAccessibleName("Folder actions" if row.is_folder else "Deck actions")
        if isinstance(row, FolderRow):
            menu.addAction("Expand" if row.collapsed else "Collapse", lambda: self.toggle_folder(row.path))
            if row.path:
                menu.addAction("Rename folder…", lambda: self.rename_folder(row.path))
                menu.addAction("Remove folder (keep the decks)", lambda: self.remove_folder(row.path))
            return menu
        menu.addAction("Open", self.open_selected)
        menu.addAction("Unstar" if row.starred else "Star", self.toggle_star)
        menu.addAction("Rename…", self.rename_deck)
        menu.addAction("Move to folder…", lambda: self.move_to_folder(row.id))
        if row.folder:
            menu.addAction(f"Take out of “{leaf(row.folder)}”", lambda: self.move_deck_to(row.id, ""))
        menu.addSeparator()
        menu.addAction("Delete…", self.delete_deck)
        return menu

    def _show_menu(self, pos: QPoint) -> None:
        """A right click selects the row under it first, so the current row is the one meant,
        by mouse or by the Menu key (whose position is only the list's middle)."""
        index = self.decks.currentIndex()
        if not index.isValid():
            return
        menu = self.deck_menu(index)
        if menu is None:
            return
        rect = self.decks.visualRect(index)
        at = pos if rect.contains(pos) else rect.center()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.menu = menu  # the open one, for tests and for the accessibility walk
        menu.popup(self.decks.viewport().mapToGlobal(at))
