"""`recall transcribe`, `recall say` and `recall call` in-process, on espeak-ng speech and tiny.en."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.voice.audio import load_wav
from app.voice.wer import word_error_rate
from tests.voice.speech import espeak_wav, loaded_tiny_asr, needs_espeak

pytestmark = needs_espeak


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return loaded_tiny_asr(tmp_path_factory.mktemp("asr-home"))


@pytest.mark.slow
def test_transcribe_json(tiny, tmp_path, capsys):
    wav = espeak_wav("Gated recurrent unit", tmp_path / "a.wav")
    assert (
        main(["transcribe", str(wav), "--model", "tiny.en", "--json", "--prompt", "What does GRU stand for?"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert {"text", "seconds", "device", "model"} <= set(doc)
    assert doc["device"] == "cpu" and doc["model"] == "tiny.en" and doc["seconds"] > 0
    assert word_error_rate("Gated recurrent unit", doc["text"]) <= 0.34, doc["text"]


def test_transcribe_refuses_unreadable_files(tmp_path, capsys):
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio")
    assert main(["transcribe", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("recall: ") and "bad.wav: not a readable PCM WAV" in err and "Traceback" not in err


def test_transcribe_unknown_model_is_one_line(tmp_path, capsys):
    wav = espeak_wav("hello", tmp_path / "a.wav")
    assert main(["transcribe", str(wav), "--model", "large-v9"]) == 1
    assert "no Whisper model 'large-v9'" in capsys.readouterr().err


def test_say_writes_speech(tmp_path, capsys):
    out = tmp_path / "hello.wav"
    assert main(["say", "Hello, ready for your call?", "-o", str(out)]) == 0
    audio, rate = load_wav(out)
    assert len(audio) / rate > 0.8 and float(abs(audio).max()) > 0.05
    assert capsys.readouterr().out == ""
    assert main(["say", "hi", "-o", str(tmp_path / "nope" / "x.wav")]) == 1


@pytest.mark.slow
def test_call_with_recorded_answers_prints_one_object_per_turn(tiny, db_path, sample_deck, tmp_path, capsys):
    answers = tmp_path / "answers"
    answers.mkdir()
    espeak_wav("It decides what to remove from the cell state", answers / "01.wav")
    espeak_wav("skip", answers / "02.wav")
    rc = main(["--db", str(db_path), "call", "Sequence models", "--answers", str(answers), "--json",
               "--model", "tiny.en", "--grader", "lexical"])  # fmt: skip
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    turns = json.loads(captured.out)
    assert len(turns) == 2
    for t in turns:
        assert {"question", "transcript", "verdict", "score", "reply", "timings"} <= set(t)
        assert set(t["timings"]) == {"to_transcript_s", "to_verdict_s", "to_reply_s"}
    assert turns[0]["question"] == "What does the forget gate do?" and turns[0]["verdict"] == "correct"
    assert turns[1]["question"] == "What problem do LSTMs address?" and turns[1]["command"] == "skip"
    assert turns[1]["verdict"] is None and turns[1]["reply"].startswith("Skipped. The answer was")


def test_call_errors_are_one_line(db_path, sample_deck, tmp_path, capsys):
    assert main(["--db", str(db_path), "call", "Sequence models", "--answers", str(tmp_path / "none")]) == 1
    assert "no folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--db", str(db_path), "call", "Sequence models", "--answers", str(empty)]) == 1
    assert "no .wav files" in capsys.readouterr().err
    (empty / "1.wav").write_bytes(b"RIFF....")
    assert main(["--db", str(db_path), "call", "Sequence models", "--answers", str(empty)]) == 1
    assert "1.wav: not a readable PCM WAV" in capsys.readouterr().err
    espeak_wav("hello", empty / "1.wav")
    assert main(["--db", str(db_path), "call", "No such deck", "--answers", str(empty)]) == 1
    assert "no deck named 'No such deck'" in capsys.readouterr().err
