"""`recall` with no subcommand: open the window.

Only Qt, the store and the library page are imported before the window shows; study modes,
importers and anything heavy (torch, whisper) load when first used.
"""

from __future__ import annotations

import os
import sys
import traceback

from app.config import database_url, load_settings
from app.store.db import Store, StoreError

QUIT_WHEN_SHOWN = "RECALL_QUIT_WHEN_SHOWN"  # benchmarks: print the time the window showed, then quit


def create_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Recall")
    app.setApplicationDisplayName("Recall")
    app.setOrganizationName("Recall")
    app.setDesktopFileName("org.recallapp.Recall")
    return app


def _install_excepthook(parent_getter) -> None:
    """An unexpected error becomes a message box, never a silent crash; the answer log is safe
    because every answer was already committed in its own transaction."""
    from PySide6.QtWidgets import QMessageBox

    def hook(exc_type, exc, tb) -> None:
        traceback.print_exception(exc_type, exc, tb)
        if issubclass(exc_type, KeyboardInterrupt):
            return
        QMessageBox.critical(
            parent_getter(), "Recall", f"Something went wrong: {exc}\n\nYour answers are saved."
        )

    sys.excepthook = hook


def run_app(db: str | None = None, *, on_window=None) -> int:
    """Open the window and run until it closes. `on_window(window)` is called once it is shown
    (packaging/screenshots.py drives the real app through it)."""
    app = create_application()
    from app.ui.theme import ThemeManager

    settings = load_settings()
    theme = ThemeManager(app, settings.get("theme", "system"), settings.get("font_scale", 1.0))
    try:
        store = Store(database_url(db))
    except StoreError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Recall cannot open its database", str(exc))
        return 1
    from app.ui.main_window import MainWindow

    window = MainWindow(store, theme, first_run_prompt=not os.environ.get(QUIT_WHEN_SHOWN))
    _install_excepthook(lambda: window)
    window.show()
    if on_window is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: on_window(window))
    try:
        return int(app.exec())
    finally:
        store.close()
