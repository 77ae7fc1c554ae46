"""Every `--json` command, run as a real process: stdout is exactly one JSON document.

In-process tests with capsys cannot see what a C library or espeak's own thread writes to file
descriptor 1; a subprocess can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.voice.load import LONG_REPLY, check_speech_file
from tests.voice.speech import espeak_wav, needs_espeak

ROOT = Path(__file__).resolve().parents[2]
pytestmark = needs_espeak


def recall(*args: str, home: Path) -> dict | list:
    env = dict(os.environ, RECALL_HOME=str(home), PYTHONUNBUFFERED="1")
    res = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)  # fails on any stray line before or after the document


def test_say_json_and_a_complete_file(tmp_path, recall_home):
    out = tmp_path / "long.wav"
    doc = recall("say", LONG_REPLY, "-o", str(out), "--json", home=recall_home)
    assert doc["file"] == str(out) and doc["words"] == len(LONG_REPLY.split())
    assert abs(doc["seconds"] - check_speech_file(out, LONG_REPLY)) < 0.01


def test_say_twenty_times_under_load_from_one_core(tmp_path, recall_home):
    from tests.voice.load import busy_cpus

    taskset = ["taskset", "-c", "0"] if sys.platform.startswith("linux") and os.path.exists("/usr/bin/taskset") else []
    env = dict(os.environ, RECALL_HOME=str(recall_home))
    with busy_cpus():
        for i in range(20):
            out = tmp_path / f"say-{i}.wav"
            res = subprocess.run([*taskset, sys.executable, "-m", "app", "say", LONG_REPLY, "-o", str(out)],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
            assert res.returncode == 0 and res.stdout == "", res.stderr
            check_speech_file(out, LONG_REPLY)


def test_grade_json(recall_home):
    doc = recall("grade", "--reference", "The mitochondria", "--answer", "the ribosome", "--json", home=recall_home)
    assert {"score", "verdict", "grader"} <= set(doc)
    assert doc["verdict"] != "correct"


@pytest.mark.slow
def test_transcribe_and_call_json(tmp_path, recall_home, db_path, sample_deck):
    wav = espeak_wav("Gated recurrent unit", tmp_path / "a.wav")
    doc = recall("transcribe", str(wav), "--model", "tiny.en", "--json", home=recall_home)
    assert doc["model"] == "tiny.en" and doc["text"]
    answers = tmp_path / "answers"
    answers.mkdir()
    espeak_wav("It decides what to remove from the cell state", answers / "1.wav")
    espeak_wav("The vanishing gradient problem", answers / "2.wav")
    turns = recall("--db", str(db_path), "call", "Sequence models", "--answers", str(answers), "--json",
                   "--limit", "2", "--model", "tiny.en", home=recall_home)  # fmt: skip
    assert isinstance(turns, list) and len(turns) == 2
    assert all(t["reply"] and t["verdict"] for t in turns)
