"""Fixtures for the window tests: a main window over the real temp store, and a wait for workers."""

from __future__ import annotations

import pytest

from app.ui import workers


@pytest.fixture(autouse=True)
def ui_thread_gc(qapp):
    """As in the app: no cyclic collection on worker threads while a window test runs."""
    import gc

    from app.ui.gc_guard import MainThreadCollector

    collector = MainThreadCollector(qapp)
    yield
    collector.stop()
    gc.collect()


@pytest.fixture
def wait_workers(qtbot):
    """Wait until every background task started by the UI has finished and reported back."""

    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(lambda: not workers.busy(), timeout=timeout)

    return wait
