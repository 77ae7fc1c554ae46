"""The reference for the window row: a bare PySide6 QMainWindow holding a QTableView of 50 rows,
shown, painted, then quit; it prints the same "shown"/"ready" stamps as `python -m app` does
with RECALL_QUIT_WHEN_SHOWN=1 (app/ui/main_window.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/ref_window.py
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402


def peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next((int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")), 0)


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Reference")
        model = QStandardItemModel(50, 3, self)
        for r in range(50):
            for c, text in enumerate((f"Deck {r + 1}", f"{2000 + r} cards", f"{r % 7} due")):
                model.setItem(r, c, QStandardItem(text))
        self.view = QTableView()
        self.view.setModel(model)
        self.setCentralWidget(self.view)
        self.resize(1100, 760)
        self._first = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first:
            self._first = False
            print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self._ready)

    def _ready(self) -> None:
        self.repaint()  # the table painted, as the app's "ready" is
        print(f"ready {time.time():.6f} vmhwm_kb={peak_rss_kb()}", flush=True)
        QTimer.singleShot(0, self.close)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = Window()
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
