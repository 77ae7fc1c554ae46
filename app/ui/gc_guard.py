"""Garbage collection on the UI thread only.

Python's cyclic collector runs on whichever thread happens to allocate when a threshold is
crossed. When that is a worker thread (an import, a model load), it can free Qt objects that live
on the UI thread, and Qt crashes (seen: a segfault in a worker's flush while "Garbage-collecting").
So automatic collection is switched off and a UI-thread timer runs the same generational checks.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        # The same rule the interpreter applies, from the UI thread.
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                break

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()


_installed: MainThreadCollector | None = None


def install(app: QObject) -> MainThreadCollector:
    """Once per application; call on the UI thread after the QApplication exists."""
    global _installed
    if _installed is None:
        _installed = MainThreadCollector(app)
    return _installed
