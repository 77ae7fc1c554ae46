"""Starting the app (a bad database gives one clear message), and the background-task helper."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox

from app.ui import workers
from app.ui.launch import run_app


def test_a_file_that_is_not_a_database_gives_a_message_not_a_traceback(tmp_path, monkeypatch, qapp):
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"this is not sqlite at all")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    assert run_app(str(bad)) == 1
    assert shown and "not a Recall database" in shown[0][1]
    assert bad.read_bytes() == b"this is not sqlite at all"


def test_result_error_and_progress_come_back_on_the_ui_thread(qtbot, wait_workers):
    ui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work(n: int, report) -> int:
        for i in range(n):
            report(i + 1, n)
        return n * 2

    workers.run_in_background(
        work,
        3,
        with_progress=True,
        on_done=lambda r: seen.update(done=(r, threading.get_ident())),
        on_progress=lambda d, t: seen.setdefault("progress", []).append((d, t)),
    )

    def boom() -> None:
        raise ValueError("the file is damaged")

    workers.run_in_background(boom, on_error=lambda e: seen.update(error=(str(e), threading.get_ident())))
    wait_workers()
    assert seen["done"] == (6, ui_thread)
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]
    assert seen["error"] == ("the file is damaged", ui_thread)


def test_cancel_stops_at_the_next_report(qtbot, wait_workers):
    started = threading.Event()
    release = threading.Event()
    seen = []

    def slow(report) -> str:
        started.set()
        release.wait(5)
        for i in range(100):
            report(i, 100)
        return "finished"

    task = workers.run_in_background(
        slow, with_progress=True, on_done=seen.append, on_cancelled=lambda: seen.append("cancelled")
    )
    assert started.wait(5)
    task.cancel()
    release.set()
    wait_workers()
    assert seen == ["cancelled"] and task.cancelled


def test_recall_with_no_subcommand_opens_the_window(tmp_path):
    """The real entry point in a fresh process: `python -m app` shows the window (then quits)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, RECALL_HOME=str(tmp_path), RECALL_QUIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen")
    env.pop("RECALL_DB", None)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "app"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("shown ")
    assert proc.stdout.split()[2] == "heavy=none"  # torch and whisper stay unloaded at start
    assert (tmp_path / "data" / "recall.sqlite3").exists()
