"""The footer both settings dialogs share: an inline error line above OK / Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QLabel


class FormDialog(QDialog):
    """A dialog whose bad input is shown in place, keeping it open with nothing saved."""

    error_label: QLabel
    buttons: QDialogButtonBox

    def add_footer(self, layout: QBoxLayout) -> None:
        self.error_label = QLabel("")
        self.error_label.setObjectName("feedbackWrong")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(True)
