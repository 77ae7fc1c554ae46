"""Screenshots of every screen of Recall, in the light and the dark theme, at 1280x800.

    .venv/bin/python packaging/screenshots.py [OUT_DIR] [--offscreen]   # default docs/screenshots/

The real window over a private RECALL_HOME (a temp folder) with the sample decks: the library
(stocked and empty), the deck page and its card editor, each study mode and its end-of-session
summary, the Call screen (asking, then a verdict), the first-use microphone check, settings and
the keyboard shortcut sheet. Dialogs are drawn over the dimmed window, as the user sees them.
Without a display it re-runs itself under `xvfb-run -a` (or uses Qt's offscreen platform).

`Screens` is also what tests/ui/test_accessibility.py and test_layout_clipping.py walk, so the
pictures and the checks see the same screens. The Call screen here is driven through its own
event slots (no models are loaded: tests must stay light); packaging/call_screenshots.py takes
pictures of real spoken turns with Whisper, and packaging/compose_before_after.py puts the old
library and Call screens (docs/screenshots/before/) beside the new ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, Path(__file__).resolve().parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from screenshot_setup import (  # noqa: E402  (packaging/ is a folder of scripts)
    CAPITALS,
    SIZE,
    _key,
    _StagedCall,
    close_windows,
    make_windows,
    picture,
    seed,
    settle,
)

__all__ = ["NAMES", "SIZE", "Screens", "Shot", "close_windows", "make_windows", "picture", "seed", "settle"]

# Every picture the walk takes, in order (each saved as NAME-light.png and NAME-dark.png).
NAMES = ("library", "library-search", "library-empty", "deck", "editor", "flashcards", "flashcards-back",
         "flashcards-summary", "learn", "learn-summary", "test-setup", "test", "test-summary", "matching",
         "matching-summary", "spaced", "spaced-answer", "spaced-summary", "call-loading", "call", "call-verdict",
         "call-check", "settings", "shortcuts")  # fmt: skip


@dataclass
class Shot:
    name: str  # file stem, without the theme
    what: str
    target: object  # the widget to picture (the window, or a dialog over it)
    window: object  # the main window (the backdrop of a dialog)


class Screens:
    """Puts the window on each screen in turn and yields it; `empty` is a window over an empty library."""

    STEPS = ("library", "library_empty", "deck", "flashcards", "learn", "test", "matching", "spaced", "call",
             "call_check", "settings", "shortcuts")  # fmt: skip

    def __init__(self, window, ids: dict[str, int], empty=None, only: tuple[str, ...] = ()) -> None:
        self.w = window
        self.ids = ids
        self.empty = empty
        self.only = only

    @property
    def page(self):
        return self.w.current_page

    def _shot(self, name: str, what: str, target=None) -> Shot:
        self.w.resize(*SIZE)  # a page that needs more room than 1280x800 keeps the window bigger
        settle()
        target = target or self.w
        (target.layout() or self.w.layout()).activate()
        return Shot(name, what, target, self.w)

    def _to_deck(self, deck_id: int | None = None) -> None:
        self.w.show_library()
        self.w.open_deck(deck_id or self.ids["deck"])
        settle()

    def all(self) -> Iterator[Shot]:
        for step in self.STEPS:
            if not self.only or step in self.only:
                yield from getattr(self, step)()
        self.w.show_library()

    # screens -------------------------------------------------------------------------------------
    def library(self) -> Iterator[Shot]:
        self.w.show_library()
        self.w.library.refresh()
        settle()
        self.w.library.select_deck(self.ids["deck"])
        yield self._shot("library", "The library: Today strip, decks with mastery, due counts and stars")
        self.w.library.search.setText("capital")
        settle(lambda: not self.w.library._search_timer.isActive() if hasattr(self.w.library, "_search_timer") else True)
        yield self._shot("library-search", "Searching decks and cards as you type")
        self.w.library.search.clear()
        settle()

    def library_empty(self) -> Iterator[Shot]:
        if self.empty is not None:
            settle(lambda: self.empty.library is not None)
            yield Shot("library-empty", "An empty library: the sample decks and Import", self.empty, self.empty)

    def deck(self) -> Iterator[Shot]:
        self._to_deck()
        yield self._shot("deck", "The deck page: cards with front/back, mastery and stars; study modes")
        self.page.new_card()
        settle()
        yield self._shot("editor", "The card editor: Tab between fields, Ctrl+Enter adds the next card")
        self.page.show_list()

    def flashcards(self) -> Iterator[Shot]:
        from PySide6.QtCore import Qt

        self._to_deck()
        self.page.start("flashcards")
        settle()
        yield self._shot("flashcards", "Flashcards: the card's front")
        page = self.page
        _key(page, Qt.Key.Key_Space)
        settle()
        yield self._shot("flashcards-back", "Flashcards: flipped")
        for i in range(page.session.total):
            _key(page, Qt.Key.Key_1 if i % 3 == 0 else Qt.Key.Key_2)
        yield self._shot("flashcards-summary", "Flashcards: the round's summary")

    def learn(self) -> Iterator[Shot]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self._to_deck()
        self.page.start("learn")
        page = self.page
        s = page.session
        if s.current is not None and s.current.kind == "choice":
            _key(page, Qt.Key.Key_1 + s.current.correct_index)
        yield self._shot("learn", "Learn: a question answered, with icon and text feedback")
        for _ in range(200):  # answer everything right until the session (or round) is over
            if s.current is None:
                break
            if s.feedback is not None:
                _key(page, Qt.Key.Key_Return)
            elif s.current.kind == "choice":
                _key(page, Qt.Key.Key_1 + s.current.correct_index)
            else:
                QTest.keyClicks(page.answer, s.current.answer)
                _key(page.answer, Qt.Key.Key_Return)
        yield self._shot("learn-summary", "Learn: what was learned and what to review next")

    def test(self) -> Iterator[Shot]:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self._to_deck()
        self.page.start("test")
        page = self.page
        page.count.setValue(8)
        yield self._shot("test-setup", "Test: how many questions, and which kinds")
        _key(page, Qt.Key.Key_Return)
        yield self._shot("test", "Test: a question")
        for n, q in enumerate(page.run.questions):
            if q.kind == "multiple_choice":
                pick = (q.correct_index + 1) % len(q.choices) if n % 3 == 0 else q.correct_index
                _key(page, Qt.Key.Key_1 + pick)
            elif q.kind == "true_false":
                _key(page, Qt.Key.Key_T if q.is_true else Qt.Key.Key_F)
            elif q.kind == "written":
                QTest.keyClicks(page.written, q.answers[0].lower())
                _key(page.written, Qt.Key.Key_Return)
            else:
                for box, right in zip(page.match_boxes, q.answers, strict=True):
                    box.setCurrentIndex(box.findData(q.choices.index(right)))
                page.submit_matching()
        yield self._shot("test-summary", "Test: the score and the review of mistakes")

    def matching(self) -> Iterator[Shot]:
        self._to_deck(self.ids["long"])
        self.page.start("match")
        page = self.page
        game = page.game
        prompts = [t for t in game.tiles if t.side == "prompt"]
        for p in prompts[:2]:
            page.pick(p.index)
            page.pick(next(t.index for t in game.tiles if t.side == "answer" and t.card_id == p.card_id))
        yield self._shot("matching", "Matching: two pairs cleared")
        for p in prompts[2:]:
            page.pick(p.index)
            page.pick(next(t.index for t in game.tiles if t.side == "answer" and t.card_id == p.card_id))
        yield self._shot("matching-summary", "Matching: done, with the time and the best time")

    def spaced(self) -> Iterator[Shot]:
        from PySide6.QtCore import QEventLoop, Qt

        self._to_deck()
        self.page.start("spaced")
        page = self.page

        def settle() -> None:  # the queue and each answer are written on a worker: keys wait for its ready
            loop = QEventLoop()
            page.ready.connect(loop.quit)
            while page.busy or page.session is None:
                loop.exec()
            page.ready.disconnect(loop.quit)

        settle()
        yield self._shot("spaced", "Spaced review: a due card")
        _key(page, Qt.Key.Key_Space)
        yield self._shot("spaced-answer", "Spaced review: the answer and the four ratings")
        for i in range(100):
            settle()
            if page.session.current is None:
                break
            _key(page, Qt.Key.Key_Space)
            _key(page, Qt.Key.Key_3 if i % 4 else Qt.Key.Key_1)
        yield self._shot("spaced-summary", "Spaced review: the session's summary")

    def call(self) -> Iterator[Shot]:
        from app.voice.call import Phase
        from app.voice.dialogue import Turn

        self._to_deck()
        view = _StagedCall.make(self.w.store, self.ids["deck"], self.w)
        self.w.push(view)
        yield self._shot("call-loading", "Call: engines loading in the background")
        e = view.events
        e.progress("Using Whisper tiny.en on CPU (fp32, 4 threads)", 1.0)
        question = CAPITALS[0]
        e.question(1, len(CAPITALS), f"Capital of {question[0]}?")
        e.phase(Phase.LISTENING, "")
        e.level(0.62)
        e.partial("I think it is Par")
        yield self._shot("call", "Call: the question, the live level meter and what is heard")
        turn = Turn(1, getattr(view.cards[0], "card_id", 0) if view.cards else 0, f"Capital of {question[0]}?", "Paris, France",
                    "Correct! Paris.", verdict="correct", score=0.97, matched=["Paris"])  # fmt: skip
        e.level(0.0)  # in the runner's order: the answer ends, is transcribed, graded, replied to
        e.phase(Phase.TRANSCRIBING, "Transcribing")
        e.transcript("Paris, France")
        e.phase(Phase.GRADING, "Grading")
        e.phase(Phase.REPLYING, "Correct! Paris.")
        e.reply("Correct! Paris.", turn)
        yield self._shot("call-verdict", "Call: the verdict with the matched terms")

    def call_check(self) -> Iterator[Shot]:
        from app.ui.call_check import CallCheckDialog, CheckEngines

        engines = CheckEngines(devices=lambda: [(0, "Built-in microphone (analog stereo)")],
                               voices=lambda: [("en-us", "English (America)"), ("en-gb", "English (Great Britain)")])  # fmt: skip
        dlg = CallCheckDialog(self.w, engines)
        dlg.open()
        settle(lambda: dlg.isVisible())
        yield self._shot("call-check", "The first-use check: microphone, level, test sentence, voice", dlg)
        dlg.reject()

    def settings(self) -> Iterator[Shot]:
        self.w.show_library()
        dlg = self.w.open_settings()
        yield self._shot("settings", "Settings: speech model and device, schedule, theme and text size", dlg)
        dlg.reject()

    def shortcuts(self) -> Iterator[Shot]:
        self._to_deck()
        self.page.start("flashcards")
        settle()
        sheet = self.w.show_shortcuts()
        yield self._shot("shortcuts", "The keyboard shortcut sheet (F1 or ?)", sheet)
        sheet.reject()


def _reexec_under_xvfb(argv: list[str]) -> int:
    env = dict(os.environ, RECALL_SCREENSHOTS_CHILD="1")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, str(Path(__file__).resolve()), *argv]
    return subprocess.call(cmd, env=env)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description="Save a screenshot of every screen of Recall, light and dark.")
    ap.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--offscreen", action="store_true", help="Qt's offscreen platform instead of Xvfb")
    ap.add_argument("--only", default="", help=f"comma-separated steps of {','.join(Screens.STEPS)}")
    ap.add_argument("--themes", default="light,dark")
    args = ap.parse_args(argv)
    child = os.environ.get("RECALL_SCREENSHOTS_CHILD")
    if not args.offscreen and not child and not os.environ.get("DISPLAY") and shutil.which("xvfb-run"):
        return _reexec_under_xvfb(argv)
    if args.offscreen or not (os.environ.get("DISPLAY") or child):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="recall-shots-") as home:
        os.environ["RECALL_HOME"] = home
        os.environ.pop("RECALL_DB", None)
        from app.config import save_settings

        saved = []
        only = tuple(x for x in args.only.split(",") if x)
        for scheme in args.themes.split(","):  # each theme over a fresh copy, so both show the same state
            folder = Path(home) / scheme
            folder.mkdir()
            os.environ["RECALL_HOME"] = str(folder)
            save_settings({"samples_offered": True, "call_check_done": True, "theme": scheme})
            _theme, window, empty, ids = make_windows(folder, scheme)
            for shot in Screens(window, ids, empty, only).all():
                path = out / f"{shot.name}-{scheme}.png"
                picture(shot).save(str(path), "PNG", 9)
                saved.append(path)
                print(f"{path.name}: {shot.what}")
            close_windows(window, empty)
    print(f"{len(saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
