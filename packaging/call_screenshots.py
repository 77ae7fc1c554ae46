"""Screenshots of the Call screen during a real call: the question asked, what is heard while the
student speaks (a partial transcript), and the verdicts of a right and a wrong answer with the
matched and missing words highlighted.

    .venv/bin/python packaging/call_screenshots.py [OUT_DIR] --theme light|dark   # docs/screenshots/

Writes call-asked, call-hearing, call-right and call-wrong (-THEME.png), 1280x800, in the real
window over a private RECALL_HOME. Real engines throughout: the pyttsx3 voice (espeak-ng on Linux)
speaks each question and reply, Whisper tiny.en on the CPU hears answers spoken by `espeak-ng -w`
and played through the file-backed microphone at the pace of speech, the LSTM grader grades them.
There is no sound card under Xvfb, so the "speakers" take each utterance's own length and play
nothing. Each picture is taken in the slot of the signal that completes its screen, never after a
wait. Runs itself under `xvfb-run` when there is no display (else Qt's offscreen platform).
About 1-2 minutes a theme on a quiet 2-core machine (Whisper loads, two to four spoken turns);
3-4 minutes when the machine is loaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
SHOTS = ("call-asked", "call-hearing", "call-right", "call-wrong")
CARDS = [  # question, answer on the card, what the student says: right, wrong, then right again
    ("What does the forget gate do?", "It decides what to remove from the cell state",
     "It decides which information to remove from the cell state, and which information to keep"),
    ("How many gates does a GRU have?", "Two: the update gate and the reset gate",
     "Three gates: input, output and forget"),
    ("What is backpropagation through time?", "Backpropagation applied to an unrolled recurrent network",
     "It is backpropagation applied to an unrolled recurrent network, one time step after another"),
    ("What problem do LSTMs address?", "The vanishing gradient problem",
     "The vanishing gradient problem, where the gradients shrink over long sequences"),
]  # fmt: skip
# The last two cards are further chances for the partial transcript (the call hangs up once every
# picture is in): the first transcription pays Whisper's cold start, and on a loaded machine a
# partial can come back only after the answer has ended (then it is rightly never shown).
TIMEOUT_S = 600  # a bound, so a broken engine never hangs the script; the pictures wait on signals


class PacedPlayer:
    """The speakers under Xvfb: each utterance takes its own length (interruptible), plays nothing.
    The call keeps the pace of a real one, so the pictures show it as a user would see it."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, speech, stop: threading.Event) -> None:
        self.played.append(speech.text)
        stop.wait(float(speech.seconds))


