"""The real capture path end to end: PulseAudio virtual microphone -> sounddevice -> VAD -> Whisper."""

from __future__ import annotations

import threading
import time

import pytest

from app.voice.capture import MicrophoneSource
from app.voice.vad import listen
from app.voice.wer import word_error_rate
from tests.voice.speech import needs_espeak
from tests.voice.virtual_mic import INSTALL_HINT, missing_tools
from tests.voice.virtual_mic import virtual_mic as start_virtual_mic

pytestmark = [
    pytest.mark.virtualmic,
    pytest.mark.slow,
    needs_espeak,
    pytest.mark.skipif(
        bool(missing_tools()),
        reason=f"PulseAudio is not installed ({INSTALL_HINT})",
    ),
]


@pytest.fixture
def virtual_mic(tmp_path):
    """A private PulseAudio server whose default source is fed by whatever is played to vmic_sink."""
    try:
        with start_virtual_mic(tmp_path) as play:
            yield play
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_an_answer_spoken_into_a_virtual_microphone_is_heard_and_transcribed(virtual_mic, say, tiny_asr):
    answer = "Two: the update gate and the reset gate"
    mic = MicrophoneSource()
    mic.open()
    cancel = threading.Event()
    timer = threading.Timer(20, cancel.set)  # never hang the suite if audio does not arrive
    timer.start()
    try:
        time.sleep(0.4)  # the student starts a moment after the line opens, as people do
        player = virtual_mic(say(answer))
        heard = listen(mic, cancel=cancel)
        player.wait(timeout=10)
    finally:
        timer.cancel()
        mic.close()
    assert heard.reason == "silence", heard.reason
    assert heard.end_of_turn_s <= 0.7
    assert 2.0 < len(heard.audio) / 16000 < 4.5
    text = tiny_asr.transcribe(heard.audio, prompt="How many gates does a GRU have? " + answer).text
    assert word_error_rate(answer, text) <= 0.35, text
