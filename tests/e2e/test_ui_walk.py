"""A new user's walk through the window, as a reviewer found it (real widgets, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer

from app.ui import workers

K = Qt.Key


@pytest.fixture
def window(qtbot, store, monkeypatch):
    monkeypatch.setenv("RECALL_REDUCE_MOTION", "1")
    from app.ui.main_window import MainWindow

    w = MainWindow(store, None, first_run_prompt=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


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


@pytest.mark.xfail(
    strict=True,
    reason="bug: in the card editor, an edit that empties one side is thrown away without a word on Esc "
    "(app/ui/card_editor.py close_editor: save_current refuses it, then closed is emitted anyway); "
    "the front the user rewrote is lost too",
)
def test_escape_does_not_silently_drop_an_unsaved_edit(window, store, sample_deck, qtbot):
    page = _deck_page(window, sample_deck, qtbot)
    page.edit_row(0)
    ed = page.editor
    ed.front.setPlainText("A question the user rewrote")
    ed.back.clear()
    qtbot.keyClick(ed.back, K.Key_Escape)
    # Either the editor stays open with its message, or the user is asked; not back to the list.
    assert page.stack.currentWidget() is ed, "left the editor; the rewritten front was discarded"
