"""Every question the UI asks the user goes through here, so tests can answer it.

Tests replace these functions (monkeypatch) instead of clicking modal boxes, which block.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

IMPORT_FILTER = (
    "Decks (*.txt *.csv *.tsv *.json *.apkg *.md);;Text (*.txt *.md);;Spreadsheet (*.csv *.tsv);;"
    "Anki package (*.apkg);;Recall JSON (*.json);;All files (*)"
)
EXPORT_FILTER = "CSV (*.csv);;Tab-separated (*.tsv);;Recall JSON (*.json);;Anki package (*.apkg)"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    return answer == QMessageBox.StandardButton.Yes


def discard_changes(parent: QWidget | None, text: str) -> bool:
    """Discard / Keep editing (the default): True to throw the unsaved edit away."""
    box = QMessageBox(QMessageBox.Icon.Question, "Discard changes?", text, QMessageBox.StandardButton.NoButton, parent)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def open_files(parent: QWidget | None, title: str = "Import decks") -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", IMPORT_FILTER)
    return paths


def save_file(parent: QWidget | None, title: str, suggested: str) -> str | None:
    path, chosen = QFileDialog.getSaveFileName(parent, title, suggested, EXPORT_FILTER)
    if path and "." not in path.rsplit("/", 1)[-1]:
        # No extension typed: take the one of the file type picked in the dialog.
        ext = chosen.split("*", 1)[-1].rstrip(")").strip() if "*" in chosen else ".csv"
        path += ext
    return path or None
