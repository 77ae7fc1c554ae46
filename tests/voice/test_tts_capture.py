from __future__ import annotations

import time

import numpy as np
import pytest

from app.voice import capture, tts
from app.voice.capture import CaptureUnavailable, FileSource, MicrophoneSource
from app.voice.tts import EspeakCliTTS, Pyttsx3TTS, TTSUnavailable, load_tts
from tests.voice.speech import needs_espeak


@needs_espeak
def test_pyttsx3_writes_every_reply_and_keeps_stdout_clean(capsys):
    engine = Pyttsx3TTS()
    first = engine.synthesize("Correct, well done.")
    second = engine.synthesize("Not quite. The answer is the vanishing gradient problem.")
    assert first.rate > 8000 and first.seconds > 0.5
    assert second.seconds > first.seconds  # a longer sentence, not the previous file again
    assert float(np.abs(second.audio).max()) > 0.05
    assert capsys.readouterr().out == ""


@needs_espeak
def test_falls_back_to_the_espeak_program_then_to_no_voice(monkeypatch):
    def broken(*_args):
        raise TTSUnavailable("no speech engine (could not initialize espeak)")

    monkeypatch.setattr(Pyttsx3TTS, "_init", staticmethod(broken))
    engine = load_tts()
    assert isinstance(engine, EspeakCliTTS)
    assert engine.synthesize("Hello").seconds > 0.2
    monkeypatch.setattr(tts.shutil, "which", lambda _name: None)
    with pytest.raises(TTSUnavailable, match="could not initialize espeak"):
        load_tts()


def test_no_microphone_is_reported_plainly(monkeypatch):
    import sounddevice as sd

    def no_device(*_args, **_kwargs):
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "query_devices", no_device)
    with pytest.raises(CaptureUnavailable, match="no microphone found"):
        MicrophoneSource().open()


def test_missing_portaudio_library_is_reported_plainly(monkeypatch):
    def missing():
        raise CaptureUnavailable("no microphone: the audio library is missing (PortAudio library not found)")

    monkeypatch.setattr(capture.MicrophoneSource, "_sounddevice", staticmethod(missing))
    with pytest.raises(CaptureUnavailable, match="audio library is missing"):
        MicrophoneSource().open()


def test_file_source_plays_blocks_then_silence_and_can_keep_real_time():
    audio = np.ones(1600, np.float32) * 0.1  # 0.1 s
    src = FileSource(audio, lead_silence_s=0.0, trail_silence_s=0.2, realtime=True)
    src.open()
    start = time.monotonic()
    blocks = []
    while not src.finished:
        block = src.read(0.05)
        if block is not None:
            blocks.append(block)
    elapsed = time.monotonic() - start
    joined = np.concatenate(blocks)
    assert len(joined) == pytest.approx(1600 + 3200, abs=480)
    assert np.allclose(joined[:1600], 0.1)
    assert elapsed >= 0.25  # 0.3 s of audio, paced
