"""The deck editor: list, FTS search, add, edit (saved as you type), tag, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.store.models import Card
from app.ui import dialogs


def _open(window, deck_id, wait_workers):
    window.open_deck(deck_id)
    wait_workers()
    page = window.current_page
    assert page.__class__.__name__ == "DeckView"
    return page


def test_lists_cards_with_mastery_and_mode_buttons(window, sample_deck, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    assert page.title.text() == "Sequence models"
    assert page.model.rowCount() == 5
    assert page.model.index(0, 4).data() == "○ new"
    assert "5 cards" in page.summary.text() and "0 % mastery" in page.summary.text()
    for mode in ("flashcards", "learn", "test", "match"):
        assert page.mode_buttons[mode].isEnabled()


def test_add_card_by_keyboard_and_search_finds_it(window, store, sample_deck, qtbot, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    qtbot.keyClicks(page.front, "What is a transformer?")
    qtbot.keyClicks(page.back, "An attention-based sequence model")
    qtbot.keyClicks(page.tags, "attention nlp")
    qtbot.keyClick(page.back, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with store.session() as s:
        card = s.scalar(select(Card).where(Card.front == "What is a transformer?"))
        assert card.back == "An attention-based sequence model" and card.tags == "attention nlp"
    assert page.model.rowCount() == 6 and page.front.toPlainText() == ""

    qtbot.keyClicks(page.search, "attent")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert page.model.rows[0].front == "What is a transformer?"
    assert "1 of 6 cards" in page.count_label.text()
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=3000)


def test_edit_is_saved_as_you_type_and_delete_asks(
    window, store, sample_deck, qtbot, monkeypatch, wait_workers
):
    page = _open(window, sample_deck, wait_workers)
    page.table.selectRow(2)
    assert page.editor_title.text() == "Edit card"
    assert page.front.toPlainText() == "What does GRU stand for?"
    page.back.selectAll()
    qtbot.keyClicks(page.back, "Gated recurrent unit (2014)")
    qtbot.waitUntil(lambda: page.saved_label.text() == "Saved.", timeout=3000)
    cid = page.model.rows[2].id
    with store.session() as s:
        assert s.get(Card, cid).back == "Gated recurrent unit (2014)"

    # An edit that empties a side is not saved.
    page.front.clear()
    page.save_current()
    assert "needs a front and a back" in page.saved_label.text()
    with store.session() as s:
        assert s.get(Card, cid).front == "What does GRU stand for?"
    page.front.setPlainText("What does GRU stand for?")
    page.tags.setText("gru  rnn")
    page.save_current()
    with store.session() as s:
        assert s.get(Card, cid).tags == "gru rnn"

    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    page.table.selectRow(2)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    with store.session() as s:
        assert s.get(Card, cid) is None
    assert page.model.rowCount() == 4


def test_escape_returns_to_library_with_fresh_counts(window, sample_deck, qtbot, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    page.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)
    assert window.current_page is window.library


def test_missing_mode_is_disabled_and_others_open_lazily(window, sample_deck, monkeypatch, wait_workers):
    from app.ui import modes

    monkeypatch.setitem(modes.MODES, "call", ("app.ui.no_such_view", "NoSuchView", "Call"))
    page = _open(window, sample_deck, wait_workers)
    assert not page.mode_buttons["call"].isEnabled()
    assert "not installed" in page.mode_buttons["call"].toolTip()
    if modes.mode_available("spaced"):  # written by the scheduling engineer; opened on demand
        page.start("spaced")
        spaced = window.current_page
        assert spaced is not page and hasattr(spaced, "closed")
        spaced.closed.emit()
        assert window.current_page is page
