"""Every control of every screen has a name in Qt's accessibility tree and can be reached from the
keyboard (Tab, or a shortcut the screen shows), over the real window with the sample decks."""

from __future__ import annotations

import re
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from app.ui.shortcut_sheet import keys_of, live_shortcuts, normalise
from tests.ui.screen_walk import visible_widgets, walk

CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QAbstractSlider,
            QAbstractItemView, QTabBar, QMenuBar)  # fmt: skip
ARROWS = {"→": "Right", "←": "Left", "↑": "Up", "↓": "Down"}


def _qt_internal(w: QWidget) -> bool:
    """Parts Qt builds inside a control (a spin box's line edit, a combo's popup, scroll bars):
    the control itself carries the name and the focus."""
    parent = w.parentWidget()
    if isinstance(w, (QScrollBar, QHeaderView)) or w.objectName().startswith("qt_"):
        return True
    return isinstance(parent, (QAbstractSpinBox, QComboBox, QLineEdit)) or (parent is not None and parent.objectName().startswith("qt_"))


def controls(root: QWidget) -> list[QWidget]:
    return [w for w in visible_widgets(root) if isinstance(w, CONTROLS) and not _qt_internal(w)]


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return (iface.text(QAccessible.Text.Name) if iface is not None else "").strip()


def keys_shown(w: QAbstractButton) -> set[str]:
    """The keys a button says work it: its shortcut, "(Ctrl+N)" in its text or tip, a leading
    "1"/"A" (choices, tiles), "key 2" in its tip, an arrow in its text."""
    keys = {normalise(w.shortcut())} if not w.shortcut().isEmpty() else set()
    for text in (w.text(), w.toolTip(), w.accessibleName()):
        for inside in re.findall(r"\(([^()]*)\)", text):
            keys |= keys_of(inside)
        keys |= {normalise(k) for k in re.findall(r"\bkey\s+(\S+)", text)}
        lead = re.match(r"^\W*([A-Za-z0-9])(?:\s|$)", text)
        if lead:
            keys.add(normalise(lead.group(1).upper()))
        keys |= {ARROWS[c] for c in text if c in ARROWS}
    return {k for k in keys if k}


def screen_keys(shot) -> set[str]:
    """Every key the screen (its module's SHORTCUTS, its live shortcuts, the window's) handles."""
    window = shot.window
    keys = {normalise(seq) for seq, _d, _o in live_shortcuts(shot.target)}
    keys |= {normalise(seq) for seq, _d, _o in live_shortcuts(window)}
    module = sys.modules.get(type(window.current_page).__module__)
    for text, _what in getattr(module, "SHORTCUTS", []):
        keys |= keys_of(text)
    return keys


def reachable(w: QWidget, keys: set[str]) -> bool:
    """Tab reaches it, or a key the screen handles works it and the control shows that key."""
    if not w.isEnabled():
        return True  # nothing to reach yet
    if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return True
    if isinstance(w, QAbstractButton):
        return bool(keys_shown(w) & keys)
    if isinstance(w, QAbstractItemView):  # a list shown, not worked: fine while it needs no scrolling
        return w.verticalScrollBar().maximum() == 0 and w.horizontalScrollBar().maximum() == 0
    return isinstance(w, QMenuBar)  # Alt and the mnemonics


def describe(w: QWidget) -> str:
    text = getattr(w, "text", lambda: "")()
    return f"{type(w).__name__}#{w.objectName() or '-'} text={text[:30]!r} tip={w.toolTip()[:30]!r}"


def test_every_control_of_every_screen_has_an_accessible_name_and_a_key(qapp, recall_home):
    unnamed: dict[str, list[str]] = {}
    unreachable: dict[str, list[str]] = {}
    seen = 0
    for shot in walk(recall_home):
        root = shot.target
        keys = screen_keys(shot)
        for w in controls(root):
            seen += 1
            if not accessible_name(w):
                unnamed.setdefault(shot.name, []).append(describe(w))
            if not reachable(w, keys):
                unreachable.setdefault(shot.name, []).append(describe(w))
    assert seen > 200  # the walk really reached the screens
    assert not unnamed, f"controls without an accessible name: {unnamed}"
    assert not unreachable, f"controls the keyboard cannot reach: {unreachable}"


def test_accessible_names_come_from_qt_accessibility_tree(qapp):
    """The check reads Qt's tree: a form label names its field (its buddy); a bare field has no name."""
    from PySide6.QtWidgets import QFormLayout

    box = QWidget()
    form = QFormLayout(box)
    named, bare = QLineEdit(), QLineEdit()
    form.addRow("Deck name", named)
    form.addRow(bare)
    assert accessible_name(named) == "Deck name"
    assert accessible_name(bare) == ""


def test_keys_shown_by_a_button(qapp):
    from PySide6.QtWidgets import QPushButton

    assert keys_shown(QPushButton("Know (2)")) == {"2"}
    assert keys_shown(QPushButton("1   Tokyo")) == {"1"}
    assert "Right" in keys_shown(QPushButton("Next →"))
    assert keys_shown(QPushButton("Add cards (Ctrl+N)")) == {"Ctrl+N"}
    assert keys_shown(QPushButton("Finish now")) == set()
