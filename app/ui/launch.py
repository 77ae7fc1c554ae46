"""`recall` with no subcommand: open the window.

Only Qt is imported before the window shows; the store (SQLAlchemy) and the library follow
right after, study modes and importers when first used, and torch/whisper never at start.
"""

from __future__ import annotations

import os
import sys
import traceback

from app.config import database_url, load_settings

QUIT_WHEN_SHOWN = "RECALL_QUIT_WHEN_SHOWN"  # benchmarks: print when shown and when ready, then quit


def create_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Recall")
    app.setApplicationDisplayName("Recall")
    app.setOrganizationName("Recall")
    app.setDesktopFileName("org.recallapp.Recall")
    from app.ui.gc_guard import install

    install(app)  # cyclic garbage is collected on the UI thread only (see gc_guard)
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
    """Open the window and run until it closes. `on_window(window)` is called once the library
    is in (packaging/screenshots.py drives the real app through it).

    The window is shown first; the database is opened and the library's figures read on a
    worker meanwhile (MainWindow.open_store), so SQLAlchemy's import, the migrations and the
    counts of a big collection neither delay the first paint nor freeze the window.
    """
    app = create_application()
    from app.ui.main_window import MainWindow
    from app.ui.theme import ThemeManager

    settings = load_settings()
    theme = ThemeManager(app, settings.get("theme", "system"), settings.get("font_scale", 1.0))
    window = MainWindow(None, theme, first_run_prompt=not os.environ.get(QUIT_WHEN_SHOWN))
    window.show()
    failed: list[int] = []

    def cannot_open(exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        failed.append(1)
        QMessageBox.critical(window, "Recall cannot open its database", str(exc) or type(exc).__name__)
        window.close()  # the last window: the loop ends (app.exit(1) here left pytest-qt's later waits dead)

    if on_window is not None:
        from PySide6.QtCore import QTimer

        window.library_ready.connect(lambda: QTimer.singleShot(0, lambda: on_window(window)))
    window.open_store(database_url(db), cannot_open)
    _install_excepthook(lambda: window)
    try:
        rc = int(app.exec())
    finally:
        from PySide6.QtCore import QThreadPool

        # A worker still reporting (the open that failed) delivers its last signals before we go.
        QThreadPool.globalInstance().waitForDone(5000)
        app.processEvents()
        if window.store is not None:
            window.store.close()
    return 1 if failed else rc
