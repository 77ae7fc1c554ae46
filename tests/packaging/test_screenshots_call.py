"""packaging/call_screenshots.py takes each picture in the slot of the signal that completes its
screen: the question once it is being asked, the partial transcript once it is shown, each verdict
once the view shows it. Driven here through the Call screen's event slots (no models are loaded);
the full run with Whisper, pyttsx3 and the grader is manual: `python packaging/call_screenshots.py`."""

from __future__ import annotations

import struct
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import call_screenshots  # noqa: E402
from screenshot_setup import _StagedCall  # noqa: E402

DOCS = ROOT / "docs" / "screenshots"


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


class Recording(call_screenshots.CallCapture):
    """Notes what the screen showed at the moment of each picture."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.seen: dict[str, dict[str, str]] = {}

    def shoot(self, name: str) -> None:
        v = self.view
        self.seen.setdefault(name, {"question": v.question_label.text(), "phase": v.phase_label.text(),
                                    "partial": v.partial_label.text(), "verdict": v.verdict_label.text(),
                                    "terms": v.terms_label.text()})  # fmt: skip
        super().shoot(name)


@pytest.fixture
def staged(qtbot, store, sample_deck, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    win = QMainWindow()
    qtbot.addWidget(win)
    view = _StagedCall.make(store, sample_deck, win)
    win.setCentralWidget(view)
    win.resize(*call_screenshots.SIZE)
    win.show()
    qtbot.waitExposed(win)
    capture = Recording(view, win, tmp_path, "light")
    yield view, capture, tmp_path
    view.finish()


def test_each_picture_is_taken_on_the_signal_that_completes_its_screen(qtbot, staged):
    from app.voice.call import Phase
    from app.voice.dialogue import Turn

    view, capture, out = staged
    e = view.events

    def from_the_call_thread(*steps) -> None:  # emitted off the UI thread, as the runner does
        t = threading.Thread(target=lambda: [step() for step in steps])
        t.start()
        t.join()

    from_the_call_thread(lambda: e.question(1, 2, "What does the forget gate do?"))
    qtbot.waitUntil(lambda: view.question_label.text() == "What does the forget gate do?", timeout=10_000)
    assert capture.saved == {}  # shown, but not yet asked
    before = view.phase_label.text()  # still the loading status
    from_the_call_thread(lambda: e.phase(Phase.SPEAKING, "What does the forget gate do?"))
    qtbot.waitUntil(lambda: "call-asked" in capture.saved, timeout=10_000)
    # the picture shows the status the speaking phase set (its wording is the view's own)
    assert capture.seen["call-asked"]["phase"] not in ("", before)

    e.phase(Phase.TRANSCRIBING, "Transcribing")
    e.partial("It decides what")  # late: the view does not show it, so no picture
    assert "call-hearing" not in capture.saved
    from_the_call_thread(lambda: e.phase(Phase.LISTENING, "Listening"), lambda: e.level(0.7),
                         lambda: e.partial("It decides what"))  # fmt: skip
    qtbot.waitUntil(lambda: "call-hearing" in capture.saved, timeout=10_000)
    assert capture.seen["call-hearing"]["partial"] == "Hearing: “It decides what…”"

    right = Turn(1, 1, "What does the forget gate do?", "It decides what to remove from the cell state",
                 "Correct!", verdict="correct", score=0.95, matched=["decides", "remove", "cell state"])  # fmt: skip
    typed = Turn(2, 1, "What does the forget gate do?", "no idea", "Not quite.", verdict="wrong", typed=True)
    wrong = Turn(3, 2, "How many gates does a GRU have?", "Three: the input gate, the output gate",
                 "Not quite.", verdict="wrong", score=0.39, matched=["gate"], missing=["update", "reset"],
                 wrong=["input", "output"])  # fmt: skip
    e.reply("Not quite.", typed)  # a typed answer is not a spoken turn: no picture
    assert "call-wrong" not in capture.saved
    with qtbot.waitSignal(capture.done, timeout=10_000):
        from_the_call_thread(lambda: e.reply("Correct!", right), lambda: e.reply("Not quite.", wrong))
    assert capture.seen["call-right"]["verdict"].startswith("✔ Correct")
    assert "cell state" in capture.seen["call-right"]["terms"]
    assert capture.seen["call-wrong"]["verdict"].startswith("✘ Not quite")
    assert "<b>Missing:</b>" in capture.seen["call-wrong"]["terms"]
    assert "<b>Said instead:</b>" in capture.seen["call-wrong"]["terms"]

    assert capture.complete
    assert sorted(p.name for p in out.glob("*.png")) == sorted(f"{n}-light.png" for n in call_screenshots.SHOTS)
    for path in capture.saved.values():
        assert png_size(path) == call_screenshots.SIZE
    assert capture.saved["call-right"].read_bytes() != capture.saved["call-wrong"].read_bytes()


def test_a_picture_is_taken_once(qtbot, staged):
    from app.voice.call import Phase

    view, capture, out = staged
    view.events.question(1, 2, "What does GRU stand for?")
    view.events.phase(Phase.SPEAKING, "What does GRU stand for?")
    first = capture.saved["call-asked"].read_bytes()
    view.events.question(2, 2, "How many gates does a GRU have?")
    view.events.phase(Phase.SPEAKING, "How many gates does a GRU have?")
    assert capture.saved["call-asked"].read_bytes() == first
    assert capture.seen["call-asked"]["question"] == "What does GRU stand for?"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_docs_have_the_real_turn_call_pictures(theme):
    for name in call_screenshots.SHOTS:
        path = DOCS / f"{name}-{theme}.png"
        assert path.is_file(), f"missing {path.relative_to(ROOT)}: run packaging/call_screenshots.py --theme {theme}"
        assert png_size(path) == call_screenshots.SIZE, path.name
        assert path.stat().st_size < 300_000, f"{path.name} is over 300 KB"
