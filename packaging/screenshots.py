"""Screenshots of the real app: starts Recall under Xvfb, walks through the library, the deck
editor and each study mode (driven from inside the app by timed steps), and saves a PNG of
every screen.

    .venv/bin/python packaging/screenshots.py [OUT_DIR]      # default out/screenshots/

Without a display it re-runs itself under `xvfb-run -a`. The app gets a private RECALL_HOME
in a temp folder with the sample decks loaded, so the user's own data is never touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEP_MS = 450  # time for each screen to settle (workers, flashes) before it is captured


def _reexec_under_xvfb(argv: list[str]) -> int:
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print("screenshots: no display and no xvfb-run; install xvfb", file=sys.stderr)
        return 1
    env = dict(os.environ, RECALL_SCREENSHOTS_XVFB="1")
    cmd = [xvfb, "-a", "-s", "-screen 0 1280x900x24", sys.executable, str(Path(__file__).resolve()), *argv]
    return subprocess.call(cmd, env=env)


def _seed(db_url: str) -> tuple[int, int]:
    """Sample decks and a small deck of our own: (the deck to study, a deck with long answers)."""
    from sqlalchemy import func, select

    from app.store.db import Store
    from app.store.models import Card, Deck
    from app.store.repo import CardRecord, add_cards, get_or_create_deck

    store = Store(db_url)
    with store.transaction() as s:
        try:
            from app.formats.samples import load_samples

            load_samples(s)
        except ImportError:
            pass
        deck, created = get_or_create_deck(s, "World capitals")
        if created:
            pairs = [
                ("France", "Paris"),
                ("Japan", "Tokyo"),
                ("Peru", "Lima"),
                ("Kenya", "Nairobi"),
                ("Canada", "Ottawa"),
                ("Australia", "Canberra"),
                ("Egypt", "Cairo"),
                ("Norway", "Oslo"),
                ("Chile", "Santiago"),
                ("Vietnam", "Hanoi"),
                ("Morocco", "Rabat"),
                ("Portugal", "Lisbon"),
            ]
            add_cards(s, deck, [CardRecord(f"Capital of {c}?", a, ("geography",)) for c, a in pairs])
        deck_id = deck.id
        longest = s.execute(
            select(Card.deck_id)
            .where(Card.deck_id != deck_id)
            .order_by(func.length(Card.back).desc())
            .limit(1)
        ).scalar()
        assert s.get(Deck, deck_id) is not None
    store.close()
    return deck_id, longest or deck_id


class Walkthrough:
    """Timed steps over the live window; each step acts, then the screen is saved."""

    def __init__(self, window, deck_id: int, long_deck_id: int, out: Path) -> None:
        self.w = window
        self.deck_id = deck_id
        self.long_deck_id = long_deck_id
        self.out = out
        self.saved: list[tuple[str, str]] = []
        self.steps: list[tuple[str, str, Callable[[], object]]] = [
            ("01-library", "the library: decks with cards, due today and mastery", self.library),
            ("02-import-preview", "paste text, then the preview of detected cards", self.import_preview),
            ("03-deck", "the deck editor: cards with mastery, search, editor, mode buttons", self.deck),
            ("04-deck-search", "full-text search in the deck, a card open in the editor", self.deck_search),
            ("05-flashcards-front", "Flashcards: a card's front", self.flashcards),
            ("06-flashcards-back", "Flashcards: flipped, starred", self.flashcards_flip),
            ("07-flashcards-round", "Flashcards: the round summary after sorting", self.flashcards_round),
            ("08-learn-choice", "Learn: multiple choice answered right", self.learn_choice),
            ("09-learn-written-wrong", "Learn: a wrong typed answer with I was right", self.learn_written),
            ("10-learn-round", "Learn: round finished, progress bars", self.learn_round),
            ("11-test-setup", "Test: count and kinds", self.test_setup),
            ("12-test-question", "Test: a question", self.test_question),
            ("13-test-results", "Test: score and the review of mistakes", self.test_results),
            (
                "14-match-wrong",
                "Matching (a deck with long answers): a wrong pair flashing red",
                self.match_wrong,
            ),
            ("15-match-done", "Matching: finished, time and best time", self.match_done),
            ("16-library-dark", "the library in the dark theme, mastery grown", self.library_dark),
            ("17-deck-dark", "the deck in the dark theme with per-card mastery", self.deck_dark),
        ]
        self.index = 0
        self._grab_target = None

    # driver ----------------------------------------------------------------------------------
    def start(self, _window=None) -> None:
        from PySide6.QtCore import QTimer

        self.w.resize(1180, 800)
        QTimer.singleShot(STEP_MS, self._run_step)

    def _run_step(self) -> None:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        if self.index >= len(self.steps):
            QApplication.instance().quit()
            return
        name, _what, action = self.steps[self.index]
        self._grab_target = None
        try:
            action()
        except Exception as exc:  # report and go on: one broken screen must not hide the rest
            print(f"screenshots: step {name} failed: {exc!r}", file=sys.stderr)
        QTimer.singleShot(STEP_MS, self._capture)

    def _capture(self) -> None:
        from PySide6.QtCore import QTimer

        name, what, _ = self.steps[self.index]
        target = self._grab_target or self.w
        path = self.out / f"{name}.png"
        target.grab().save(str(path))
        self.saved.append((path.name, what))
        if self._grab_target is not None and hasattr(self._grab_target, "reject"):
            self._grab_target.reject()
        self.index += 1
        QTimer.singleShot(50, self._run_step)

    @property
    def page(self):
        return self.w.current_page

    def _key(self, key, widget=None, text: str = "") -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(widget or self.page, key, Qt.KeyboardModifier.NoModifier)

    # steps -----------------------------------------------------------------------------------
    def library(self) -> None:
        self.w.library.refresh()
        self.w.library.select_deck(self.deck_id)

    def import_preview(self) -> None:
        from PySide6.QtCore import QTimer

        lib = self.w.library
        lib.paste_text()
        lib.paste_dialog.text.setPlainText(
            "photosynthesis\tHow plants turn light into chemical energy\n"
            "mitochondria\tThe organelle where respiration happens\n"
            "osmosis\tWater moving across a membrane\n"
        )
        lib.paste_dialog.accept()

        def grab_preview() -> None:
            self._grab_target = lib.preview

        QTimer.singleShot(STEP_MS // 2, grab_preview)

    def deck(self) -> None:
        self.w.open_deck(self.deck_id)

    def deck_search(self) -> None:
        page = self.page
        page.search.setText("capital")
        page.apply_search()
        page.table.selectRow(1)

    def flashcards(self) -> None:
        self.page.start("flashcards")

    def flashcards_flip(self) -> None:
        from PySide6.QtCore import Qt

        self._key(Qt.Key.Key_S)
        self._key(Qt.Key.Key_Space)

    def flashcards_round(self) -> None:
        from PySide6.QtCore import Qt

        page = self.page
        for i in range(page.session.total):
            self._key(Qt.Key.Key_2 if i % 3 else Qt.Key.Key_1)

    def _back_to_deck(self) -> None:
        self.page.leave()

    def learn_choice(self) -> None:
        from PySide6.QtCore import Qt

        self._back_to_deck()
        self.page.start("learn")
        page = self.page
        s = page.session
        for _ in range(40):  # Flashcards' "know" made some cards typed ones: show a choice question
            if s.current is None or s.current.kind == "choice":
                break
            self._answer_learn_right(page)
            self._key(Qt.Key.Key_Return)
        if s.current is not None:
            self._key(Qt.Key.Key_1 + s.current.correct_index)

    def _answer_learn_right(self, page) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        q = page.session.current
        if q.kind == "choice":
            self._key(Qt.Key.Key_1 + q.correct_index)
        else:
            QTest.keyClicks(page.answer, q.answer)
            self._key(Qt.Key.Key_Return, page.answer)

    def learn_written(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        page = self.page
        s = page.session
        for _ in range(60):  # answer until a typed question comes up
            if s.feedback is not None:
                self._key(Qt.Key.Key_Return)
                continue
            if s.current is None:
                self._key(Qt.Key.Key_Return)
                continue
            if s.current.kind != "choice":
                break
            self._key(Qt.Key.Key_1 + s.current.correct_index)
        if s.current is not None and s.current.kind != "choice":
            QTest.keyClicks(page.answer, "no idea, sorry")
            self._key(Qt.Key.Key_Return, page.answer)

    def learn_round(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        page = self.page
        s = page.session
        start_round = s.round
        for _ in range(80):
            if s.current is None or s.round != start_round:
                break
            if s.feedback is not None:
                self._key(Qt.Key.Key_Return)
            elif s.current.kind == "choice":
                self._key(Qt.Key.Key_1 + s.current.correct_index)
            else:
                QTest.keyClicks(page.answer, s.current.answer)
                self._key(Qt.Key.Key_Return, page.answer)

    def test_setup(self) -> None:
        self._back_to_deck()
        self.page.start("test")
        self.page.count.setValue(8)

    def test_question(self) -> None:
        from PySide6.QtCore import Qt

        self._key(Qt.Key.Key_Return)

    def test_results(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        page = self.page
        for n, q in enumerate(page.run.questions):
            if q.kind == "multiple_choice":
                wrong = n % 2 == 0
                pick = (q.correct_index + 1) % len(q.choices) if wrong else q.correct_index
                self._key(Qt.Key.Key_1 + pick)
            elif q.kind == "true_false":
                self._key(Qt.Key.Key_F if q.is_true else Qt.Key.Key_T)  # a wrong one, for the review
            elif q.kind == "written":
                QTest.keyClicks(page.written, q.answers[0].lower())
                self._key(Qt.Key.Key_Return, page.written)
            else:
                for box, right in zip(page.match_boxes, q.answers, strict=True):
                    box.setCurrentIndex(box.findData(q.choices.index(right)))
                page.submit_matching()

    def match_wrong(self) -> None:
        from PySide6.QtCore import QTimer

        self._back_to_deck()
        self.page.leave()
        self.w.open_deck(self.long_deck_id)
        self.page.start("match")
        page = self.page
        game = page.game
        prompt = next(t for t in game.tiles if t.side == "prompt")
        right = [t for t in game.tiles if t.side == "prompt"][1:3]
        taken = {prompt.card_id} | {t.card_id for t in right}
        wrong = next(t for t in game.tiles if t.side == "answer" and t.card_id not in taken)
        for p in right:
            page.pick(p.index)
            page.pick(next(t.index for t in game.tiles if t.side == "answer" and t.card_id == p.card_id))

        def wrong_pair() -> None:  # late, so the capture catches the red flash
            page.pick(prompt.index)
            page.pick(wrong.index)

        QTimer.singleShot(STEP_MS - 200, wrong_pair)

    def match_done(self) -> None:
        page = self.page
        game = page.game
        for p in [t for t in game.tiles if t.side == "prompt"]:
            if p.index in game.cleared:
                continue
            page.pick(p.index)
            page.pick(next(t.index for t in game.tiles if t.side == "answer" and t.card_id == p.card_id))

    def library_dark(self) -> None:
        self._back_to_deck()
        self.page.leave()
        self.w.set_theme("dark")
        self.w.library.refresh()

    def deck_dark(self) -> None:
        self.w.open_deck(self.deck_id)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description="Save a screenshot of every screen of Recall.")
    parser.add_argument("out", nargs="?", default=str(ROOT / "out" / "screenshots"))
    parser.add_argument("--no-xvfb", action="store_true", help="use the current display")
    args = parser.parse_args(argv)
    if not args.no_xvfb and not os.environ.get("RECALL_SCREENSHOTS_XVFB"):
        return _reexec_under_xvfb(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="recall-shots-") as home:
        os.environ["RECALL_HOME"] = home
        os.environ.pop("RECALL_DB", None)
        # The sample offer is answered already: the walk starts from a stocked library.
        from app.config import save_settings

        save_settings({"samples_offered": True, "theme": "light"})
        db = str(Path(home) / "recall.sqlite3")
        deck_id, long_deck_id = _seed(f"sqlite:///{db}")
        from app.ui.launch import run_app

        holder: dict[str, Walkthrough] = {}

        def drive(window) -> None:
            holder["walk"] = Walkthrough(window, deck_id, long_deck_id, out)
            holder["walk"].start()

        rc = run_app(db, on_window=drive)
        walk = holder.get("walk")
        if walk is None:
            print("screenshots: the window never showed", file=sys.stderr)
            return 1
        for name, what in walk.saved:
            print(f"{out / name}: {what}")
        return rc if len(walk.saved) == len(walk.steps) else 1


if __name__ == "__main__":
    sys.exit(main())
