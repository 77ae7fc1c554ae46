"""The shortcut sheet (F1 or ?) lists every shortcut actually registered on every screen, and every
key each screen's module says it handles."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from app.ui.modes import MODES
from app.ui.shortcut_sheet import SCREENS, ShortcutSheet, keys_of, live_shortcuts, normalise
from tests.ui.screen_walk import walk


def test_sheet_lists_every_live_shortcut_on_every_screen(qapp, recall_home):
    missing: dict[str, list[str]] = {}
    screens = 0
    for shot in walk(recall_home):
        screens += 1
        sheet = ShortcutSheet(shot.window)
        covered = sheet.covered()
        live = live_shortcuts(shot.window)
        if shot.target is not shot.window:
            live += live_shortcuts(shot.target)
        gaps = sorted({f"{normalise(seq)} ({what})" for seq, what, _o in live if normalise(seq) not in covered})
        if gaps:
            missing[shot.name] = gaps
        sheet.deleteLater()
    assert screens >= 24
    assert not missing, f"shortcuts the sheet does not list: {missing}"


def test_sheet_lists_each_screen_module_shortcuts(qapp, window, sample_deck):
    sheet = ShortcutSheet(window)
    shown = {(r.keys, r.action) for s in sheet.sections for r in s.rows}
    modules = [m for _t, m in SCREENS] + [m for m, _c, _l in MODES.values()]
    listed = 0
    for name in modules:
        for entry in getattr(importlib.import_module(name), "SHORTCUTS", []):
            assert tuple(entry) in shown, f"{name}: {entry}"
            listed += 1
    assert listed >= 30
    titles = [s.title for s in sheet.sections]
    assert titles[0] == "Everywhere" and "Flashcards" in titles and "Call" in titles
    window.open_mode("flashcards", sample_deck)
    assert [s.title for s in ShortcutSheet(window).sections][1] == "Flashcards"  # the screen the user is on


def test_f1_and_question_mark_open_the_sheet_and_it_filters(qapp, qtbot, window):
    from PySide6.QtWidgets import QApplication

    for key in (Qt.Key.Key_F1, Qt.Key.Key_Question):
        window.activateWindow()
        window.library.setFocus()
        qtbot.keyClick(window.library, key)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutSheet), timeout=5000)
        sheet = QApplication.activeModalWidget()
        assert sheet.row_count() > 30
        sheet.filter.setText("mute")
        visible = [
            sheet.tree.topLevelItem(i).child(j).text(1)
            for i in range(sheet.tree.topLevelItemCount())
            for j in range(sheet.tree.topLevelItem(i).childCount())
            if not sheet.tree.topLevelItem(i).child(j).isHidden()
        ]
        assert visible and all("mute" in t.lower() for t in visible)
        sheet.reject()
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=5000)


def test_key_texts_expand_to_the_keys_they_name():
    assert keys_of("1–4") == {"1", "2", "3", "4"}
    assert keys_of("A–L") == {chr(c) for c in range(ord("A"), ord("L") + 1)}
    assert keys_of("Alt+1 … Alt+7") == {f"Alt+{i}" for i in range(1, 8)}
    assert keys_of("Space / ↑ / ↓") == {"Space", "Up", "Down"}
    assert keys_of("Space (hold)") == {"Space"}
    assert keys_of("Ctrl+Enter") == {normalise(QKeySequence("Ctrl+Return"))}
    assert keys_of("Esc") == {normalise(QKeySequence(Qt.Key.Key_Escape))}
