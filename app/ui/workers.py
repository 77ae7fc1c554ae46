"""Running a callable off the UI thread, with done / error / progress / cancelled signals.

    task = run_in_background(import_parsed_file, path, on_done=self._imported, on_error=self._failed)

The callable runs on Qt's global thread pool; its result (or exception) comes back to the
callbacks on the UI thread. A callable that accepts a `report` keyword (pass
`with_progress=True`) gets a function `report(done, total)` that emits progress and raises
`Cancelled` once `task.cancel()` was called, so long work stops at the next step.
Callables must open their own database session: sessions are never shared across threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid


class Cancelled(Exception):
    """Raised inside a task's `report` after the user cancelled it."""


class WorkerSignals(QObject):
    done = Signal(object)
    error = Signal(object)
    progress = Signal(int, int)
    cancelled = Signal()
    finished = Signal()


class _Relay(QObject):
    """Lives on the UI thread, so the worker's signals reach the callbacks there (queued)."""

    def __init__(self, task: Task, on_done, on_error, on_progress, on_cancelled, owner=None) -> None:
        super().__init__()
        self._task = task
        self._owner = owner
        self._on_done, self._on_error = on_done, on_error
        self._on_progress, self._on_cancelled = on_progress, on_cancelled
        s = task.signals
        s.done.connect(self._done)
        s.error.connect(self._error)
        s.progress.connect(self._progress)
        s.cancelled.connect(self._cancelled)
        s.finished.connect(self._finished)

    def _live(self) -> bool:
        """False once the widget that asked for the work was deleted (the user left the page)."""
        return self._owner is None or isValid(self._owner)

    @Slot(object)
    def _done(self, result: object) -> None:
        if self._on_done is not None and self._live():
            self._on_done(result)

    @Slot(object)
    def _error(self, exc: object) -> None:
        if self._on_error is not None and self._live():
            self._on_error(exc)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        if self._on_progress is not None and self._live():
            self._on_progress(done, total)

    @Slot()
    def _cancelled(self) -> None:
        if self._on_cancelled is not None and self._live():
            self._on_cancelled()

    @Slot()
    def _finished(self) -> None:
        _ACTIVE.discard(self._task)
        self._task.finished_flag.set()


_ACTIVE: set[Task] = set()  # keeps tasks (and their signal objects) alive until they finish


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict, with_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.finished_flag = threading.Event()
        self.relay: _Relay | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total))

    def run(self) -> None:
        try:
            kwargs = dict(self.kwargs)
            if self.with_progress:
                kwargs["report"] = self.report
            result = self.fn(*self.args, **kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # handed to the UI, which shows one clear message
            self.signals.error.emit(exc)
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    with_progress: bool = False,
    pool: QThreadPool | None = None,
    owner: QObject | None = None,
    **kwargs: Any,
) -> Task:
    """Start `fn(*args, **kwargs)` on the pool. With `owner`, the callbacks are skipped once that
    widget is deleted, so a page closed mid-load never receives (and crashes on) the result."""
    task = Task(fn, args, kwargs, with_progress)
    task.relay = _Relay(task, on_done, on_error, on_progress, on_cancelled, owner)
    _ACTIVE.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def busy() -> bool:
    """True while any task started here is still running (tests wait on this)."""
    return bool(_ACTIVE)
