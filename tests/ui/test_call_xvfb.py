"""Issue 12's window check: a five-card call in a real X window (Xvfb) speaks every question and
reply with the real pyttsx3 voice and never falls back to text; each spoken answer gets a verdict.

The call runs in its own process (tests/ui/xvfb_call.py) on the xcb platform under `xvfb-run`,
because the test session itself runs offscreen. The child waits on the call's "ended" signal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.xvfb_call import CARDS

ROOT = Path(__file__).resolve().parents[2]
XVFB_RUN = shutil.which("xvfb-run")


@pytest.mark.slow  # CI runs every test, slow ones included (packaging/bootstrap.py test)
@pytest.mark.skipif(XVFB_RUN is None, reason="xvfb-run is not installed (apt-get install xvfb)")
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_five_card_call_in_a_real_window_speaks_every_question_and_reply(tmp_path):
    out = tmp_path / "call.json"
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", RECALL_HOME=str(tmp_path / "home"))
    res = subprocess.run(
        [XVFB_RUN, "-a", "-s", "-screen 0 1280x800x24", sys.executable, "-m", "tests.ui.xvfb_call", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    assert out.exists(), res.stdout[-3000:] + res.stderr[-3000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert res.returncode == 0 and not doc["timed_out"], res.stderr[-3000:]
    assert doc["platform"] == "xcb" and doc["exposed"]
    assert doc["tts"] == "pyttsx3" and doc["voice_out"]

    questions = [q for q, _, _ in CARDS]
    assert doc["asked"] == questions
    turns = doc["turns"]
    assert len(turns) == 5 and all(t["verdict"] in ("correct", "partial", "wrong") for t in turns)
    assert all(t["transcript"] and not t["typed"] for t in turns)  # heard, not typed
    assert [t["verdict"] for t in turns[:3]] == ["correct"] * 3  # the right answers were heard right
    assert turns[4]["verdict"] != "correct"  # "the ribosome" for "the mitochondria"

    # Spoken, all of it: never a fall-back to text.
    assert doc["voice_failures"] == 0
    assert "shown as text" not in doc["notices"] and "stopped working" not in doc["notices"]
    spoken = doc["spoken"]
    assert all(q in spoken for q in questions)
    assert all(t["reply"] in spoken for t in turns)
    assert spoken[-1] == doc["summary"]["text"] and doc["summary"]["asked"] == 5
    played = doc["played"]
    assert [p["text"] for p in played] == spoken  # every utterance reached the player
    for p in played:  # complete and audible: about a word per 0.15-1 s, never silent
        words = len(p["text"].split())
        assert 0.15 * words <= p["seconds"] <= 1.0 * words + 1.0, p
        assert p["rms"] > 0.01, p

    # The window showed the call: the meter moved, each verdict with its terms and the reply.
    assert doc["max_level"] > 0.3
    assert [s["verdict"].split(" ·")[0] for s in doc["screens"]][:3] == ["✔ Correct"] * 3
    assert "mitochondria" in doc["screens"][4]["terms"] and "<b>Missing:</b>" in doc["screens"][4]["terms"]
    assert doc["engine_label"].startswith("Using Whisper tiny.en on CPU")
    assert doc["voice_label"].startswith("Voice pyttsx3")
