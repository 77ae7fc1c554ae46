"""A five-card call in a real window (run under Xvfb by tests/ui/test_call_xvfb.py, or by hand):

    xvfb-run -a python -m tests.ui.xvfb_call result.json

Real engines throughout: the pyttsx3 voice (espeak-ng on Linux) speaks every question and reply,
tiny.en hears answers spoken by espeak-ng and played through the file-backed microphone at the
pace of speech, the real grader grades them, the store records them. There is no sound card on
CI, so the player checks each utterance instead of playing it. Writes one JSON document of what
happened; the test asserts on it. Waits on the call's "ended" signal, with a generous bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

CARDS = [  # question, answer on the card, what the student says
    ("What does the forget gate do?", "It decides what to remove from the cell state",
     "It decides what to remove from the cell state"),
    ("What problem do LSTMs address?", "The vanishing gradient problem", "The vanishing gradient problem"),
    ("What does GRU stand for?", "Gated recurrent unit", "Gated recurrent unit"),
    ("How many gates does a GRU have?", "Two: the update gate and the reset gate", "Three gates"),
    ("What is the powerhouse of the cell?", "The mitochondria", "The ribosome"),
]  # fmt: skip
TIMEOUT_S = 420


class CheckingPlayer:
    """Stands in for the speakers: records each utterance and how complete it is, plays nothing."""

    def __init__(self) -> None:
        self.played: list[dict] = []
        self._lock = threading.Lock()

    def play(self, speech, stop) -> None:
        audio = np.asarray(speech.audio, dtype=np.float32)
        rms = float(np.sqrt(np.mean(audio**2))) if len(audio) else 0.0
        with self._lock:
            self.played.append({"text": speech.text, "seconds": speech.seconds, "rms": rms})


def main(out: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="recall-xvfb-"))
    os.environ["RECALL_HOME"] = str(home)
    wavs = []
    for i, (_, _, said) in enumerate(CARDS):
        wav = home / f"answer{i}.wav"
        subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), "--", said], check=True, capture_output=True)
        wavs.append(wav)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMainWindow

    from app.store.db import Store
    from app.store.repo import CardRecord, add_cards, get_or_create_deck
    from app.ui.call_view import CallView
    from app.ui.gc_guard import MainThreadCollector
    from app.voice.asr import shared_asr
    from app.voice.call import CallEngines
    from app.voice.capture import FileSource
    from app.voice.tts import shared_tts

    app = QApplication(sys.argv[:1])
    collector = MainThreadCollector(app)
    store = Store(f"sqlite:///{home / 'recall.sqlite3'}")
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Sequence models")
        add_cards(s, deck, [CardRecord(q, a) for q, a, _ in CARDS])
        deck_id = deck.id
    player = CheckingPlayer()
    made: dict = {}

    def engines(language):
        tts = shared_tts(language)  # the real voice; no fallback here: a failure must show
        made["tts"] = tts.name
        answers = iter(FileSource(w, realtime=True) for w in wavs)
        return CallEngines(asr=shared_asr("tiny.en", "cpu"), tts=tts, player=player, answers=answers)

    win = QMainWindow()
    win.resize(1280, 800)
    view = CallView(store, deck_id, engines=engines, first_use_check=False)
    win.setCentralWidget(view)
    win.setWindowTitle("Recall — Call (Xvfb)")
    win.show()
    seen: dict = {"asked": [], "partials": [], "screens": [], "levels": 0.0}
    view.events.asked.connect(lambda _i, _n, q: seen["asked"].append(q))
    view.events.partialHeard.connect(lambda t: seen["partials"].append(t))
    view.events.levelChanged.connect(lambda v: seen.__setitem__("levels", max(seen["levels"], v)))
    view.events.replied.connect(lambda _t, _turn: seen["screens"].append(
        {"verdict": view.verdict_label.text(), "terms": view.terms_label.text(), "reply": view.reply_label.text()}))

    loop = QEventLoop()
    view.events.ended.connect(lambda _s: loop.quit())
    view._thread.failed.connect(lambda _m: loop.quit())
    timer = QTimer(singleShot=True, interval=TIMEOUT_S * 1000)
    timer.timeout.connect(loop.quit)
    timer.start()
    exposed = win.windowHandle() is not None and win.windowHandle().isExposed()
    if view.summary is None:
        loop.exec()
    runner = view.runner
    turns = [t.as_json() for t in runner.log]
    doc = {
        "platform": QGuiApplication.platformName(),
        "exposed": exposed or (win.windowHandle() is not None and win.windowHandle().isExposed()),
        "timed_out": view.summary is None,
        "tts": made.get("tts"),
        "voice_out": runner.voice_out,
        "voice_failures": runner.voice_failures,
        "spoken": runner.spoken,
        "played": player.played,
        "asked": seen["asked"],
        "partials": seen["partials"],
        "max_level": seen["levels"],
        "screens": seen["screens"],
        "turns": turns,
        "notices": view.notice_label.text(),
        "engine_label": view.engine_label.text(),
        "voice_label": view.voice_label.text(),
        "summary": None if view.summary is None else view.summary.as_json(),
    }
    out.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    view.finish()
    win.close()
    collector.stop()
    return 0 if view.summary is not None else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
