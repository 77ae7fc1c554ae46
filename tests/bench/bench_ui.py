"""Desktop app figures (printed, never asserted): window shown after process start, opening a
10,000-card deck in the deck view, generating a 50-question test from a 10,000-card deck.

    .venv/bin/python tests/bench/bench_ui.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def window_shown(runs: int, home: Path) -> tuple[list[float], list[float]]:
    """Seconds from starting `python -m app` to the main window's first show event, and to the
    library being filled in (database opened, decks listed)."""
    env = dict(os.environ, RECALL_HOME=str(home), RECALL_QUIT_WHEN_SHOWN="1", QT_QPA_PLATFORM="offscreen")
    env.pop("RECALL_DB", None)
    # One start to create and migrate the database, so the runs measure a normal launch.
    subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    shown, ready, cpu = [], [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.time()
        proc = subprocess.run(
            [sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stamps = {
            ln.split()[0]: float(ln.split()[1])
            for ln in proc.stdout.splitlines()
            if ln[:6] in ("shown ", "ready ")
        }
        if "shown" not in stamps or "ready" not in stamps:
            raise SystemExit(f"the app did not report its window: {proc.stderr[-2000:]}")
        shown.append(stamps["shown"] - t0)
        ready.append(stamps["ready"] - t0)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    # CPU time of the whole run (start, show, open, quit): a figure other load barely moves.
    show("  CPU time of a whole start-show-quit run", cpu)
    return shown, ready


def make_big_deck(store, n: int = 10_000) -> int:
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    records = [
        CardRecord(
            f"Term number {i} in the long deck", f"Definition {i}: a fairly ordinary answer text", ("bench",)
        )
        for i in range(n)
    ]
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Ten thousand")
        add_cards(s, deck, records)
        return deck.id


def open_deck_view(store, deck_id: int, runs: int) -> list[float]:
    """Seconds from creating the deck page to its table holding every card (load runs off the UI thread)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.deck_view import DeckView

    app = QApplication.instance() or QApplication([])
    out = []
    for _ in range(runs):
        done = []
        t0 = time.perf_counter()
        page = DeckView(store, deck_id)
        page.loaded.connect(lambda d=done: d.append(time.perf_counter()))
        page.show()
        while not done:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()  # the first paint of the table
        out.append(time.perf_counter() - t0)
        assert page.model.rowCount() == 10_000
        page.close()
        page.deleteLater()
        app.processEvents()
    return out


def generate_test_times(store, deck_id: int, runs: int) -> tuple[list[float], list[float]]:
    """(load + generate, generate only) for a 50-question test of all four kinds."""
    from app.study.cards import load_study_cards
    from app.study.test_gen import KINDS, generate_test
    from app.ui.test_view import build_test

    full, gen = [], []
    with store.session() as s:
        cards = load_study_cards(s, deck_id)
    for _ in range(runs):
        t0 = time.perf_counter()
        test = build_test(store, deck_id, 50, KINDS)
        full.append(time.perf_counter() - t0)
        assert len(test.questions) == 50
        t0 = time.perf_counter()
        generate_test(cards, 50, KINDS)
        gen.append(time.perf_counter() - t0)
    return full, gen


def show(label: str, values: list[float]) -> None:
    ms = sorted(v * 1000 for v in values)
    print(f"{label}: median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f}, n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        os.environ["RECALL_HOME"] = str(home)
        shown, ready = window_shown(args.runs, home)
        show("window shown after process start", shown)
        show("library filled in after process start", ready)
        from app.store.db import Store

        store = Store(f"sqlite:///{Path(tmp) / 'big.sqlite3'}")
        deck_id = make_big_deck(store)
        show("open a 10,000-card deck in the deck view", open_deck_view(store, deck_id, args.runs))
        full, gen = generate_test_times(store, deck_id, args.runs)
        show("50-question test from 10,000 cards (load + generate)", full)
        show("50-question test from 10,000 cards (generate only)", gen)
        store.close()


if __name__ == "__main__":
    main()
