from __future__ import annotations

import threading

import numpy as np
import pytest

from app.voice.audio import read_wav
from app.voice.capture import FileSource
from app.voice.vad import EnergyVAD, VadConfig, listen, meter_level
from tests.voice.speech import needs_espeak


def _in_noise(speech: np.ndarray, noise_rms: float, pad_s: float = 1.0) -> np.ndarray:
    rng = np.random.default_rng(3)
    pad = int(pad_s * 16000)
    out = rng.normal(0, noise_rms, len(speech) + 3 * pad).astype(np.float32)
    out[pad : pad + len(speech)] += speech
    return out


@needs_espeak
@pytest.mark.parametrize("noise", [0.0, 0.003, 0.02])
def test_turn_ends_within_0_7_s_of_the_speaker_stopping(say, noise):
    speech = read_wav(say("Two: the update gate and the reset gate"))
    audio = _in_noise(speech, noise) if noise else speech
    levels = []
    src = FileSource(audio, lead_silence_s=0 if noise else 0.3)
    src.open()
    heard = listen(src, on_level=levels.append)
    assert heard.reason == "silence" and heard.heard
    assert 0.3 < heard.end_of_turn_s <= 0.7
    # The clip holds the whole answer (colon pause included) and not much else.
    assert len(speech) / 16000 - 0.1 < len(heard.audio) / 16000 < len(speech) / 16000 + 0.8
    assert max(levels) > 0.5 and max(levels) - min(levels) > 0.3  # the meter follows the voice


def test_nothing_said_is_no_speech():
    src = FileSource(np.zeros(16000, np.float32))
    src.open()
    heard = listen(src)
    assert heard.reason == "no_speech" and not heard.heard and len(heard.audio) == 0


def test_waiting_gives_up_after_no_speech_s():
    vad = EnergyVAD(VadConfig(no_speech_s=1.0))
    block = np.full(480, 1e-4, np.float32)
    ends = [vad.feed(block) for _ in range(40)]
    assert "no_speech" in ends and ends.index("no_speech") == pytest.approx(33, abs=1)


def test_an_endless_answer_stops_at_the_maximum_length():
    t = np.arange(16000 * 6) / 16000
    hum = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    src = FileSource(hum)
    src.open()
    heard = listen(src, VadConfig(max_speech_s=2.0))
    assert heard.reason == "max_length"
    assert 2.0 <= len(heard.audio) / 16000 <= 2.6


def test_a_click_is_not_speech():
    vad = EnergyVAD()
    quiet = np.full(480, 1e-4, np.float32)
    for _ in range(10):
        vad.feed(quiet)
    vad.feed(np.full(480, 0.5, np.float32))  # 30 ms
    for _ in range(10):
        vad.feed(quiet)
    assert not vad.in_speech


def test_push_to_talk_ends_on_release_and_cancel_ends_at_once():
    t = np.arange(16000 * 3) / 16000
    voice = (0.2 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)
    held = threading.Event()  # never set: the button is already released
    src = FileSource(voice)
    src.open()
    assert listen(src, push_to_talk=held).reason == "released"
    cancel = threading.Event()
    cancel.set()
    src = FileSource(voice)
    src.open()
    assert listen(src, cancel=cancel).reason == "cancelled"


def test_meter_level_scale():
    assert meter_level(-80) == 0.0 and meter_level(0) == 1.0 and meter_level(-30) == pytest.approx(0.5)
