"""The card editor, a view of its own on the deck page: Front, Back and Tags, Tab between them,
Ctrl+Enter adds the card and starts the next one (or, on an existing card, saves it and goes
back), pasted or dropped images are stored in the media folder and referenced from the text.
An existing card is saved as you type. Leaving (Esc, Back, another card) saves a valid edit or adds a
finished new card; an edit that cannot be saved (a side left empty) keeps the editor open with the
reason, and a second try asks "Discard changes?": typed text is never thrown away without a word."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import func, select

from app.store.db import Store
from app.store.models import Card, utcnow
from app.store.repo import normalise_tags
from app.study.media import display_html, has_images, save_image
from app.ui import dialogs
from app.ui.deck_model import CardRow

SAVE_DELAY_MS = 400
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
SHORTCUTS = [
    ("Tab / Shift+Tab", "Next / previous field"),
    ("Ctrl+Enter", "Add the card and start the next (on an existing card: save and go back)"),
    ("Ctrl+V", "Paste text or an image into Front or Back"),
    ("Ctrl+Delete", "Delete the card being edited"),
    ("Esc", "Save and back to the card list (an unsaveable edit asks first)"),
]


class ImageTextEdit(QPlainTextEdit):
    """Plain text, plus images: a pasted or dropped picture becomes a file and an <img> tag."""

    image_added = Signal(str)  # the tag

    def __init__(self, deck_id: int, placeholder: str) -> None:
        super().__init__()
        self.deck_id = deck_id
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(placeholder)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasImage() or bool(self._image_files(source)) or super().canInsertFromMimeData(source)

    @staticmethod
    def _image_files(source: QMimeData) -> list[Path]:
        files = [Path(u.toLocalFile()) for u in source.urls() if u.isLocalFile()] if source.hasUrls() else []
        return [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()]

    def insertFromMimeData(self, source: QMimeData) -> None:
        tags: list[str] = []
        if source.hasImage():
            image = QImage(source.imageData())
            if not image.isNull():
                data = QByteArray()
                buf = QBuffer(data)
                buf.open(QIODevice.OpenModeFlag.WriteOnly)
                image.save(buf, "PNG")
                tags.append(save_image(self.deck_id, bytes(data.data()), ".png"))
        for path in self._image_files(source) if not tags else []:
            tags.append(save_image(self.deck_id, path.read_bytes(), path.suffix.lower()))
        if not tags:
            super().insertFromMimeData(source)
            return
        for tag in tags:
            self.insertPlainText(tag)
            self.image_added.emit(tag)


class CardEditor(QWidget):
    added = Signal(object)  # CardRow
    changed = Signal(object)  # CardRow, saved
    delete_requested = Signal(int)  # card id
    closed = Signal()

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.deck_id = deck_id
        self.row: CardRow | None = None  # None: a new card
        self._loading = False
        self._warned = False  # told that leaving cannot save this edit; the next try asks
        self.added_count = 0
        form = QFormLayout(self)
        self.editor_title = QLabel("New card")
        self.editor_title.setObjectName("pageTitle")
        form.addRow(self.editor_title)
        self.front = ImageTextEdit(deck_id, "Question / term")
        self.back = ImageTextEdit(deck_id, "Answer / definition")
        self.front_preview, self.back_preview = QLabel(""), QLabel("")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags, separated by spaces")
        self.tags.setAccessibleName("Tags")
        form.addRow("&Front", self.front)
        form.addRow("", self.front_preview)
        form.addRow("&Back", self.back)
        form.addRow("", self.back_preview)
        form.addRow("&Tags", self.tags)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add card (Ctrl+Enter)")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.commit)
        self.delete_button = QPushButton("Delete (Ctrl+Delete)")
        self.delete_button.setObjectName("danger")
        self.delete_button.clicked.connect(self._delete)
        self.done_button = QPushButton("Back to cards (Esc)")
        self.done_button.clicked.connect(self.close_editor)
        for b in (self.add_button, self.delete_button, self.done_button):
            row.addWidget(b)
        row.addStretch(1)
        form.addRow(row)
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("muted")
        form.addRow(self.saved_label)
        QWidget.setTabOrder(self.front, self.back)
        QWidget.setTabOrder(self.back, self.tags)

        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS, timeout=self.save_current)
        for w in (self.front, self.back):
            w.textChanged.connect(self._edited)
        self.tags.textChanged.connect(self._edited)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.commit, context=ctx)
        QShortcut(QKeySequence("Ctrl+Delete"), self, activated=self._delete, context=ctx)
        QShortcut(QKeySequence("Esc"), self, activated=self.close_editor, context=ctx)

    # showing -------------------------------------------------------------------------------
    def edit(self, row: CardRow | None) -> None:
        """Show `row` (None: a new, empty card) and put the cursor in Front; the edit under way
        is saved first, and if it cannot be, the editor stays on it (see leave_ok)."""
        if not self.leave_ok():
            return
        self._load(row)

    def _load(self, row: CardRow | None) -> None:
        self._warned = False
        self._loading = True
        self.row = row
        self.front.setPlainText(row.front if row else "")
        self.back.setPlainText(row.back if row else "")
        self.tags.setText(row.tags if row else "")
        self._loading = False
        self._previews()
        self.editor_title.setText("Edit card" if row else "New card")
        self.add_button.setText("Save and go back (Ctrl+Enter)" if row else "Add card (Ctrl+Enter)")
        self.delete_button.setEnabled(row is not None)
        self.saved_label.setText("Changes are saved as you type." if row else "")
        self.front.setFocus()

    def _previews(self) -> None:
        for edit, label in ((self.front, self.front_preview), (self.back, self.back_preview)):
            text = edit.toPlainText()
            label.setVisible(has_images(text))
            if label.isVisibleTo(self):
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setText(display_html(text, max_width=160))

    def values(self) -> tuple[str, str, str]:
        return (
            self.front.toPlainText().strip(),
            self.back.toPlainText().strip(),
            normalise_tags(self.tags.text().split()),
        )

    # saving --------------------------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading:
            return
        self._warned = False
        self._previews()
        if self.row is None:
            return
        self.saved_label.setText("Saving…")
        self._save_timer.start()

    def save_current(self) -> bool:
        """Write the card being edited if it changed (the timer, and before leaving it).
        False when there is an edit it could not write (a side left empty)."""
        self._save_timer.stop()
        row = self.row
        if row is None:
            return True
        front, back, tags = self.values()
        if (row.front, row.back, row.tags) == (front, back, tags):
            self.saved_label.setText("Saved.")
            return True
        if not front or not back:
            self.saved_label.setText("A card needs a front and a back; not saved yet.")
            return False
        with self.store.transaction() as session:
            card = session.get(Card, row.id)
            if card is None:
                self.saved_label.setText("This card was deleted.")
                return True
            card.front, card.back, card.tags = front, back, tags
        row.front, row.back, row.tags = front, back, tags
        self.saved_label.setText("Saved.")
        self.changed.emit(row)
        return True

    def leave_ok(self) -> bool:
        """May the editor be left? Saves a valid edit (adds a finished new card); an edit that
        cannot be saved keeps the editor open with the reason the first time, and the next try
        asks Discard / Keep editing."""
        front, back, _tags = self.values()
        if self.row is None:
            if front and back:
                self._add(*self.values())
                self._load(None)  # added: a later edit(None) must not add it again
                return True
            if not front and not back:
                return True
            # A half-written new card: tell, as for an edit that empties a side.
            self.saved_label.setText("A card needs a front and a back; not added yet.")
        elif self.save_current():
            return True
        empty = self.back if front else self.front
        side = "back" if front else "front"
        if not self._warned:
            self._warned = True
            self.saved_label.setText(
                f"{self.saved_label.text()} Write the {side}, or press Esc again to discard the changes."
            )
            empty.setFocus()
            return False
        what = "this new card" if self.row is None else "your changes to this card"
        if not dialogs.discard_changes(self, f"The {side} is empty, so {what} cannot be saved. Discard them?"):
            empty.setFocus()
            return False
        self._load(self.row)  # back to the stored card (or an empty new one)
        self.saved_label.setText("Changes discarded.")
        return True

    def commit(self) -> None:
        """Ctrl+Enter: add and start the next card, or save this one and go back."""
        if self.row is not None:
            if self.save_current():
                self.close_editor()
            return
        front, back, tags = self.values()
        if not front or not back:
            self.saved_label.setText("Write a front and a back first.")
            (self.back if front else self.front).setFocus()
            return
        self._add(front, back, tags)
        self._load(None)
        self.tags.setText(tags)  # the next card most likely shares the tags
        self.saved_label.setText(f"Added ({self.added_count} this time). Next card:")

    def _add(self, front: str, back: str, tags: str) -> None:
        with self.store.transaction() as session:
            pos = session.scalar(
                select(func.coalesce(func.max(Card.position), -1)).where(Card.deck_id == self.deck_id)
            )
            now = utcnow()
            card = Card(deck_id=self.deck_id, front=front, back=back, tags=tags, position=pos + 1)
            card.created_at = card.updated_at = now
            session.add(card)
            session.flush()
            cid = card.id
        self.added_count += 1
        row = CardRow(cid, front, back, tags, False, "new")
        self.added.emit(row)

    def forget(self) -> None:
        """The card was deleted: an empty new card, so its text is not taken for a new one."""
        self._load(None)

    def _delete(self) -> None:
        if self.row is not None:
            self.delete_requested.emit(self.row.id)

    def close_editor(self) -> None:
        """Esc / Back to cards: leave only when nothing typed would be lost (see leave_ok)."""
        if self.leave_ok():
            self.closed.emit()
