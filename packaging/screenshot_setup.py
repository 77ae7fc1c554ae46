"""What packaging/screenshots.py (and the tests walking the same screens) stand on: the sample
collection, an event-loop wait, the windows, a Call screen without engines, and the picture."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
CAPITALS = [("France", "Paris"), ("Japan", "Tokyo"), ("Peru", "Lima"), ("Kenya", "Nairobi"),
            ("Canada", "Ottawa"), ("Australia", "Canberra"), ("Egypt", "Cairo"), ("Norway", "Oslo"),
            ("Chile", "Santiago"), ("Vietnam", "Hanoi"), ("Morocco", "Rabat"), ("Portugal", "Lisbon")]  # fmt: skip


def seed(db_url: str) -> dict[str, int]:
    """Sample decks and a deck of our own: {"deck": the one studied, "long": one with long answers}."""
    from sqlalchemy import func, select

    from app.formats.samples import load_samples
    from app.store.db import Store
    from app.store.models import Card
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    store = Store(db_url)
    try:
        with store.transaction() as s:
            load_samples(s)
            deck, created = get_or_create_deck(s, "World capitals")
            if created:
                add_cards(s, deck, [CardRecord(f"Capital of {c}?", a, ("geography",)) for c, a in CAPITALS])
            s.flush()
            longest = s.execute(
                select(Card.deck_id).where(Card.deck_id != deck.id).order_by(func.length(Card.back).desc()).limit(1)
            ).scalar()
            return {"deck": deck.id, "long": longest or deck.id}
    finally:
        store.close()


def settle(condition: Callable[[], bool] | None = None, timeout_s: float = 30.0) -> bool:
    """Run the event loop until background tasks are done and `condition` holds (or time runs out)."""
    from PySide6.QtWidgets import QApplication

    from app.ui import workers

    app = QApplication.instance()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if not workers.busy() and (condition is None or condition()):
            for _ in range(3):  # queued results and relayouts from the last callbacks
                app.processEvents()
            return True
        threading.Event().wait(0.01)
    return False


def _key(widget, key, text: str = "") -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(widget, key, Qt.KeyboardModifier.NoModifier)


class _StagedCall:
    """A Call screen whose engines never load: the pictures and checks drive it through its event
    slots, exactly as the call's thread would, without Whisper, torch or a sound card."""

    @staticmethod
    def make(store, deck_id: int, parent):
        from app.ui.call_view import CallView

        gate = threading.Event()

        class StagedCallView(CallView):
            def _load_grader(self) -> None:  # the real one imports torch on the call's thread
                pass

            def finish(self) -> None:
                gate.set()
                super().finish()

        def engines(_language):
            gate.wait(60)  # stays "loading speech engines" until the screen closes
            raise RuntimeError("closed")

        return StagedCallView(store, deck_id, parent, engines=engines, first_use_check=False)


def picture(shot):
    """A Shot: the window at 1280x800, with a dialog drawn centred over it, dimmed, as the user sees it."""
    from PySide6.QtGui import QColor, QPainter

    base = shot.window.grab()
    if shot.target is shot.window:
        return base
    dialog = shot.target.grab()
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 90))
    x = max(0, (base.width() - dialog.width()) // 2)
    y = max(0, (base.height() - dialog.height()) // 2)
    painter.drawPixmap(x, y, dialog)
    painter.end()
    return base


def make_windows(home: Path, theme_name: str = "light"):
    """(theme manager, window over the stocked library, window over an empty one, ids)."""
    from PySide6.QtWidgets import QApplication

    from app.store.db import Store
    from app.ui.launch import create_application
    from app.ui.main_window import MainWindow
    from app.ui.theme import ThemeManager

    app = create_application([sys.argv[0]])
    theme = getattr(app, "_recall_theme", None)
    if theme is None:
        theme = app._recall_theme = ThemeManager(app, theme_name)
    theme.set_theme(theme_name)
    ids = seed(f"sqlite:///{home / 'recall.sqlite3'}")
    windows = []
    for db in ("recall.sqlite3", "empty.sqlite3"):
        w = MainWindow(Store(f"sqlite:///{home / db}"), theme, first_run_prompt=False)
        w.resize(*SIZE)
        w.show()
        windows.append(w)
    QApplication.processEvents()
    return theme, windows[0], windows[1], ids


def close_windows(*windows) -> None:
    for w in windows:
        w.close()
        settle()
        w.store.close()
        w.deleteLater()
    settle()
