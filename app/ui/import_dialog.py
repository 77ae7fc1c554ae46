"""Import dialogs: paste text, and the preview of detected cards shown before anything is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

PREVIEW_ROWS = 500  # enough to judge an import; the rest is counted, not listed


class PasteDialog(QDialog):
    """Paste the text of a study page or a list; the format is detected unless chosen."""

    def __init__(self, formats: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste cards")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("Paste a deck: a Quizlet, Knowt or Brainscape page, a dash list, or tab-separated lines.")
        )
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("term<TAB>definition\nterm - definition\n…")
        layout.addWidget(self.text, 1)
        form = QFormLayout()
        self.format = QComboBox()
        for key, label in formats.items():
            if key != "apkg":
                self.format.addItem(label, key)
        form.addRow("Format", self.format)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Preview")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def chosen_format(self) -> str:
        return str(self.format.currentData() or "auto")


class ImportPreviewDialog(QDialog):
    """The detected cards, the deck they go into, and whether to skip duplicates."""

    def __init__(self, parsed, default_name: str, existing: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parsed = parsed
        self._existing = existing
        self.setWindowTitle("Import preview")
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        fmt = f" as {parsed.format}" if parsed.format else ""
        self.summary = QLabel(f"{len(parsed.cards)} cards detected{fmt}.")
        self.summary.setObjectName("pageTitle")
        layout.addWidget(self.summary)
        self.table = QTableWidget(min(len(parsed.cards), PREVIEW_ROWS), 3)
        self.table.setHorizontalHeaderLabels(["Front", "Back", "Tags"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, rec in enumerate(parsed.cards[:PREVIEW_ROWS]):
            for col, text in enumerate((rec.front, rec.back, " ".join(rec.tags))):
                item = QTableWidgetItem(text.replace("\n", " ⏎ "))
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(1, 300)
        layout.addWidget(self.table, 1)
        if len(parsed.cards) > PREVIEW_ROWS:
            layout.addWidget(QLabel(f"… and {len(parsed.cards) - PREVIEW_ROWS} more."))
        form = QFormLayout()
        self.name = QLineEdit(default_name)
        self.name.textChanged.connect(self._name_changed)
        form.addRow("Deck", self.name)
        self.target = QLabel()
        self.target.setObjectName("muted")
        form.addRow("", self.target)
        self.skip = QCheckBox("Leave out cards the deck already has")
        self.skip.setChecked(True)
        form.addRow("", self.skip)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(f"Import {len(parsed.cards)} cards")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._name_changed(default_name)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _name_changed(self, text: str) -> None:
        name = text.strip()
        self.import_button.setEnabled(bool(name) and bool(self.parsed.cards))
        if not name:
            self.target.setText("Give the deck a name.")
        elif name in self._existing:
            self.target.setText(f"The cards are added to your deck “{name}”.")
        else:
            self.target.setText("A new deck is created.")

    @property
    def deck_name(self) -> str:
        return self.name.text().strip()

    @property
    def skip_duplicates(self) -> bool:
        return self.skip.isChecked()
