"""Screenshots of the Call screen during real turns: loading, listening (level meter moving),
transcribing, and the verdicts (right, wrong, partly right), then the summary.

    .venv/bin/python packaging/call_screenshots.py [OUT_DIR]      # default out/call/

The "student" is espeak-ng speech played in real time through a file-backed microphone;
Whisper tiny.en, the grader and pyttsx3 are the real engines. Runs under Xvfb when `xvfb-run`
is there (else Qt's offscreen platform), with a private RECALL_HOME in a temp folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CARDS = [
    ("What does GRU stand for?", "Gated recurrent unit", "Gated recurrent unit"),
    ("What problem do LSTMs address?", "The vanishing gradient problem", "Overfitting on small data"),
    (
        "What does the forget gate do?",
        "It decides what to remove from the cell state",
        "It decides what to forget",
    ),
]


class QueuedMicrophone:
    """A microphone that 'hears' the next recorded answer each time the call starts listening."""

    realtime = True
    rate = 16_000

    def __init__(self, wavs: list[Path]) -> None:
        from app.voice.capture import FileSource

        self._sources = [FileSource(w, realtime=True, lead_silence_s=0.6, trail_silence_s=20) for w in wavs]
        self._current = None
        self.finished = False

    def open(self) -> None: ...

    def drain(self) -> None:  # the runner drains before each listen: move on to the next answer
        self._current = self._sources.pop(0) if self._sources else None
        if self._current is not None:
            self._current.open()

    def read(self, timeout: float = 0.1):
        if self._current is None:
            import time

            time.sleep(timeout)
            return None
        return self._current.read(timeout)

    def close(self) -> None: ...


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default=str(ROOT / "out" / "call"))
    ap.add_argument("--theme", choices=("light", "dark"), default="light")
    args = ap.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("RECALL_CALL_SHOTS_CHILD"):
        xvfb = shutil.which("xvfb-run")
        if xvfb:
            env = dict(os.environ, RECALL_CALL_SHOTS_CHILD="1")
            cmd = [xvfb, "-a", "-s", "-screen 0 1400x900x24", sys.executable, __file__, args.out, "--theme", args.theme]
            return subprocess.call(cmd, env=env)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="recall-call-shots-"))
    os.environ["RECALL_HOME"] = str(home)

    wavs = []
    for i, (_, _, said) in enumerate(CARDS):
        wav = home / f"answer{i}.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), "--", said], check=True)
        wavs.append(wav)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from app.store.db import Store
    from app.store.repo import CardRecord, add_cards, get_or_create_deck
    from app.ui.call_view import CallView
    from app.ui.theme import ThemeManager
    from app.voice.asr import shared_asr
    from app.voice.call import CallEngines
    from app.voice.tts import Pyttsx3TTS

    app = QApplication([])
    ThemeManager(app, args.theme)
    store = Store(f"sqlite:///{home / 'recall.sqlite3'}")
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Sequence models")
        add_cards(s, deck, [CardRecord(q, a) for q, a, _ in CARDS])
        deck_id = deck.id

    def engines(_language):
        return CallEngines(asr=shared_asr("tiny.en", "cpu"), tts=Pyttsx3TTS(), player=None,
                           microphone=lambda: QueuedMicrophone(wavs))  # fmt: skip

    win = QMainWindow()
    win.resize(1280, 800)  # the size of every other screenshot
    view = CallView(store, deck_id, engines=engines)
    win.setCentralWidget(view)
    win.setWindowTitle("Recall — Call")
    win.show()
    saved: list[str] = []
    state = {"verdicts": 0, "listening": 0}

    def shot(name: str) -> None:
        path = out / f"{name}-{args.theme}.png"
        view.layout().activate()  # labels just changed: lay out before painting, as a real frame would
        win.grab().save(str(path))
        saved.append(path.name)

    def on_progress(message: str, _fraction: float) -> None:
        if ("Converting" in message or "Loading" in message) and f"call-loading-{args.theme}.png" not in saved:
            shot("call-loading")

    def on_level(value: float) -> None:
        if (
            value > 0.5
            and state["listening"] < len(CARDS)
            and f"call-listening-{state['listening']}-{args.theme}.png" not in saved
        ):
            shot(f"call-listening-{state['listening']}")

    def on_phase(phase: str, _detail: str) -> None:
        if phase == "transcribing":
            shot(f"call-transcribing-{state['listening']}")
            state["listening"] += 1

    def on_reply(_text: str, turn) -> None:
        if turn is not None and turn.verdict:
            shot(f"call-verdict-{state['verdicts']}-{turn.verdict}")
            state["verdicts"] += 1
            if state["verdicts"] == len(CARDS):
                QTimer.singleShot(300, view.runner.stop)

    def on_end(_summary) -> None:
        QTimer.singleShot(300, lambda: (shot("call-summary"), app.quit()))

    view.events.progressed.connect(on_progress)
    view.events.levelChanged.connect(on_level)
    view.events.phaseChanged.connect(on_phase)
    view.events.replied.connect(on_reply)
    view.events.ended.connect(on_end)
    QTimer.singleShot(180_000, app.quit)  # never hang
    app.exec()
    view.finish()
    for name in saved:
        print(out / name)
    return 0 if any(n.startswith("call-verdict") for n in saved) else 1


if __name__ == "__main__":
    sys.exit(main())
