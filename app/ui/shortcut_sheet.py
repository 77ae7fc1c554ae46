"""The keyboard shortcut sheet (F1 or ?): every shortcut of every screen, in one searchable list.

Each screen's module declares `SHORTCUTS = [(keys, what it does), ...]` (keys handled in its
keyPressEvent as well as its QShortcuts). Those modules are imported only when the sheet opens.
A screen without such a list is covered by walking the live window for its QActions and
QShortcuts, and any live shortcut no list mentions is added under "On this screen", so the sheet
never misses a key that actually does something.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.modes import MODES

# (section title, module) for the screens that are not study modes; the modes follow from MODES.
SCREENS: tuple[tuple[str, str], ...] = (
    ("Library", "app.ui.library_view"),
    ("Deck page", "app.ui.deck_view"),
    ("Card editor", "app.ui.card_editor"),
)
_ARROWS = {"←": "Left", "→": "Right", "↑": "Up", "↓": "Down"}
_RANGE = re.compile(r"^(?P<a>.+?)\s*(?:–|…|\.\.\.)\s*(?P<b>.+)$")


@dataclass
class Row:
    keys: str  # as shown
    action: str
    norm: frozenset[str] = field(default_factory=frozenset)  # normalised key sequences it covers


@dataclass
class Section:
    title: str
    rows: list[Row]


def normalise(seq: QKeySequence | str) -> str:
    """One spelling per key sequence ("Return" and "Enter" are the same key to a user)."""
    if isinstance(seq, str):
        seq = QKeySequence(seq)
    text = seq.toString(QKeySequence.SequenceFormat.PortableText)
    return text.replace("Return", "Enter").replace("Escape", "Esc")


def _expand(alt: str) -> list[str]:
    m = _RANGE.match(alt)
    if m is None:
        return [alt]
    a, b = m.group("a").strip(), m.group("b").strip()
    pa, ka = a.rsplit("+", 1) if "+" in a[:-1] else ("", a)
    pb, kb = b.rsplit("+", 1) if "+" in b[:-1] else ("", b)
    pre = pa or pb
    if len(ka) != 1 or len(kb) != 1 or ord(kb) < ord(ka):
        return [a, b]
    return [f"{pre}+{chr(c)}" if pre else chr(c) for c in range(ord(ka), ord(kb) + 1)]


def keys_of(text: str) -> frozenset[str]:
    """The key sequences a sheet entry such as "Space / ↑ / ↓", "1–4" or "Alt+1 … Alt+7" names."""
    text = re.sub(r"\([^)]*\)", "", text)
    for sym, name in _ARROWS.items():
        text = text.replace(sym, name)
    out: set[str] = set()
    for alt in re.split(r"\s*/\s*|\s*,\s+|\s+or\s+", text.strip()):
        for key in _expand(alt.strip()):
            norm = normalise(key.strip()) if key.strip() else ""
            if norm:
                out.add(norm)
    return frozenset(out)


def _described(obj: QAction | QShortcut | QAbstractButton) -> str:
    if isinstance(obj, QAction):
        text = obj.text() or obj.toolTip()
    elif isinstance(obj, QAbstractButton):
        text = obj.text() or obj.toolTip() or obj.accessibleName()
    else:
        parent = obj.parent()
        text = obj.whatsThis() or obj.objectName()
        if not text and isinstance(parent, QWidget):
            text = parent.accessibleName() or parent.toolTip() or type(parent).__name__
    return text.replace("&", "").rstrip("…").strip() or "(shortcut)"


def live_shortcuts(root: QWidget) -> list[tuple[QKeySequence, str, object]]:
    """Every key sequence registered under `root`: QActions, QShortcuts and button shortcuts."""
    found: list[tuple[QKeySequence, str, object]] = []
    for act in root.findChildren(QAction):
        for seq in act.shortcuts():
            if not seq.isEmpty():
                found.append((seq, _described(act), act))
    for sc in root.findChildren(QShortcut):
        keys = sc.keys() if hasattr(sc, "keys") else [sc.key()]
        for seq in keys:
            if not seq.isEmpty():
                found.append((seq, _described(sc), sc))
    for b in root.findChildren(QAbstractButton):
        seq = b.shortcut()
        if not seq.isEmpty():
            found.append((seq, _described(b), b))
    return found


def _module_rows(module: str) -> list[Row] | None:
    try:
        mod = importlib.import_module(module)
    except Exception:  # a mode that cannot load has no shortcuts to offer
        return None
    listed = getattr(mod, "SHORTCUTS", None)
    if listed is None:
        return None
    return [Row(keys, action, keys_of(keys)) for keys, action in listed]


def _rows_of_live(items: list[tuple[QKeySequence, str, object]], screen: str = "") -> list[Row]:
    """One row per action (its keys joined: "Ctrl+= / Ctrl++"), each key sequence once."""
    rows: dict[int, Row] = {}
    seen: set[str] = set()
    for seq, action, obj in items:
        norm = normalise(seq)
        if not norm or norm in seen:
            continue
        seen.add(norm)
        if action in {"(shortcut)", *(type(p).__name__ for p in _ancestors(obj))} and screen:
            action = f"A shortcut of the {screen.lower()}"  # a bare QShortcut says nothing of itself
        text = seq.toString(QKeySequence.SequenceFormat.NativeText)
        row = rows.get(id(obj))
        if row is None:
            rows[id(obj)] = Row(text, action, frozenset({norm}))
        else:
            row.keys, row.norm = f"{row.keys} / {text}", row.norm | {norm}
    return list(rows.values())


def _ancestors(obj) -> list:
    out, parent = [], obj.parent() if hasattr(obj, "parent") else None
    while parent is not None:
        out.append(parent)
        parent = parent.parent()
    return out


def collect(window: QWidget | None) -> list[Section]:
    """The sheet's sections: the window's own shortcuts, each screen's, then anything left over."""
    sections: list[Section] = []
    if window is not None:
        own = [i for i in live_shortcuts(window) if isinstance(i[2], QAction) and not _on_page(window, i[2])]
        sections.append(Section("Everywhere", _rows_of_live(own)))
    pages = list(getattr(window, "_pages", []) or [])
    screens = [*SCREENS, *((label, module) for module, _cls, label in MODES.values())]
    for title, module in screens:
        rows = _module_rows(module)
        if rows is None:  # no list: what its open page registers, if one is open
            live = [i for p in pages if type(p).__module__ == module for i in live_shortcuts(p)]
            rows = _rows_of_live(live, title)
        if rows:
            sections.append(Section(title, rows))
    current = getattr(window, "current_page", None)
    here = next((t for t, m in screens if current is not None and type(current).__module__ == m), None)
    at = next((i for i, sec in enumerate(sections) if sec.title == here), None)
    if at is not None and at > 1:  # the screen the user is on comes right after "Everywhere"
        sections.insert(1, sections.pop(at))
    if window is not None:
        covered = set().union(*(r.norm for s in sections for r in s.rows)) if sections else set()
        left = [i for i in live_shortcuts(window) if normalise(i[0]) not in covered]
        if left:
            sections.append(Section("On this screen", _rows_of_live(left)))
    return sections


