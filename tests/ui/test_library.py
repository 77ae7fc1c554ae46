"""The library page through its real widgets: create, rename, delete, import with preview,
paste, export, drag and drop, the Today strip, stars, sorting, search across decks and cards,
the empty library, and the window remembering its size."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import func, select

from app.config import load_settings
from app.store.models import Card, Deck
from app.ui import dialogs


def _deck_names(store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(Deck.name).order_by(Deck.name)))


def test_create_rename_delete(window, store, qtbot, monkeypatch, wait_workers):
    lib = window.library
    assert lib.empty.isVisible() and not lib.decks.isVisible()
    assert not lib.today.button.isEnabled()  # nothing to study yet
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "  Spanish   verbs ")
    qtbot.mouseClick(lib.new_button, Qt.MouseButton.LeftButton)
    assert _deck_names(store) == ["Spanish verbs"]
    assert window.current_page.__class__.__name__ == "DeckView"  # a new deck opens for adding cards
    qtbot.keyClick(window.current_page, Qt.Key.Key_Escape)
    assert window.current_page is lib and lib.deck_count() == 1 and lib.decks.isVisible()

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Verbos")
    lib.decks.setFocus()
    qtbot.keyClick(lib.decks, Qt.Key.Key_F2)
    assert _deck_names(store) == ["Verbos"]

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Verbos")
    qtbot.mouseClick(lib.new_button, Qt.MouseButton.LeftButton)  # a taken name gets a number
    assert _deck_names(store) == ["Verbos", "Verbos (2)"]
    window.current_page.leave()

    errors = []
    monkeypatch.setattr(dialogs, "error", lambda _p, _t, text: errors.append(text))
    lib.select_deck(next(d.id for d in lib._summaries if d.name == "Verbos (2)"))
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Verbos")
    lib.rename_deck()
    assert errors and "already a deck" in errors[0]

    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    qtbot.mouseClick(lib.delete_button, Qt.MouseButton.LeftButton)
    assert len(_deck_names(store)) == 2 and "cannot be undone" in asked[0]
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    qtbot.mouseClick(lib.delete_button, Qt.MouseButton.LeftButton)
    wait_workers()
    assert _deck_names(store) == ["Verbos"] and lib.deck_count() == 1


def test_library_lists_counts_and_mastery(window, store, sample_deck, qtbot, wait_workers):
    lib = window.library
    lib.refresh()
    row = lib.model.rows[0]
    assert (row.name, row.cards, row.due, row.mastery, row.last_studied) == ("Sequence models", 5, 5, 0, None)
    assert lib.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        "Sequence models: 5 cards · 5 to study · last studied never"
    )
    assert lib.today.values["due"].text() == "0" and lib.today.values["new"].text() == "5"
    lib.decks.setFocus()
    qtbot.keyClick(lib.decks, Qt.Key.Key_Return)  # Enter opens the selected deck, once
    assert window.current_page.__class__.__name__ == "DeckView" and len(window._pages) == 2
    wait_workers()


def test_import_file_with_preview(window, store, qtbot, tmp_path, monkeypatch, wait_workers):
    deck_file = tmp_path / "capitals.tsv"
    deck_file.write_text("France\tParis\nPeru\tLima\nJapan\tTokyo\n", encoding="utf-8")
    lib = window.library
    monkeypatch.setattr(dialogs, "open_files", lambda *_a: [str(deck_file)])
    qtbot.mouseClick(lib.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lib.preview is not None, timeout=10_000)
    preview = lib.preview
    assert preview.table.rowCount() == 3
    assert preview.table.item(1, 1).text() == "Lima"
    assert _deck_names(store) == []  # nothing saved before the user says so
    preview.name.clear()
    assert not preview.import_button.isEnabled()
    qtbot.keyClicks(preview.name, "World capitals")
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    wait_workers()
    assert _deck_names(store) == ["World capitals"]
    assert "Imported 3 cards" in lib.status.text()

    # The same file again into the same deck: duplicates are left out by default.
    lib.import_paths([str(deck_file)])
    qtbot.waitUntil(lambda: lib.preview is not None, timeout=10_000)
    lib.preview.name.setText("World capitals")
    assert "added to your deck" in lib.preview.target.text()
    lib.preview.accept()
    wait_workers()
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Card)) == 3
    assert "3 duplicates left out" in lib.status.text()


def test_import_of_a_bad_file_says_why(window, tmp_path, monkeypatch, wait_workers):
    bad = tmp_path / "empty.txt"
    bad.write_text("   \n", encoding="utf-8")
    errors = []
    monkeypatch.setattr(dialogs, "error", lambda _p, _t, text: errors.append(text))
    window.library.import_paths([str(bad)])
    wait_workers()
    assert errors and errors[0].startswith("empty.txt:")
    assert window.library.preview is None


def test_paste_text_then_cancel_and_drop_files(window, store, qtbot, tmp_path, wait_workers):
    lib = window.library
    lib.paste_text()
    dialog = lib.paste_dialog
    dialog.text.setPlainText("hola\thello\nadiós\tgoodbye\n")
    dialog.accept()
    qtbot.waitUntil(lambda: lib.preview is not None, timeout=10_000)
    assert lib.preview.table.rowCount() == 2
    lib.preview.reject()
    wait_workers()
    assert _deck_names(store) == []

    f = tmp_path / "drop.csv"
    f.write_text("front,back\ncat,gato\ndog,perro\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    event = QDropEvent(
        QPoint(10, 10).toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: lib.preview is not None, timeout=10_000)
    assert lib.preview.table.rowCount() == 2
    lib.preview.accept()
    wait_workers()
    assert _deck_names(store) == ["drop"]


def test_export_writes_the_file(window, store, sample_deck, tmp_path, monkeypatch, wait_workers):
    out = tmp_path / "export.csv"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: str(out))
    window.library.refresh()
    window.library.export_deck()
    wait_workers()
    text = out.read_text(encoding="utf-8")
    assert "What does GRU stand for?" in text and "Exported 5 cards" in window.library.status.text()


def test_geometry_and_text_size_are_remembered(qtbot, store):
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.ui.theme import ThemeManager

    app = QApplication.instance()
    theme = ThemeManager(app, "dark", 1.0)
    w = MainWindow(store, theme, first_run_prompt=False)
    qtbot.addWidget(w)
    w.show()
    w.resize(700, 500)
    with qtbot.waitActive(w):
        w.activateWindow()
    base = app.font().pointSizeF()
    qtbot.keyClick(w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert app.font().pointSizeF() > base
    assert load_settings()["font_scale"] > 1.0
    qtbot.keyClick(w, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert app.font().pointSizeF() == base and load_settings()["font_scale"] == 1.0
    w.resize(700, 500)
    size = (w.width(), w.height())
    w.close()
    assert load_settings()["window_geometry"]
    w2 = MainWindow(store, None, first_run_prompt=False)
    qtbot.addWidget(w2)
    assert (w2.width(), w2.height()) == size != (1100, 760)  # not the default size
    theme.zoom(0)
    theme.set_theme("system")


def test_first_launch_offers_the_sample_decks_once(window, store, monkeypatch, wait_workers):
    from app.ui.library_view import samples_available

    if not samples_available():  # the formats package ships them; nothing to offer without it
        assert not window.library.samples_button.isVisible()
        return
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    window.library.offer_samples()
    wait_workers()
    assert len(asked) == 1 and len(_deck_names(store)) >= 1
    assert window.library.deck_count() == len(_deck_names(store))
    window.library.offer_samples()  # never asked twice
    assert len(asked) == 1 and load_settings()["samples_offered"] is True


def test_today_strip_study_now_and_last_studied(window, store, sample_deck, qtbot, wait_workers):
    from datetime import datetime, timezone

    from app.scheduling.review import record_review

    with store.transaction() as s:
        card = s.scalars(select(Card).where(Card.deck_id == sample_deck)).first()
        record_review(s, card, mode="spaced", rating=3, duration_ms=90_000, now=datetime.now(timezone.utc))
    lib = window.library
    lib.refresh()
    assert lib.today.values["streak"].text() == "1"
    assert lib.today.values["minutes"].text() == "2 min"
    assert "last studied today" in lib.model.rows[0].detail(lib.model.now)
    assert lib.today.button.isEnabled()
    qtbot.mouseClick(lib.today.button, Qt.MouseButton.LeftButton)
    page = window.current_page
    assert page.__class__.__name__ == "SpacedView" and page.deck_id is None  # every deck
    page.leave()
    wait_workers()


def test_stars_sorting_and_search_across_decks_and_cards(window, store, sample_deck, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Alpha capitals")
        add_cards(s, deck, [CardRecord("Capital of Peru?", "Lima", ()), CardRecord("Gated?", "Yes", ())])
    lib = window.library
    lib.refresh()
    assert [r.name for r in lib.model.rows] == ["Alpha capitals", "Sequence models"]
    lib.select_deck(sample_deck)
    lib.decks.setFocus()
    qtbot.keyClick(lib.decks, Qt.Key.Key_S)  # S stars the selected deck: starred decks come first
    assert [r.name for r in lib.model.rows] == ["Sequence models", "Alpha capitals"]
    assert load_settings()["starred_decks"] == [sample_deck] and lib.star_button.text() == "★ Unstar"
    lib.refresh()
    assert lib.model.rows[0].starred  # kept across a reload
    lib.toggle_star()
    lib.sort.setCurrentIndex(lib.sort.findData("mastery"))
    assert lib.model.sort_key == "mastery"

    with qtbot.waitSignal(lib.searched, timeout=10_000):
        qtbot.keyClicks(lib.search, "gated")  # as you type: names and cards of every deck
    assert lib.deck_count() == 0
    fronts = {h.front for h in lib.hits.hits}
    assert {"Gated?", "What does GRU stand for?"} <= fronts and lib.cards.isVisible()
    hit = next(i for i, h in enumerate(lib.hits.hits) if h.front == "Gated?")
    lib.cards.setFocus()
    lib.cards.setCurrentIndex(lib.hits.index(hit, 0))
    qtbot.keyClick(lib.cards, Qt.Key.Key_Return)
    assert len(window._pages) == 2
    assert window.current_page.deck_id != sample_deck  # the card's own deck opened
    window.current_page.leave()
    wait_workers()
    lib.search.setText("alpha")
    lib.apply_search()
    assert [r.name for r in lib.model.rows] == ["Alpha capitals"] and lib.selected_deck_id() is not None
    lib.search.clear()
    lib.apply_search()
    assert lib.deck_count() == 2 and not lib.cards.isVisible()


def test_card_search_results_load_in_pages(store, qtbot):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck
    from app.ui.library_model import PAGE, CardHitModel, search_card_ids

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Many")
        add_cards(s, deck, [CardRecord(f"word{i} common", f"answer {i}", ()) for i in range(PAGE * 2 + 5)])
    model = CardHitModel(store)
    model.set_ids(search_card_ids(store, "common"))
    assert len(model.ids) == PAGE * 2 + 5 and model.rowCount() == PAGE  # only a page of text loaded
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == PAGE * 2 + 5 and model.hits[-1].deck == "Many"


def test_empty_library_shows_the_samples_and_import(window):
    from app.ui.library_view import sample_names

    lib = window.library
    assert lib.body.currentWidget() is lib.empty
    assert lib.empty.import_button.isVisible()
    if sample_names():
        assert lib.empty.samples_button.isVisible()
        assert "World geography" in lib.empty.samples_label.text()
