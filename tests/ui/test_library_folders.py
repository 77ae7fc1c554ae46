"""Deck folders in the library, through the real widgets over a real SQLite store: headers that
collapse (and stay closed), the folder filter, search across folders, "Move to folder…" from the
context menu, the M key and the deck page, a deck dragged onto a header, renaming and removing a
folder, the first paint grouping the same way, and the page's names, keys and layout."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.config import load_settings
from app.store.models import Deck
from app.store.repo import CardRecord, add_cards, get_deck, get_or_create_deck, set_deck_folder
from app.ui import dialogs, library_folders
from app.ui.library_rows import DECK_MIME, DeckListModel, FolderRow
from app.ui.library_widgets import FOLDER_ROLE


def _folders(store) -> dict[str, str]:
    with store.session() as s:
        return dict(s.execute(select(Deck.name, Deck.folder)).all())


def _shown(lib) -> list[str]:
    """The list as a user reads it: "[path]" for a header ("+" when closed), names for decks."""
    return [f"[{i.path}{'+' if i.collapsed else ''}]" if i.is_folder else i.name for i in lib.model.items]


def _library(store, window) -> object:
    with store.transaction() as s:
        for name, folder in (("Cells", "Biology/Cells"), ("Genes", "Biology"), ("Verbs", "Languages"),
                             ("Loose", ""), ("Nouns", "Languages")):  # fmt: skip
            deck, _ = get_or_create_deck(s, name)
            add_cards(s, deck, [CardRecord(f"{name} q", f"{name} a")])
            set_deck_folder(s, deck, folder)
    lib = window.library
    lib.refresh()
    return lib


def _key(qtbot, lib, key) -> None:
    lib.decks.setFocus()
    qtbot.keyClick(lib.decks, key)


def test_decks_grouped_under_folders_that_collapse_and_stay_closed(window, store, qtbot):
    lib = _library(store, window)
    assert _shown(lib) == ["[Biology]", "Genes", "[Biology/Cells]", "Cells", "[Languages]", "Nouns", "Verbs",
                           "[]", "Loose"]  # fmt: skip
    assert lib.deck_count() == 5 and not lib.decks.uniformItemSizes()
    head = lib.model.index(0, 0)
    assert head.data(Qt.ItemDataRole.AccessibleTextRole) == "Folder Biology: 2 decks · 2 to study, expanded"
    assert head.data(Qt.ItemDataRole.UserRole) is None and lib.model.index(1, 0).data(FOLDER_ROLE) is None
    from PySide6.QtCore import QRect

    from app.ui.library_widgets import FOLDER_INDENT, DeckDelegate

    cells = next(r for r in lib.model.rows if r.name == "Cells")
    genes = next(r for r in lib.model.rows if r.name == "Genes")
    box = QRect(0, 0, 600, 68)  # a deck in a folder inside a folder is set in under its header
    assert DeckDelegate.row_rect(box, cells).left() == DeckDelegate.row_rect(box, genes).left() + FOLDER_INDENT
    rect = lib.decks.visualRect(head)
    assert 0 < rect.height() < lib.decks.visualRect(lib.model.index(1, 0)).height()  # a header is lower

    lib._reselect(folder="Biology")
    _key(qtbot, lib, Qt.Key.Key_Left)  # closes the folder and the folder inside it
    assert _shown(lib)[:2] == ["[Biology+]", "[Languages]"] and lib.current_folder() == "Biology"
    assert load_settings()["collapsed_folders"] == ["Biology"]
    assert lib.selected_deck_id() is None and not lib.open_button.isEnabled()  # a header is no deck
    lib.refresh()
    assert _shown(lib)[0] == "[Biology+]"  # kept across a reload...
    again = DeckListModel()
    again.set_rows(lib.model.all_rows)
    assert again.items[0] == FolderRow("Biology", 2, 2, True)  # ...and by a new list (the next start)
    _key(qtbot, lib, Qt.Key.Key_Space)
    assert _shown(lib)[:3] == ["[Biology]", "Genes", "[Biology/Cells]"]
    qtbot.mouseClick(lib.decks.viewport(), Qt.MouseButton.LeftButton, pos=lib.decks.visualRect(lib.model.index(2, 0)).center())
    assert _shown(lib)[2] == "[Biology/Cells+]" and "Cells" not in _shown(lib)  # a click on a header

    lib.select_deck(next(r.id for r in lib.model.rows if r.name == "Verbs"))
    _key(qtbot, lib, Qt.Key.Key_Left)  # on a deck: up to its folder
    assert lib.current_folder() == "Languages"


def test_filter_search_and_an_emptied_folder_disappears(window, store, qtbot, wait_workers):
    lib = _library(store, window)
    combo = lib.folder_combo
    assert combo.isVisible() and combo.accessibleName()
    assert [combo.itemData(i) for i in range(combo.count())] == [None, "Biology", "Biology/Cells", "Languages", ""]
    combo.setCurrentIndex(combo.findData("Biology"))
    assert _shown(lib) == ["[Biology]", "Genes", "[Biology/Cells]", "Cells"]  # with the folder inside it
    combo.setCurrentIndex(combo.findData(""))
    assert _shown(lib) == ["[]", "Loose"]
    combo.setCurrentIndex(0)

    lib.model.set_collapsed("Languages", True)
    with qtbot.waitSignal(lib.searched, timeout=10_000):
        qtbot.keyClicks(lib.search, "verbs")
    assert _shown(lib) == ["[Languages]", "Verbs"]  # a search opens the folders it finds in
    assert lib.selected_deck_id() == next(r.id for r in lib.model.all_rows if r.name == "Verbs")
    lib.search.setText("biolo")  # a folder's name finds its decks
    lib.apply_search()
    assert {r.name for r in lib.model.rows} == {"Cells", "Genes"}
    lib.search.clear()
    lib.apply_search()
    wait_workers()
    assert _shown(lib)[4] == "[Languages+]"

    combo.setCurrentIndex(combo.findData("Biology/Cells"))
    lib.move_deck_to(next(r.id for r in lib.model.all_rows if r.name == "Cells"), "")
    assert "Biology/Cells" not in lib.model.folders() and combo.findData("Biology/Cells") == -1
    assert combo.currentData() is None and lib.model.folder_filter is None  # its filter went with it
    for name in ("Genes", "Verbs", "Nouns"):
        lib.move_deck_to(next(r.id for r in lib.model.all_rows if r.name == name), "")
    assert _shown(lib) == ["Cells", "Genes", "Loose", "Nouns", "Verbs"]  # no folder left: a plain list again
    assert not combo.isVisible() and lib.decks.uniformItemSizes()


def test_move_to_folder_from_the_menu_the_m_key_and_the_deck_page(window, store, qtbot, monkeypatch):
    lib = _library(store, window)
    asked = []

    def answer(value):
        return lambda _p, deck, folders, current: asked.append((deck, folders, current)) or value

    loose = next(r.id for r in lib.model.all_rows if r.name == "Loose")
    lib.select_deck(loose)
    menu = lib.deck_menu(lib.decks.currentIndex())
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["Open", "Star", "Rename…", "Move to folder…", "Delete…"] and menu.accessibleName()
    lib.toggle_folder("Biology", True)  # closed: moving a deck into it opens it again
    monkeypatch.setattr(library_folders, "ask_folder", answer(" Biology / Plants "))
    next(a for a in menu.actions() if a.text() == "Move to folder…").trigger()
    assert asked[-1] == ("Loose", ["Biology", "Biology/Cells", "Languages"], "")
    assert _folders(store)["Loose"] == "Biology/Plants" and "[Biology/Plants]" in _shown(lib)
    assert lib.selected_deck_id() == loose and lib.status.text() == "Moved “Loose” to “Biology / Plants”."
    assert "[Biology]" in _shown(lib) and load_settings()["collapsed_folders"] == []

    menu = lib.deck_menu(lib.decks.currentIndex())
    assert "Take out of “Plants”" in [a.text() for a in menu.actions()]
    monkeypatch.setattr(library_folders, "ask_folder", answer("Languages"))
    _key(qtbot, lib, Qt.Key.Key_M)
    assert asked[-1][2] == "Biology/Plants" and _folders(store)["Loose"] == "Languages"
    monkeypatch.setattr(library_folders, "ask_folder", answer(None))  # cancelled: nothing moves
    _key(qtbot, lib, Qt.Key.Key_M)
    assert _folders(store)["Loose"] == "Languages"

    errors = []
    monkeypatch.setattr(dialogs, "error", lambda _p, _t, text: errors.append(text))
    monkeypatch.setattr(library_folders, "ask_folder", answer("x" * 300))
    _key(qtbot, lib, Qt.Key.Key_M)
    assert errors and "at most 200" in errors[0] and _folders(store)["Loose"] == "Languages"

    lib.open_selected()
    page = window.current_page
    assert page.folder_button.isVisible() and page.folder_button.accessibleName() == "Move to folder"
    monkeypatch.setattr(library_folders, "ask_folder", answer(""))  # "(No folder)"
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert asked[-1][0] == "Loose" and _folders(store)["Loose"] == ""
    page.leave()
    assert window.current_page is lib and _shown(lib)[-2:] == ["[]", "Loose"]  # the library read it again


def test_the_folder_dialog_offers_the_folders_and_a_new_name(qapp):
    dlg = library_folders.folder_dialog(None, "Cells", ["Biology", "Biology/Cells"], "Biology")
    assert dlg.comboBoxItems() == [library_folders.NONE_CHOICE, "Biology", "Biology/Cells"]
    assert dlg.isComboBoxEditable() and dlg.textValue() == "Biology" and dlg.accessibleName()
    assert library_folders.folder_dialog(None, "X", [], "").textValue() == library_folders.NONE_CHOICE


def test_drag_a_deck_onto_a_folder_header(window, store):
    lib = _library(store, window)
    model = lib.model
    genes = model.index(model.row_of(next(r.id for r in model.all_rows if r.name == "Genes")), 0)
    languages = model.index(model.folder_row("Languages"), 0)
    assert genes.flags() & Qt.ItemFlag.ItemIsDragEnabled and not genes.flags() & Qt.ItemFlag.ItemIsDropEnabled
    assert languages.flags() & Qt.ItemFlag.ItemIsDropEnabled and lib.decks.dragEnabled()
    data = model.mimeData([genes])
    assert data.hasFormat(DECK_MIME)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, genes)  # onto a deck: no
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, languages)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, languages)
    assert _folders(store)["Genes"] == "Languages"
    assert _shown(lib)[:4] == ["[Biology]", "[Biology/Cells]", "Cells", "[Languages]"]

    files = QMimeData()  # a file dragged over the deck list is not the list's: the window imports it
    files.setUrls([QUrl.fromLocalFile("/tmp/deck.csv")])
    assert not model.canDropMimeData(files, Qt.DropAction.CopyAction, -1, 0, languages)
    enter = QDragEnterEvent(lib.decks.viewport().rect().center().toPointF(), Qt.DropAction.CopyAction, files,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(lib.decks.viewport(), enter)
    assert enter.isAccepted()  # passed up to the window, which takes files
    words = QMimeData()
    words.setText("not a deck, not a file")
    other = QDragEnterEvent(lib.decks.viewport().rect().center().toPointF(), Qt.DropAction.CopyAction, words,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(lib.decks.viewport(), other)
    assert not other.isAccepted()  # nobody takes that


def test_rename_and_remove_a_folder(window, store, qtbot, monkeypatch):
    lib = _library(store, window)
    lib.model.set_collapsed("Biology/Cells", True)
    lib._reselect(folder="Biology")
    monkeypatch.setattr(dialogs, "ask_text", lambda _p, _t, _l, text="": "Science / Life")
    _key(qtbot, lib, Qt.Key.Key_F2)
    assert _folders(store) == {"Cells": "Science/Life/Cells", "Genes": "Science/Life", "Verbs": "Languages",
                               "Loose": "", "Nouns": "Languages"}  # fmt: skip
    assert lib.current_folder() == "Science/Life" and "[Science/Life/Cells+]" in _shown(lib)  # still closed
    assert "Biology/Cells" not in load_settings()["collapsed_folders"]

    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    _key(qtbot, lib, Qt.Key.Key_Delete)  # removes the folder; the decks go up a level
    assert "2 decks stay" in asked[0]
    assert _folders(store)["Genes"] == "Science" and _folders(store)["Cells"] == "Science/Cells"
    with store.session() as s:
        assert get_deck(s, "Genes").name == "Genes"  # the decks themselves are untouched
    menu = lib.deck_menu(lib.model.index(lib.model.folder_row("Languages"), 0))
    assert [a.text() for a in menu.actions()] == ["Collapse", "Rename folder…", "Remove folder (keep the decks)"]


def test_the_first_paint_groups_by_folder_too(store, db_path, qtbot):
    from app.ui.library_preview import LibraryPreview, read_preview

    with store.transaction() as s:
        for name, folder in (("Cells", "Biology"), ("Loose", "")):
            set_deck_folder(s, get_or_create_deck(s, name)[0], folder)
    rows = read_preview(f"sqlite:///{db_path}")
    assert {r.name: r.folder for r in rows} == {"Cells": "Biology", "Loose": ""}
    preview = LibraryPreview(rows)
    qtbot.addWidget(preview)
    assert [i.path if i.is_folder else i.name for i in preview.model.items] == ["Biology", "Cells", "", "Loose"]
    assert not preview.decks.uniformItemSizes()


def test_a_library_with_folders_is_named_reachable_and_unclipped(window, store, qtbot):
    from tests.ui.test_accessibility import accessible_name, controls
    from tests.ui.test_layout_clipping import layout_problems

    window.resize(1280, 800)
    lib = _library(store, window)
    qtbot.waitUntil(lambda: lib.folder_combo.isVisible(), timeout=5000)
    QApplication.processEvents()
    unnamed = [type(w).__name__ for w in controls(lib) if not accessible_name(w)]
    assert not unnamed
    assert lib.folder_combo.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert layout_problems(lib) == []
    window.open_deck(lib.model.rows[0].id)
    page = window.current_page
    qtbot.waitUntil(lambda: not page.loading and page.summary.text() != "", timeout=10_000)
    qtbot.waitUntil(lambda: page.summary.width() >= page.summary.minimumSizeHint().width(), timeout=5000)
    assert layout_problems(page) == [] and accessible_name(page.folder_button)
    page.leave()


def test_the_menu_key_opens_the_current_rows_menu(window, store, qtbot):
    lib = _library(store, window)
    window.activateWindow()
    lib.select_deck(next(r.id for r in lib.model.rows if r.name == "Verbs"))
    _key(qtbot, lib, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    menu = QApplication.activePopupWidget()
    assert menu is lib.menu and "Move to folder…" in [a.text() for a in menu.actions()]
    menu.close()
    lib._reselect(folder="Languages")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=5000)
    _key(qtbot, lib, Qt.Key.Key_Menu)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    assert "Rename folder…" in [a.text() for a in QApplication.activePopupWidget().actions()]
    QApplication.activePopupWidget().close()
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=5000)
    cells = lib.decks.visualRect(lib.model.index(lib.model.row_of(next(r.id for r in lib.model.rows if r.name == "Cells")), 0))
    qtbot.mouseClick(lib.decks.viewport(), Qt.MouseButton.RightButton, pos=cells.center())  # selects the row
    lib.decks.customContextMenuRequested.emit(cells.center())  # what the right click's menu event does
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    assert lib.selected_deck_id() == next(r.id for r in lib.model.rows if r.name == "Cells")
    assert "Take out of “Cells”" in [a.text() for a in QApplication.activePopupWidget().actions()]
    QApplication.activePopupWidget().close()
