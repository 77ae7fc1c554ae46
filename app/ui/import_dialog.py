"""Import dialogs: paste text (parsed off the UI thread, with progress and Cancel), and the
preview where the user checks and corrects the pairing before anything is saved.

The preview lists the cards, every line of the paste with its role (question, answer, joined,
dropped and why) and the parser's confidence. Its corrections act on the parse's `Layout`
(app.formats.layout): shift the pairing by one, swap question and answer, mark a line as
furniture or restore it, join a line onto the one above. Nothing is written here: the caller
imports `dialog.parsed` once the dialog is accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui import workers
from app.ui.common import dialog_buttons

PREVIEW_ROWS = 500  # enough to judge an import; the rest is counted, not listed
LINE_ROWS = 2000
_ROLE_NAMES = {"q": "Question", "a": "Answer"}


def _parse_paste(text: str, fmt: str, report=None):
    """Runs on a worker: the paste's cards, reporting progress in thousandths."""
    from app.formats import Cancelled, parse_text

    def progress(fraction: float) -> None:
        if report is not None:
            report(int(fraction * 1000), 1000)  # raises workers.Cancelled once cancelled

    try:
        return parse_text(text, format=fmt, progress=progress)
    except Cancelled:
        raise workers.Cancelled() from None


def _relabel(button: QPushButton, text: str) -> None:
    """setText() replaces a button's shortcut with the text's mnemonic: keep the real one."""
    keys = button.shortcut()
    button.setText(text)
    button.setShortcut(keys)


