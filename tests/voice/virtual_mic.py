"""A private PulseAudio server with a virtual microphone, for the capture test and the VAD bench.

A null sink `vmic_sink` has its monitor remapped to the default source `vmic`: whatever is played
to the sink with paplay is what the app's MicrophoneSource (sounddevice/PortAudio through ALSA's
pulse plugin) records.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.environ import environ

TOOLS = ("pulseaudio", "pactl", "paplay")
INSTALL_HINT = "apt-get install pulseaudio pulseaudio-utils libasound2-plugins"


def missing_tools() -> list[str]:
    """The PulseAudio programs the virtual microphone needs that are not on PATH."""
    return [t for t in TOOLS if shutil.which(t) is None]


def _stop(server: subprocess.Popen) -> None:
    server.terminate()  # our own server, by its pid
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@contextlib.contextmanager
def virtual_mic(folder: Path, start_timeout_s: float = 30.0) -> Iterator[Callable[[Path], subprocess.Popen]]:
    """Yields play(path) -> the paplay process feeding that WAV to the default source.

    Points this process's PortAudio at the private server (XDG_RUNTIME_DIR, PULSE_SERVER) for the
    duration and restores both afterwards. Raises RuntimeError when the server does not start.
    """
    import sounddevice as sd

    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"HOME": str(folder), "XDG_RUNTIME_DIR": str(runtime), "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--log-target=stderr",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=spk"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def pactl(*args: str) -> None:
        subprocess.run(["pactl", *args], env=env, check=True, capture_output=True, timeout=10)

    try:
        # polled, not slept: the server is up when pactl can talk to it (slow machines take longer)
        deadline = time.monotonic() + start_timeout_s
        while True:
            try:
                pactl("info")
                break
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the PulseAudio server did not start") from None
                time.sleep(0.1)
        pactl("load-module", "module-null-sink", "sink_name=vmic_sink", "rate=16000", "channels=1")
        pactl("load-module", "module-remap-source", "master=vmic_sink.monitor", "source_name=vmic")
        pactl("set-default-source", "vmic")

        def play(path: Path) -> subprocess.Popen:
            return subprocess.Popen(["paplay", "--device=vmic_sink", str(path)], env=env)

        with environ(XDG_RUNTIME_DIR=str(runtime), PULSE_SERVER=f"unix:{runtime}/pulse/native"):
            sd._terminate()  # PortAudio lists devices when it starts: restart it to see the new server
            sd._initialize()
            yield play
    finally:
        _stop(server)
        sd._terminate()  # and once more, back on the environment it was started with
        sd._initialize()
