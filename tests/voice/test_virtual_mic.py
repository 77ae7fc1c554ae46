"""The real capture path end to end: PulseAudio virtual microphone -> sounddevice -> VAD -> Whisper."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import pytest

from app.voice.capture import MicrophoneSource
from app.voice.vad import listen
from app.voice.wer import word_error_rate
from tests.voice.speech import needs_espeak

TOOLS = ("pulseaudio", "pactl", "paplay")
pytestmark = [
    pytest.mark.virtualmic,
    pytest.mark.slow,
    needs_espeak,
    pytest.mark.skipif(
        any(shutil.which(t) is None for t in TOOLS),
        reason="PulseAudio is not installed (apt-get install pulseaudio pulseaudio-utils libasound2-plugins)",
    ),
]


@pytest.fixture
def virtual_mic(tmp_path, monkeypatch):
    """A private PulseAudio server whose default source is fed by whatever is played to vmic_sink."""
    import sounddevice as sd

    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=spk"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def pactl(*args: str) -> None:
        subprocess.run(["pactl", *args], env=env, check=True, capture_output=True, timeout=10)

    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                pactl("info")
                break
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the PulseAudio server did not start")
                time.sleep(0.1)
        pactl("load-module", "module-null-sink", "sink_name=vmic_sink", "rate=16000", "channels=1")
        pactl("load-module", "module-remap-source", "master=vmic_sink.monitor", "source_name=vmic")
        pactl("set-default-source", "vmic")
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
        monkeypatch.setenv("PULSE_SERVER", f"unix:{runtime}/pulse/native")
        sd._terminate()  # PortAudio lists devices when it starts: restart it to see the new server
        sd._initialize()

        def play(path) -> subprocess.Popen:
            return subprocess.Popen(["paplay", "--device=vmic_sink", str(path)], env=env)

        yield play
    finally:
        server.terminate()  # our own server, by its pid
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        sd._terminate()
        sd._initialize()


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