def _on_page(window: QWidget, obj: QObject) -> bool:
    """Whether a shortcut belongs to one of the window's pages (listed with its screen)."""
    pages = getattr(window, "_pages", []) or []
    parent = obj.parent()
    while parent is not None and parent is not window:
        if parent in pages:
            return True
        parent = parent.parent()
    return False


class ShortcutSheet(QDialog):
    """The list, with a filter: type a key or a word to narrow it."""

    def __init__(self, window: QWidget | None, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.sections = collect(window)
        self.resize(720, 620)
        layout = QVBoxLayout(self)
        title = QLabel("Keyboard shortcuts")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter: type a key or a word")
        self.filter.setAccessibleName("Filter shortcuts")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        layout.addWidget(self.filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcutTree")
        self.tree.setAccessibleName("Shortcuts by screen")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "What it does"])
        self.tree.setAlternatingRowColors(True)
        self.tree.setRootIsDecorated(False)
        self.tree.header().setAccessibleName("Columns: keys, what it does")
        for section in self.sections:
            head = QTreeWidgetItem([section.title, ""])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(head)
            for row in section.rows:
                QTreeWidgetItem(head, [row.keys, row.action])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0) + 24, 160))
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.filter.setFocus()

    def covered(self) -> frozenset[str]:
        """Every normalised key sequence the sheet lists."""
        return frozenset().union(*(r.norm for s in self.sections for r in s.rows))

    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    def apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            shown = 0
            for j in range(head.childCount()):
                item = head.child(j)
                hit = not needle or needle in item.text(0).lower() or needle in item.text(1).lower()
                item.setHidden(not hit)
                shown += hit
            head.setHidden(shown == 0)


def open_sheet(window: QWidget) -> ShortcutSheet:
    """Open the sheet without blocking (so tests can read it); it deletes itself when closed."""
    sheet = ShortcutSheet(window)
    sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    sheet.open()
    return sheet
