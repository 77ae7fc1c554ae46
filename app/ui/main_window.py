"""The main window: the library, a deck, or a study mode, one page at a time in a stack."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from app.config import load_settings, save_settings
from app.ui import dialogs, icons
from app.ui.modes import MODES
from app.ui.theme import THEMES, ThemeManager

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.store.db import Store
    from app.ui.library_model import LibraryData
    from app.ui.library_view import LibraryView

QUIT_WHEN_SHOWN = "RECALL_QUIT_WHEN_SHOWN"  # benchmarks: print when shown and when ready, then quit


def _open_store(url: str) -> tuple[Store, LibraryData]:
    """On a worker: the store, opened and migrated, and the library's first figures."""
    from app.store.db import Store
    from app.ui import library_view  # noqa: F401  (imported on the worker too: no widget is made here)
    from app.ui.library_model import load_library

    store = Store(url)
    try:
        return store, load_library(store)
    except BaseException:
        store.close()
        raise


def _peak_rss_kb() -> int:
    """This process's peak resident memory (Linux VmHWM), for the benchmark's memory row; 0 elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next((int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")), 0)
    except OSError:
        return 0


class MainWindow(QMainWindow):
    """Shown before the database is open (`store=None`), so it appears at once; `attach_store`
    then fills in the library. Nothing heavier than Qt is imported until then."""

    library_ready = Signal()

    def __init__(
        self, store: Store | None, theme: ThemeManager | None = None, *, first_run_prompt: bool = True
    ) -> None:
        super().__init__()
        self.store: Store | None = None
        self.library: LibraryView | None = None
        self.theme = theme
        self.setWindowTitle("Recall")
        self.setAcceptDrops(True)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._opening = QLabel("Opening your library…")
        self._opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._opening.setObjectName("muted")
        self.stack.addWidget(self._opening)
        self._pages: list[QWidget] = []
        self._build_menus()
        self._restore_geometry()
        self._first_show = True
        self._shown = False
        self._painted_at: float | None = None  # benchmarks: the deck rows' first paint
        self._first_run_prompt = first_run_prompt
        if store is not None:
            self.attach_store(store)

    def open_store(self, url: str, on_error: Callable[[BaseException], None]) -> None:
        """Open the database and read the library's figures on a worker, then attach: SQLAlchemy's
        import and the counts of a big collection never hold up the window (or freeze it).
        On a current SQLite file the deck rows are read first without SQLAlchemy and painted
        (library_preview); the store opens after that, so its import does not slow the paint."""
        from app.ui.library_preview import read_preview
        from app.ui.workers import run_in_background

        def full(_got: object = None) -> None:
            run_in_background(_open_store, url, owner=self, on_error=on_error,
                              on_done=lambda got: self.attach_store(got[0], got[1]))  # fmt: skip

        def previewed(rows: list | None) -> None:
            if rows and self.library is None:  # an empty library waits: its page is the import prompt
                self._show_preview(rows)
            full()

        run_in_background(read_preview, url, owner=self, on_done=previewed, on_error=full)

    def _show_preview(self, rows: list) -> None:
        from app.ui.library_preview import LibraryPreview

        preview = LibraryPreview(rows)
        self.stack.addWidget(preview)
        self.stack.setCurrentWidget(preview)
        self.stack.removeWidget(self._opening)
        self._opening.deleteLater()
        self._opening = preview  # attach_store puts the library in its place
        if self._shown:
            self._stamp_painted()

    def _stamp_painted(self) -> None:
        """Benchmarks: when the deck rows were first painted (the preview's, or the library's)."""
        if os.environ.get(QUIT_WHEN_SHOWN) and self._painted_at is None:
            self.repaint()
            self._painted_at = time.time()

    def attach_store(self, store: Store, data: LibraryData | None = None) -> None:
        from app.ui.library_view import LibraryView

        self.store = store
        self.library = LibraryView(store, self, data=data)
        self.library.open_deck.connect(self.open_deck)
        self.library.open_mode.connect(self.open_mode)
        self.stack.addWidget(self.library)
        self.stack.setCurrentWidget(self.library)
        self.stack.removeWidget(self._opening)
        self._opening.deleteLater()
        self._pages = [self.library]
        icons.decorate(self.library)
        self.library.setFocus()
        self.library_ready.emit()
        if self._shown:
            self._after_ready()

    def _after_ready(self) -> None:
        if os.environ.get(QUIT_WHEN_SHOWN):
            self.repaint()  # "ready" means the library is painted, not only filled in
            # the time the deck rows were first painted; the memory once the full library is in
            painted = self._painted_at or time.time()
            print(f"ready {painted:.6f} vmhwm_kb={_peak_rss_kb()}", flush=True)
            QTimer.singleShot(0, self.close)
        elif self._first_run_prompt and self.library is not None:
            QTimer.singleShot(0, self.library.offer_samples)

    def _lib(self, name: str):
        """A menu action on the library, once it is there."""

        def run() -> None:
            if self.library is not None:
                self.show_library()
                getattr(self.library, name)()

        return run

    # menus ----------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName("Menu bar")
        file = bar.addMenu("&File")
        self._action(file, "&New deck…", "Ctrl+Shift+N", self._lib("create_deck"))
        self._action(file, "&Import file…", QKeySequence.StandardKey.Open, self._lib("import_files"))
        self._action(file, "&Paste text…", "Ctrl+Shift+V", self._lib("paste_text"))
        self._action(file, "&Export deck…", "Ctrl+E", self._lib("export_deck"))
        file.addSeparator()
        self._action(file, "&Settings…", "Ctrl+,", self.open_settings)
        file.addSeparator()
        self._action(file, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view = bar.addMenu("&View")
        self._action(view, "&Bigger text", "Ctrl+=", lambda: self.zoom(1), extra=("Ctrl++",))
        self._action(view, "&Smaller text", "Ctrl+-", lambda: self.zoom(-1))
        self._action(view, "&Normal text", "Ctrl+0", lambda: self.zoom(0))
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        self._theme_actions: dict[str, QAction] = {}
        current = self.theme.theme if self.theme else "system"
        for name in THEMES:
            act = QAction(
                name.capitalize() if name != "system" else "Follow the system", self, checkable=True
            )
            act.setChecked(name == current)
            act.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            group.addAction(act)
            themes.addAction(act)
            self._theme_actions[name] = act
        view.addSeparator()
        sheet = self._action(view, "&Keyboard shortcuts", "F1", self.show_shortcuts, extra=("?",))
        sheet.setObjectName("showShortcuts")
        bar.addMenu("&Help").addAction(sheet)
        for act, name in ((file.actions()[0], "add"), (file.actions()[1], "import"),
                          (file.actions()[3], "export"), (file.actions()[5], "settings"), (sheet, "keyboard")):
            icons.set_icon(act, name)  # fmt: skip
        if self.theme is not None:
            self.theme.changed.connect(self._theme_changed)

    def _action(self, menu, text, shortcut, slot, extra: tuple[str, ...] = ()) -> QAction:
        act = QAction(text, self)
        keys = [QKeySequence(shortcut), *(QKeySequence(k) for k in extra)]
        act.setShortcuts(keys)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def zoom(self, step: int) -> None:
        if self.theme is None:
            return
        scale = self.theme.zoom(step)
        self._save_setting("font_scale", round(scale, 3))

    def show_shortcuts(self):
        """The shortcut sheet (F1 or ?), listing every screen's keys."""
        from app.ui.shortcut_sheet import open_sheet

        return open_sheet(self)

    def _theme_changed(self, name: str) -> None:
        act = self._theme_actions.get(name)
        if act is not None and not act.isChecked():
            act.setChecked(True)

    def set_theme(self, name: str) -> None:
        if self.theme is not None:
            self.theme.set_theme(name)
        self._save_setting("theme", name)

    def open_settings(self):
        from app.ui.settings_dialog import open_settings

        dlg = open_settings(self.store, self.theme, self)
        dlg.accepted.connect(lambda: self._theme_actions[dlg.saved.theme].setChecked(True))
        return dlg

    def _save_setting(self, key: str, value) -> None:
        settings = load_settings()
        settings[key] = value
        with contextlib.suppress(OSError):  # a read-only settings folder must not stop the user studying
            save_settings(settings)

    # navigation ----------------------------------------------------------------------
    @property
    def current_page(self) -> QWidget:
        return self._pages[-1] if self._pages else self._opening

    def push(self, page: QWidget) -> None:
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self._pages.append(page)
        icons.decorate(page)  # the set's icons on Back, Mute, Repeat, Skip, End…
        closed = getattr(page, "closed", None)
        if closed is not None:
            closed.connect(lambda p=page: self.pop(p))
        page.setFocus()

    def pop(self, page: QWidget) -> None:
        if page not in self._pages or page is self.library:
            return
        idx = self._pages.index(page)
        for p in self._pages[idx:]:
            # A page removed without its own leave() (a file dropped mid-study) still saves first.
            finish = getattr(p, "finish", None)
            if finish is not None and not getattr(p, "_closing", False):
                finish()
            self.stack.removeWidget(p)
            p.deleteLater()
        del self._pages[idx:]
        top = self._pages[-1]
        self.stack.setCurrentWidget(top)
        refresh = getattr(top, "refresh", None)
        if refresh is not None:
            refresh()
        top.setFocus()

    def open_deck(self, deck_id: int) -> None:
        from app.ui.deck_view import DeckView

        page = DeckView(self.store, deck_id, self)
        page.open_mode.connect(self.open_mode)
        self.push(page)

    def open_mode(self, mode: str, deck_id: int | None) -> QWidget | None:
        module_name, cls_name, label = MODES[mode]
        try:
            cls = getattr(importlib.import_module(module_name), cls_name)
            page = cls(self.store, deck_id, self)
        except Exception as exc:  # a broken or missing mode must not take the window down
            dialogs.error(self, label, f"{label} could not start: {exc}")
            return None
        self.push(page)
        return page

    # window events -------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            self._shown = True
            if os.environ.get(QUIT_WHEN_SHOWN):
                heavy = [m for m in ("torch", "whisper") if m in sys.modules]
                print(f"shown {time.time():.6f} heavy={','.join(heavy) or 'none'}", flush=True)
            if not isinstance(self._opening, QLabel):  # the preview of the deck rows is up
                self._stamp_painted()
            if self.library is not None:
                self._after_ready()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.library is not None:
            event.acceptProposedAction()
            self.show_library()
            self.library.import_paths(paths)

    def show_library(self) -> None:
        if len(self._pages) > 1:
            self.pop(self._pages[1])

    def _restore_geometry(self) -> None:
        geo = load_settings().get("window_geometry")
        if isinstance(geo, str) and geo:
            try:
                if self.restoreGeometry(QByteArray.fromBase64(geo.encode("ascii"))):
                    return
            except (ValueError, UnicodeError):
                pass
        self.resize(1100, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in reversed(self._pages):
            finish = getattr(page, "finish", None)
            if finish is not None:
                try:
                    finish()
                except Exception as exc:  # keep closing; say what was not saved
                    print(f"recall: could not save on close: {exc}", file=sys.stderr)
        self._save_setting("window_geometry", bytes(self.saveGeometry().toBase64()).decode("ascii"))
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.current_page is not self.library:
            leave = getattr(self.current_page, "leave", None)
            if leave is not None:
                leave()
                return
        super().keyPressEvent(event)
