"""A new user's walk through the window, as a reviewer found it (real widgets, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer

from app.ui import workers

K = Qt.Key


@pytest.fixture
def window(monkeypatch, window):
    """The shared main window (tests/conftest.py), with motion reduced (read at every animation)."""
    monkeypatch.setenv("RECALL_REDUCE_MOTION", "1")
    return window


def _deck_page(window, deck_id, qtbot):
    window.open_deck(deck_id)
    qtbot.waitUntil(lambda: not workers.busy(), timeout=20_000)
    page = window.current_page
    if page.loading:
        loop = QEventLoop()
        page.loaded.connect(loop.quit)
        QTimer.singleShot(20_000, loop.quit)
        loop.exec()
    return page


def test_escape_does_not_silently_drop_an_unsaved_edit(window, store, sample_deck, qtbot):
    page = _deck_page(window, sample_deck, qtbot)
    page.edit_row(0)
    ed = page.editor
    ed.front.setPlainText("A question the user rewrote")
    ed.back.clear()
    qtbot.keyClick(ed.back, K.Key_Escape)
    # Either the editor stays open with its message, or the user is asked; not back to the list.
    assert page.stack.currentWidget() is ed, "left the editor; the rewritten front was discarded"
    assert "needs a front and a back" in ed.saved_label.text() and "Esc again" in ed.saved_label.text()
    assert ed.back.hasFocus(), "the cursor goes to the empty side"


def test_second_escape_asks_keep_editing_or_discard(window, store, sample_deck, qtbot, monkeypatch):
    from sqlalchemy import select

    from app.store.models import Card
    from app.ui import dialogs

    page = _deck_page(window, sample_deck, qtbot)
    page.edit_row(0)
    ed = page.editor
    cid, stored = ed.row.id, (ed.row.front, ed.row.back)
    ed.front.setPlainText("A question the user rewrote")
    ed.back.clear()
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "discard_changes", lambda _p, text: asked.append(text) or False)
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert asked == [] and page.stack.currentWidget() is ed  # the first Esc tells, asks nothing
    qtbot.keyClick(ed.back, K.Key_Escape)
    assert len(asked) == 1 and "back is empty" in asked[0]
    assert page.stack.currentWidget() is ed and ed.front.toPlainText() == "A question the user rewrote"
    monkeypatch.setattr(dialogs, "discard_changes", lambda _p, text: asked.append(text) or True)
    qtbot.keyClick(ed.back, K.Key_Escape)  # Discard: back on the list, the stored card as it was
    assert len(asked) == 2 and page.stack.currentWidget() is page.browse
    with store.session() as s:
        card = s.get(Card, cid)
        assert (card.front, card.back) == stored
        assert s.scalar(select(Card).where(Card.front == "A question the user rewrote")) is None
