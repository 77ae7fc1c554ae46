"""The deck page: described mode choices, the card list (preview, mastery, star), FTS search, and
the separate keyboard-driven editor (Tab between fields, Ctrl+Enter adds the next card, saved as
you type, pasted images), delete, and a 10,000-card deck."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop, QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select

from app.store.models import Card
from app.ui import dialogs

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _no_motion(monkeypatch):
    monkeypatch.setenv("RECALL_REDUCE_MOTION", "1")


def _open(window, deck_id, wait_workers):
    window.open_deck(deck_id)
    wait_workers()
    page = window.current_page
    assert page.__class__.__name__ == "DeckView"
    if page.loading:  # rows are added a batch per event-loop turn: wait for `loaded`
        loop = QEventLoop()
        page.loaded.connect(loop.quit)
        QTimer.singleShot(20_000, loop.quit)
        loop.exec()
    assert not page.loading
    return page


def test_lists_cards_with_preview_mastery_and_described_modes(window, sample_deck, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    assert page.title.text() == "Sequence models"
    assert page.model.rowCount() == 5
    first = page.model.index(0).data()
    assert first.startswith("What does the forget gate do? — It decides what to remove") and "(new)" in first
    assert "5 cards" in page.summary.text() and "0 % mastery" in page.summary.text()
    for mode in ("flashcards", "learn", "test", "match"):
        assert page.mode_buttons[mode].isEnabled()
    assert "Adaptive rounds until you know it" in page.mode_buttons["learn"].description()
    assert page.mode_buttons["learn"].accessibleName().startswith("Learn: ")


def test_editor_by_keyboard_tab_ctrl_enter_adds_and_starts_the_next(
    window, store, sample_deck, qtbot, monkeypatch, wait_workers
):
    page = _open(window, sample_deck, wait_workers)
    page.cards.setFocus()
    qtbot.keyClick(page.cards, K.Key_N, CTRL)
    ed = page.editor
    assert page.stack.currentWidget() is ed and ed.front.hasFocus() and ed.editor_title.text() == "New card"
    qtbot.keyClicks(ed.front, "What is a transformer?")
    qtbot.keyClick(ed.front, K.Key_Tab)
    assert ed.back.hasFocus()
    qtbot.keyClicks(ed.back, "An attention-based sequence model")
    qtbot.keyClick(ed.back, K.Key_Tab)
    assert ed.tags.hasFocus()
    qtbot.keyClicks(ed.tags, "attention nlp")
    qtbot.keyClick(ed.tags, K.Key_Return, CTRL)
    with store.session() as s:
        card = s.scalar(select(Card).where(Card.front == "What is a transformer?"))
        assert card.back == "An attention-based sequence model" and card.tags == "attention nlp"
    # The next card starts at once: empty sides, the same tags, the cursor in Front.
    assert ed.front.toPlainText() == "" and ed.back.toPlainText() == "" and ed.tags.text() == "attention nlp"
    assert ed.front.hasFocus() and "Added (1 this time)" in ed.saved_label.text()
    assert page.model.rowCount() == 6
    # Ctrl+Enter with an empty back adds nothing and puts the cursor where the gap is.
    qtbot.keyClicks(ed.front, "Half a card")
    qtbot.keyClick(ed.front, K.Key_Return, CTRL)
    assert "front and a back" in ed.saved_label.text() and ed.back.hasFocus() and page.model.rowCount() == 6

    qtbot.keyClick(ed.back, K.Key_Escape)  # half a card is not dropped without a word
    assert page.stack.currentWidget() is ed and "Esc again to discard" in ed.saved_label.text()
    monkeypatch.setattr(dialogs, "discard_changes", lambda *_a: True)
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert page.stack.currentWidget() is page.browse and page.model.rowCount() == 6
    qtbot.keyClick(page.cards, K.Key_F, CTRL)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "attent")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=3000)
    assert page.model.rows[0].front == "What is a transformer?"
    assert "1 of 6 cards" in page.count_label.text()
    qtbot.keyClick(page.search, K.Key_Escape)  # the first Esc clears the search
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=3000)
    assert window.current_page is page


def test_edit_is_saved_as_you_type_and_delete_asks(window, store, sample_deck, qtbot, monkeypatch, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    page.select_row(2)
    page.cards.setFocus()
    qtbot.keyClick(page.cards, K.Key_Return)
    ed = page.editor
    assert ed.editor_title.text() == "Edit card" and ed.front.toPlainText() == "What does GRU stand for?"
    ed.back.selectAll()
    qtbot.keyClicks(ed.back, "Gated recurrent unit (2014)")
    qtbot.waitUntil(lambda: ed.saved_label.text() == "Saved.", timeout=3000)
    cid = page.model.rows[2].id
    with store.session() as s:
        assert s.get(Card, cid).back == "Gated recurrent unit (2014)"
    assert "Gated recurrent unit (2014)" in page.model.index(2).data()

    ed.front.clear()  # an edit that empties a side is not saved
    ed.save_current()
    assert "needs a front and a back" in ed.saved_label.text()
    with store.session() as s:
        assert s.get(Card, cid).front == "What does GRU stand for?"
    ed.front.setPlainText("What does GRU stand for?")
    ed.tags.setText("gru  rnn")
    qtbot.keyClick(ed.tags, K.Key_Return, CTRL)  # on an existing card: save and go back
    with store.session() as s:
        assert s.get(Card, cid).tags == "gru rnn"
    assert page.stack.currentWidget() is page.browse and page.selected_ids() == [cid]

    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    qtbot.keyClick(page.cards, K.Key_Delete)
    with store.session() as s:
        assert s.get(Card, cid) is None
    assert page.model.rowCount() == 4 and "Deleted 1 card" in page.count_label.text()


def test_star_by_key_and_by_click(window, store, sample_deck, qtbot, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    page.select_row(1)
    page.cards.setFocus()
    qtbot.keyClick(page.cards, K.Key_S)
    cid = page.model.rows[1].id
    with store.session() as s:
        assert s.get(Card, cid).starred
    assert "starred" in page.model.index(1).data()
    rect = page.cards.visualRect(page.model.index(1))
    star = page.delegate.star_rect(rect).center()
    qtbot.mouseClick(page.cards.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(star.x(), star.y()))
    with store.session() as s:
        assert not s.get(Card, cid).starred


def test_pasted_image_is_stored_in_media_and_shown_on_the_card(
    window, store, sample_deck, qtbot, wait_workers, recall_home
):
    page = _open(window, sample_deck, wait_workers)
    page.new_card()
    ed = page.editor
    image = QImage(24, 16, QImage.Format.Format_RGB32)
    image.fill(QColor("#4255ff"))
    mime = QMimeData()
    mime.setImageData(image)
    qtbot.keyClicks(ed.front, "Which colour is this? ")
    assert ed.front.canInsertFromMimeData(mime)
    with qtbot.waitSignal(ed.front.image_added, timeout=5000) as got:
        ed.front.insertFromMimeData(mime)
    tag = got.args[0]
    files = list((recall_home / "data" / "media" / f"deck-{sample_deck}").glob("*.png"))
    assert len(files) == 1 and files[0].name in tag and QImage(str(files[0])).width() == 24
    assert ed.front_preview.isVisible() and "<img" in ed.front_preview.text()
    qtbot.keyClicks(ed.back, "Blue")
    qtbot.keyClick(ed.back, K.Key_Return, CTRL)
    with store.session() as s:
        card = s.scalar(select(Card).where(Card.back == "Blue"))
        assert card.front == f"Which colour is this? {tag}"
    assert "🖼" in page.model.index(5).data()  # the list previews a picture as a mark

    # A picture file pasted or dropped as a URL is stored too, keeping its kind.
    jpg = recall_home / "photo.jpg"
    image.save(str(jpg), "JPG")
    drop = QMimeData()
    drop.setUrls([QUrl.fromLocalFile(str(jpg))])
    page.new_card()
    assert ed.back.canInsertFromMimeData(drop)
    with qtbot.waitSignal(ed.back.image_added, timeout=5000) as got:
        ed.back.insertFromMimeData(drop)
    assert got.args[0].endswith('.jpg">') and len(list(files[0].parent.glob("*.jpg"))) == 1

    from app.ui.card_surface import CardSurface

    face = CardSurface()
    face.show_card("FRONT", card.front)
    assert face.text.textFormat() == Qt.TextFormat.RichText and files[0].resolve().as_uri() in face.text.text()


def test_escape_returns_to_library(window, sample_deck, qtbot, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    page.cards.setFocus()
    qtbot.keyClick(page.cards, K.Key_Escape)
    assert window.current_page is window.library


def test_missing_mode_is_disabled_and_others_open_lazily(window, sample_deck, monkeypatch, wait_workers):
    from app.ui import modes

    monkeypatch.setitem(modes.MODES, "call", ("app.ui.no_such_view", "NoSuchView", "Call"))
    page = _open(window, sample_deck, wait_workers)
    assert not page.mode_buttons["call"].isEnabled()
    assert "not installed" in page.mode_buttons["call"].toolTip()
    if modes.mode_available("spaced"):
        page.start("spaced")
        spaced = window.current_page
        assert spaced is not page and hasattr(spaced, "closed")
        spaced.closed.emit()
        assert window.current_page is page


def test_a_10k_card_deck_opens_as_a_list(window, store, qtbot, wait_workers):
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Big")
        add_cards(s, deck, [CardRecord(f"Question {i}", f"Answer {i}") for i in range(10_000)])
        deck_id = deck.id
    page = _open(window, deck_id, wait_workers)
    assert page.model.rowCount() == 10_000 and page.cards.uniformItemSizes()
    page.cards.scrollToBottom()
    assert page.model.index(9_999).data().startswith("Question 9999 — Answer 9999")


def test_escape_saves_a_valid_edit_and_adds_a_finished_new_card(window, store, sample_deck, qtbot, wait_workers):
    page = _open(window, sample_deck, wait_workers)
    page.edit_row(1)
    ed = page.editor
    cid = ed.row.id
    ed.back.setPlainText("Rewritten and left at once")  # Esc before the save timer fires
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert page.stack.currentWidget() is page.browse
    with store.session() as s:
        assert s.get(Card, cid).back == "Rewritten and left at once"

    page.new_card()
    qtbot.keyClicks(ed.front, "Typed then Esc")
    qtbot.keyClicks(ed.back, "Still added")
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert page.stack.currentWidget() is page.browse and page.model.rowCount() == 6
    page.new_card()  # the card added on Esc is not added a second time
    assert ed.front.toPlainText() == "" and page.model.rowCount() == 6
    with store.session() as s:
        assert len(s.scalars(select(Card).where(Card.front == "Typed then Esc")).all()) == 1


def test_half_written_new_card_and_the_back_button_keep_the_editor(
    window, store, sample_deck, qtbot, monkeypatch, wait_workers
):
    page = _open(window, sample_deck, wait_workers)
    page.new_card()
    ed = page.editor
    qtbot.keyClicks(ed.front, "Only a front")
    ed.done_button.click()
    assert page.stack.currentWidget() is ed and "not added yet" in ed.saved_label.text()
    assert ed.back.hasFocus()
    asked: list[str] = []
    # The second try asks Discard / Keep editing (a modal box, which would wait for a click): keep editing.
    monkeypatch.setattr(dialogs, "discard_changes", lambda _parent, text: asked.append(text) or False)
    page.leave()  # the deck page's Back while the editor holds it: not left either
    assert asked and "cannot be saved" in asked[0]
    assert window.current_page is page and page.stack.currentWidget() is ed
    monkeypatch.setattr(dialogs, "discard_changes", lambda *_a: True)
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert page.stack.currentWidget() is page.browse and page.model.rowCount() == 5
    with store.session() as s:
        assert s.scalar(select(Card).where(Card.front == "Only a front")) is None
