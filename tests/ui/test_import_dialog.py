"""The import preview and the paste dialog through their real widgets, offscreen: pairs, dropped
lines with reasons, confidence; keyboard corrections; progress and Cancel; nothing saved early."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.formats import FORMAT_LABELS, parse_text
from app.formats.layout import REASON_USER
from app.store.models import Card, Deck
from app.ui.import_dialog import ImportPreviewDialog, PasteDialog

CORPUS = Path(__file__).parents[1] / "formats" / "fixtures" / "corpus"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _cards(dialog) -> list[tuple[str, str]]:
    return [(c.front, c.back) for c in dialog.parsed.cards]


def _open(qtbot, text: str) -> ImportPreviewDialog:
    dialog = ImportPreviewDialog(parse_text(text), "Deck", set())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def _row_of(dialog, text: str) -> int:
    for row in range(dialog.lines.rowCount()):
        if dialog.lines.item(row, 2).text() == text:
            return row
    raise AssertionError(text)


def test_preview_shows_pairs_dropped_lines_and_confidence(qtbot):
    dialog = _open(qtbot, (CORPUS / "01-quizlet-es-banner.txt").read_text(encoding="utf-8"))
    assert dialog.table.rowCount() == 6
    assert dialog.table.item(0, 0).text() == "La célula"
    assert "confidence" in dialog.summary.text() and "lines dropped" in dialog.summary.text()
    banner = _row_of(dialog, "¡Supera tus tareas y exámenes ahora con Quizwiz!")
    assert dialog.lines.item(banner, 1).text() == "Dropped"
    assert dialog.lines.item(banner, 3).text() == "promotional banner"
    footer = _row_of(dialog, "Conjuntos de estudio relacionados")
    assert dialog.lines.item(footer, 3).text() == "related sets footer"
    assert dialog.import_button.text() == "Import 6 cards"


def test_controls_are_keyboard_reachable(qtbot):
    dialog = _open(qtbot, "uno\none\ndos\ntwo\ntres\nthree\n")
    for b in (dialog.shift_button, dialog.swap_button, dialog.furniture_button, dialog.join_button):
        assert b.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert not b.shortcut().isEmpty()
    # Tab leaves the lines table for the controls (offscreen windows are never "active", so
    # the dialog's focus widget is checked rather than hasFocus()).
    dialog.lines.setFocus()
    qtbot.keyClick(dialog.lines, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.shift_button
    qtbot.keyClick(dialog.shift_button, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.swap_button
    qtbot.keyClick(dialog.swap_button, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(dialog.shift_button, Qt.Key.Key_Space)
    assert _cards(dialog) == [("one", "dos"), ("two", "tres")]


def test_shift_and_swap_by_shortcut(qtbot):
    dialog = _open(qtbot, "uno\none\ndos\ntwo\ntres\nthree\n")
    assert _cards(dialog) == [("uno", "one"), ("dos", "two"), ("tres", "three")]
    qtbot.keyClick(dialog, Qt.Key.Key_H, CTRL_SHIFT)
    assert _cards(dialog) == [("one", "dos"), ("two", "tres")]
    reasons = {dialog.lines.item(r, 2).text(): dialog.lines.item(r, 3).text() for r in range(6)}
    assert "without a question" in reasons["uno"] and "without an answer" in reasons["three"]
    assert dialog.import_button.text() == "Import 2 cards"
    qtbot.keyClick(dialog, Qt.Key.Key_H, CTRL_SHIFT)
    assert _cards(dialog) == [("uno", "one"), ("dos", "two"), ("tres", "three")]
    qtbot.keyClick(dialog, Qt.Key.Key_W, CTRL_SHIFT)
    assert _cards(dialog) == [("one", "uno"), ("two", "dos"), ("three", "tres")]
    assert dialog.table.item(0, 0).text() == "one"


def test_mark_furniture_restore_and_join(qtbot):
    dialog = _open(qtbot, "Where is Lima?\nIn Peru.\nIt is the capital\nWhere is Quito?\nIn Ecuador.\n")
    row = _row_of(dialog, "It is the capital")
    dialog.lines.selectRow(row)
    state = dialog.lines.item(row, 1).text()
    if state != "Answer (joined)":  # join it by hand if the parser did not
        qtbot.keyClick(dialog, Qt.Key.Key_J, CTRL_SHIFT)
    assert _cards(dialog) == [("Where is Lima?", "In Peru.\nIt is the capital"), ("Where is Quito?", "In Ecuador.")]
    assert dialog.lines.item(row, 1).text() == "Answer (joined)"
    qtbot.keyClick(dialog, Qt.Key.Key_J, CTRL_SHIFT)  # split it off again
    assert dialog.lines.item(row, 1).text() != "Answer (joined)"
    qtbot.keyClick(dialog, Qt.Key.Key_F, CTRL_SHIFT)  # now drop it as furniture
    assert dialog.lines.item(row, 3).text() == REASON_USER
    assert _cards(dialog) == [("Where is Lima?", "In Peru."), ("Where is Quito?", "In Ecuador.")]
    assert dialog.furniture_button.text() == "Restore line"
    qtbot.keyClick(dialog, Qt.Key.Key_F, CTRL_SHIFT)  # and bring it back
    assert dialog.lines.item(row, 3).text() == ""


def test_paste_progress_and_cancel_then_corrected_import(window, store, qtbot, wait_workers):
    dialog = PasteDialog(FORMAT_LABELS)
    qtbot.addWidget(dialog)
    big = "".join(f"What is item {i} of the list?\nAnswer number {i}, which is long.\n" for i in range(180_000))
    assert len(big) > 10_000_000
    dialog.text.setPlainText(big)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=120_000)
    assert dialog.progress.isVisible() or not dialog.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=120_000)
    assert "Cancelled" in dialog.message.text() and dialog.parsed is None
    wait_workers(120_000)

    # Through the library: paste, correct the pairing in the preview, import.
    lib = window.library
    lib.paste_text()
    paste = lib.paste_dialog
    paste.text.setPlainText("Spanish words\nperro\ndog\ngato\ncat\n")
    qtbot.mouseClick(paste.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lib.preview is not None, timeout=30_000)
    preview = lib.preview
    with store.session() as s:
        assert list(s.scalars(select(Deck.name))) == []  # nothing written before Import
    preview.swap()
    preview.name.setText("Animals")
    preview.accept()
    wait_workers(30_000)
    with store.session() as s:
        rows = list(s.execute(select(Card.front, Card.back).order_by(Card.position)))
    assert [tuple(r) for r in rows] == [("dog", "perro"), ("cat", "gato")]


def test_preview_counts_cards_skipped_for_no_answer(qtbot):
    text = "cell\tunit of life\nterm\t\natom\tsmallest unit\n"
    dialog = ImportPreviewDialog(parse_text(text, "tsv"), "Deck", set())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert _cards(dialog) == [("cell", "unit of life"), ("atom", "smallest unit")]
    assert "1 card skipped: no answer" in dialog.summary.text()