class PasteDialog(QDialog):
    """Paste the text of a study page or a list; the format is detected unless chosen.

    Preview parses the text in the background (a progress bar and Cancel for long pastes) and
    accepts the dialog with the result in `parsed`; a parse error is shown here.
    """

    def __init__(self, formats: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parsed = None
        self.task = None
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
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = QLabel()
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = dialog_buttons(self, layout, wire=False)  # Preview parses first; Cancel may stop a parse
        self.preview_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.preview_button.setText("Preview")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.preview_button.clicked.connect(self.start_parse)
        self.cancel_button.clicked.connect(self._cancel_clicked)

    @property
    def chosen_format(self) -> str:
        return str(self.format.currentData() or "auto")

    def start_parse(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.message.setText("Paste some text first.")
            return
        self.preview_button.setEnabled(False)
        self.text.setReadOnly(True)
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText("Reading the cards…")
        self.task = workers.run_in_background(
            _parse_paste,
            text,
            self.chosen_format,
            with_progress=True,
            owner=self,
            on_done=self._parsed,
            on_error=self._failed,
            on_progress=lambda done, _total: self.progress.setValue(done),
            on_cancelled=self._cancelled,
        )

    def _cancel_clicked(self) -> None:
        if self.task is not None:  # cancel the parse, keep the dialog and the text
            self.task.cancel()
            self.message.setText("Cancelling…")
        else:
            self.reject()

    def _finish(self, message: str) -> None:
        self.task = None
        self.progress.hide()
        self.preview_button.setEnabled(True)
        self.text.setReadOnly(False)
        self.message.setText(message)

    def _parsed(self, parsed) -> None:
        self._finish("")
        self.parsed = parsed
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._finish(str(exc) or type(exc).__name__)

    def _cancelled(self) -> None:
        self._finish("Cancelled; nothing was imported.")


class ImportPreviewDialog(QDialog):
    """The detected cards, how the paste's lines were read, and the corrections; Import saves."""

    def __init__(self, parsed, default_name: str, existing: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parsed = parsed
        self._existing = existing
        self.setWindowTitle("Import preview")
        self.resize(900, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("pageTitle")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Front", "Back", "Tags"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 300)
        self.table.setColumnWidth(1, 300)
        self.lines = QTableWidget(0, 4)
        self.lines.setHorizontalHeaderLabels(["Line", "Read as", "Text", "Why dropped"])
        self.lines.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.lines.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setColumnWidth(2, 380)
        self.lines.itemSelectionChanged.connect(self._selection_changed)
        for table in (self.table, self.lines):  # Tab leaves a table for the controls below
            table.setTabKeyNavigation(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.lines)
        layout.addWidget(split, 1)
        self.more = QLabel()
        layout.addWidget(self.more)
        layout.addLayout(self._controls())
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
        self.buttons = dialog_buttons(self, layout)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._refresh()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        layout = self.parsed.layout

        def button(text: str, keys: str, slot, tip: str) -> QPushButton:
            b = QPushButton(text)
            b.setShortcut(QKeySequence(keys))
            b.setToolTip(f"{tip} ({QKeySequence(keys).toString()})")
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.clicked.connect(slot)
            row.addWidget(b)
            return b

        self.shift_button = button(
            "Shift pairing", "Ctrl+Shift+H", self.shift, "Pair every line with the next one instead"
        )
        self.swap_button = button("Swap Q/A", "Ctrl+Shift+W", self.swap, "Swap question and answer")
        self.furniture_button = button(
            "Mark as furniture", "Ctrl+Shift+F", self.toggle_furniture, "Drop the selected line, or bring it back"
        )
        self.join_button = button(
            "Join with line above", "Ctrl+Shift+J", self.toggle_join, "Join the selected line onto the one above"
        )
        row.addStretch(1)
        has_layout = layout is not None
        for b in (self.shift_button, self.furniture_button, self.join_button):
            b.setEnabled(has_layout)
        self.swap_button.setEnabled(has_layout)
        return row

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The buttons' shortcuts, also when the window is not active (shortcuts need that) and
        Delete on a line for "mark as furniture / restore"."""
        combo = QKeySequence(event.keyCombination())
        for b in (self.shift_button, self.swap_button, self.furniture_button, self.join_button):
            if b.isEnabled() and b.shortcut().matches(combo) == QKeySequence.SequenceMatch.ExactMatch:
                b.click()
                return
        if event.key() == Qt.Key.Key_Delete and self.furniture_button.isEnabled():
            self.furniture_button.click()
            return
        super().keyPressEvent(event)

    # --- corrections ----------------------------------------------------------------------------
    def selected_unit(self) -> int | None:
        rows = self.lines.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def shift(self) -> None:
        self._apply(lambda layout: layout.shift())

    def swap(self) -> None:
        self._apply(lambda layout: layout.swap())

    def toggle_furniture(self) -> None:
        index = self.selected_unit()
        if index is not None:
            self._apply(lambda layout: layout.toggle_furniture(index), keep_row=index)

    def toggle_join(self) -> None:
        index = self.selected_unit()
        if index is not None:
            self._apply(lambda layout: layout.toggle_join(index), keep_row=index)

    def _apply(self, change, keep_row: int | None = None) -> None:
        if self.parsed.layout is None:
            return
        change(self.parsed.layout)
        self.parsed.refresh()
        self._refresh()
        if keep_row is not None:
            self.lines.selectRow(keep_row)

    # --- showing ----------------------------------------------------------------------------
    def _refresh(self) -> None:
        parsed = self.parsed
        cards = parsed.cards
        fmt = f" as {parsed.format}" if parsed.format else ""
        dropped = parsed.dropped
        text = f"{len(cards)} cards detected{fmt} · confidence {parsed.confidence:.0%}"
        if dropped:
            text += f" · {len(dropped)} lines dropped"
        if parsed.uncertain:
            text += " · the pairing is uncertain: check it below"
        if parsed.unsupported:
            text += " · not imported: " + ", ".join(f"{n} × {k}" for k, n in parsed.unsupported.items())
        if parsed.incomplete:  # cards with an empty side are left out: "2 cards skipped: no answer"
            from app.formats.base import incomplete_note

            text += " · " + incomplete_note(parsed.incomplete)
        self.summary.setText(text)
        self.table.setRowCount(min(len(cards), PREVIEW_ROWS))
        for row, rec in enumerate(cards[:PREVIEW_ROWS]):
            for col, value in enumerate((rec.front, rec.back, " ".join(rec.tags))):
                item = QTableWidgetItem(value.replace("\n", " ⏎ "))
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        self.more.setText(f"… and {len(cards) - PREVIEW_ROWS} more." if len(cards) > PREVIEW_ROWS else "")
        self.more.setVisible(len(cards) > PREVIEW_ROWS)
        units = parsed.layout.units[:LINE_ROWS] if parsed.layout is not None else []
        self.lines.setRowCount(len(units))
        for row, u in enumerate(units):
            side = {"q": "a", "a": "q"}.get(u.role, "") if parsed.layout.swapped else u.role
            role = _ROLE_NAMES.get(side, "Dropped")
            if u.role and u.joined:
                role += " (joined)"
            values = (str(u.line), role, u.text.replace("\n", " ⏎ "), u.reason or u.orphan or "")
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 2:
                    item.setToolTip(u.text)
                self.lines.setItem(row, col, item)
        self.import_button.setText(f"Import {len(cards)} cards")
        self._name_changed(self.name.text() if hasattr(self, "name") else "")
        self._selection_changed()

    def _selection_changed(self) -> None:
        index = self.selected_unit()
        layout = self.parsed.layout
        unit = layout.units[index] if layout is not None and index is not None else None
        self.furniture_button.setEnabled(unit is not None)
        self.join_button.setEnabled(unit is not None and unit.reason is None)
        if unit is not None:
            _relabel(self.furniture_button, "Restore line" if unit.reason is not None else "Mark as furniture")
            _relabel(self.join_button, "Split from line above" if unit.joined else "Join with line above")

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
