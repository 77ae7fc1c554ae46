"""The longest event-loop stall while the real window opens, scrolls, searches and starts a review.

    .venv/bin/python -m tests.bench.stall_probe --db COLLECTION.sqlite3 --home HOME [--json]

A `StallProbe` is a QTimer ticking every 5 ms; the longest gap between two ticks is the longest
time the UI could not answer the user. Each phase is measured on the real app objects
(MainWindow, LibraryView, DeckView, SpacedView), then the same probe runs for the same time over
an idle event loop: that is the reference (what this machine's timer and load give anyway).
Prints one JSON document: {phase: {"stall_ms", "idle_ms", "duration_ms", ...}}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TICK_MS = 5
TIMEOUT_S = 300.0  # one phase never waits longer than this for its condition


class StallProbe(QObject):
    """Longest gap between ticks of a 5 ms precise timer, in ms, since `start()`."""

    def __init__(self, interval_ms: int = TICK_MS) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.last = 0
        self.longest = 0
        self.ticks = 0

    def start(self) -> None:
        self.clock.start()
        self.last, self.longest, self.ticks = 0, 0, 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> float:
        self.timer.stop()
        now = self.clock.nsecsElapsed()
        self.longest = max(self.longest, now - self.last)  # a stall still going at the end counts
        return self.longest / 1e6


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop (timers included) until `done()`; never busy-waits the UI thread."""
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(2)
    check.timeout.connect(lambda: done() and loop.quit())
    deadline = QTimer(singleShot=True, interval=int(timeout_s * 1000), timeout=loop.quit)
    check.start()
    deadline.start()
    if not done():
        loop.exec()
    check.stop()
    deadline.stop()
    if not done():
        raise TimeoutError("a phase did not finish")


def spin(app: QApplication, ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def measure(app: QApplication, name: str, start: Callable[[], None], done: Callable[[], bool],
            out: dict) -> None:  # fmt: skip
    """Stall during one phase, then the idle reference over the same duration."""
    spin(app, 50)
    probe = StallProbe()
    probe.start()
    t0 = time.perf_counter()
    QTimer.singleShot(0, start)
    spin(app, 1)
    wait_until(app, done)
    spin(app, 20)  # the paint that follows
    duration = (time.perf_counter() - t0) * 1000
    stall = probe.stop()
    probe.start()
    spin(app, max(20, int(duration)))
    idle = probe.stop()
    out[name] = {"stall_ms": round(stall, 1), "idle_ms": round(idle, 1), "duration_ms": round(duration, 1)}
    print(f"stall_probe: {name}: {stall:.0f} ms over {duration:.0f} ms (idle {idle:.0f})", file=sys.stderr)


def run(db: Path, typed: str) -> dict:
    from app.ui.launch import create_application
    from app.ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(None, None, first_run_prompt=False)
    window.show()
    spin(app, 100)
    out: dict = {}
    holder: dict = {}

    def open_library() -> None:  # the app's own path (app/ui/launch.py): open and count off the UI thread
        window.open_store(f"sqlite:///{db}", on_error=lambda exc: holder.__setitem__("error", exc))

    def library_in() -> bool:
        if "error" in holder:
            raise holder["error"]
        lib = window.library
        return lib is not None and lib.data is not None and lib.model.rowCount() > 0

    measure(app, "open", open_library, library_in, out)
    lib = window.library
    out["open"]["decks"] = lib.model.rowCount()

    def scroll_decks() -> None:
        bar = lib.decks.verticalScrollBar()
        for v in range(0, bar.maximum() + 1, max(1, bar.pageStep() // 2)):
            bar.setValue(v)
            app.processEvents()
        holder["scrolled"] = True

    measure(app, "scroll library", scroll_decks, lambda: holder.get("scrolled", False), out)

    def type_search() -> None:
        holder["typed"] = 0
        lib.searched.connect(lambda: holder.__setitem__("last_query", lib.search.text()))

        def key() -> None:
            i = holder["typed"]
            lib.search.setText(typed[: i + 1])  # a key at a time, as a quick typist does (5 a second)
            holder["typed"] = i + 1
            if holder["typed"] < len(typed):
                QTimer.singleShot(200, key)

        key()

    def searched() -> bool:
        return holder.get("typed") == len(typed) and holder.get("last_query") == typed

    measure(app, "search as you type", type_search, searched, out)
    out["search as you type"]["hits"] = lib.hits.rowCount()

    def scroll_hits() -> None:
        bar = lib.cards.verticalScrollBar()
        for _ in range(30):
            bar.setValue(bar.maximum())
            app.processEvents()
        holder["hits_scrolled"] = True

    measure(app, "scroll hits", scroll_hits, lambda: holder.get("hits_scrolled", False), out)
    lib.search.setText("")
    lib.apply_search()
    big = max(lib.model.all_rows, key=lambda r: r.cards)

    def open_deck() -> None:
        window.open_deck(big.id)
        page = window.current_page
        page.loaded.connect(lambda: holder.__setitem__("deck", page))

    measure(app, "open a deck", open_deck, lambda: "deck" in holder, out)
    out["open a deck"]["cards"] = big.cards
    page = holder["deck"]

    def scroll_deck() -> None:
        table = next(iter(page.findChildren(_view_class())), None)
        if table is not None:
            bar = table.verticalScrollBar()
            for i in range(21):
                bar.setValue(bar.maximum() * i // 20)
                app.processEvents()
        holder["deck_scrolled"] = True

    measure(app, "scroll a deck", scroll_deck, lambda: holder.get("deck_scrolled", False), out)
    window.show_library()

    def review() -> None:
        holder["review"] = window.open_mode("spaced", None)

    def review_shown() -> bool:
        page = holder.get("review")
        return page is not None and bool(page.front.text())

    measure(app, "start a review", review, review_shown, out)
    window.close()
    window.store.close()
    return out


def _view_class():
    from PySide6.QtWidgets import QListView  # the deck page lists its cards in a QListView

    return QListView


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--home", type=Path, required=True)
    p.add_argument("--typed", default="photosyn")
    args = p.parse_args(argv)
    os.environ["RECALL_HOME"] = str(args.home)
    out = run(args.db, args.typed)
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