def lay_out_now(window) -> None:
    """Lays the window out as the next frame would, without running the event loop (which would
    deliver the call's later signals before the picture is taken)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget

    for _ in range(2):  # nested layouts: a parent's pass can invalidate a child's
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)
        for widget in (window, *window.findChildren(QWidget)):
            if widget.layout() is not None:
                widget.layout().activate()


class CallCapture(QObject):
    """Pictures the Call screen on its own signals. Created on the UI thread, so its slots run
    there, queued after the view's own slots for the same signal (connected later): each picture
    shows the screen exactly as that signal left it."""

    done = Signal()  # every picture asked for is taken

    def __init__(self, view, window, out: Path, theme: str, wanted: tuple[str, ...] = SHOTS) -> None:
        super().__init__(view)
        self.view, self.window, self.out, self.theme, self.wanted = view, window, Path(out), theme, wanted
        self.saved: dict[str, Path] = {}
        e = view.events
        e.phaseChanged.connect(self._phase)
        e.partialHeard.connect(self._partial)
        e.replied.connect(self._replied)

    @property
    def complete(self) -> bool:
        return all(name in self.saved for name in self.wanted)

    def shoot(self, name: str) -> None:
        if name in self.saved or name not in self.wanted:
            return
        lay_out_now(self.window)
        path = self.out / f"{name}-{self.theme}.png"
        if not self.window.grab().save(str(path), "PNG", 9):
            raise OSError(f"could not write {path}")
        self.saved[name] = path
        if self.complete:
            self.done.emit()

    @Slot(str, str)
    def _phase(self, value: str, _detail: str) -> None:
        if value == "speaking" and self.view.question_label.text():  # the question, being asked
            self.shoot("call-asked")

    @Slot(str)
    def _partial(self, _text: str) -> None:
        if self.view.partial_label.text():  # shown: the student is still speaking
            self.shoot("call-hearing")

    @Slot(str, object)
    def _replied(self, _text: str, turn) -> None:
        if turn is None or turn.typed or not turn.verdict or turn.command:
            return
        if turn.verdict in ("correct", "wrong"):
            self.shoot(f"call-{'right' if turn.verdict == 'correct' else 'wrong'}")


def _under_xvfb(argv: list[str]) -> int:
    env = dict(os.environ, RECALL_CALL_SHOTS_CHILD="1", QT_QPA_PLATFORM="xcb")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable, str(Path(__file__).resolve()), *argv]
    return subprocess.call(cmd, env=env)


def _window(home: Path, theme_name: str):
    """The real main window over a deck of the cards above, themed, at 1280x800."""
    from app.config import save_settings
    from app.store.db import Store
    from app.store.repo import CardRecord, add_cards, get_or_create_deck
    from app.ui.launch import create_application
    from app.ui.main_window import MainWindow
    from app.ui.theme import ThemeManager

    save_settings({"samples_offered": True, "call_check_done": True, "theme": theme_name})
    app = create_application([sys.argv[0]])
    theme = ThemeManager(app, theme_name)
    store = Store(f"sqlite:///{home / 'recall.sqlite3'}")
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Sequence models")
        add_cards(s, deck, [CardRecord(q, a) for q, a, _ in CARDS])
        deck_id = deck.id
    window = MainWindow(store, theme, first_run_prompt=False)
    window.resize(*SIZE)
    window.show()
    return app, window, deck_id


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--theme", choices=("light", "dark"), default="light")
    args = ap.parse_args(argv)
    if not os.environ.get("DISPLAY") and not os.environ.get("RECALL_CALL_SHOTS_CHILD"):
        if shutil.which("xvfb-run"):
            return _under_xvfb(argv)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="recall-call-shots-"))
    os.environ["RECALL_HOME"] = str(home)
    os.environ.pop("RECALL_DB", None)
    wavs = []
    for i, (_, _, said) in enumerate(CARDS):
        wav = home / f"answer{i}.wav"
        subprocess.run(["espeak-ng", "-s", "130", "-w", str(wav), "--", said], check=True, capture_output=True)
        wavs.append(wav)

    from PySide6.QtCore import QTimer

    from app.ui.call_view import CallView
    from app.voice.asr import shared_asr
    from app.voice.call import CallEngines
    from app.voice.capture import FileSource
    from app.voice.tts import shared_tts

    app, window, deck_id = _window(home, args.theme)
    player = PacedPlayer()

    def engines(language):
        answers = iter(FileSource(w, realtime=True, lead_silence_s=0.8) for w in wavs)
        return CallEngines(asr=shared_asr("tiny.en", "cpu"), tts=shared_tts(language), player=player,
                           answers=answers, language="en")  # fmt: skip

    window.open_deck(deck_id)
    view = CallView(window.store, deck_id, window, engines=engines, first_use_check=False)
    window.push(view)
    capture = CallCapture(view, window, out, args.theme)
    capture.done.connect(view.runner.stop)  # every picture is in: hang up
    view.events.ended.connect(lambda _summary: app.quit())
    view._thread.failed.connect(lambda message: (print(message, file=sys.stderr), app.quit()))
    QTimer.singleShot(TIMEOUT_S * 1000, app.quit)
    if view.summary is None:
        app.exec()
    view.finish()
    for name in SHOTS:
        print(capture.saved.get(name, f"{name}: not taken"))
    turns = [(t.transcript, t.verdict) for t in view.runner.log]
    print(f"turns heard: {turns}; spoken by the tutor: {len(player.played)}")
    window.close()
    window.store.close()
    shutil.rmtree(home, ignore_errors=True)  # the private home: recorded answers and the database
    return 0 if capture.complete else 1


if __name__ == "__main__":
    sys.exit(main())
