"""Playing synthesised speech: a silent player for the command line and tests, and sounddevice."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.voice.tts import Speech


class PlaybackUnavailable(Exception):
    """No audio output device; speech can still be shown as text."""



class Player(Protocol):
    def play(self, speech: Speech, stop: threading.Event) -> None: ...


class SilentPlayer:
    """Plays nothing: for the command line, tests, and machines without speakers."""

    def play(self, speech: Speech, stop: threading.Event) -> None:
        return None


class SoundDevicePlayer:
    """Plays through the default output with sounddevice; returns when done or when `stop` is set."""

    def __init__(self, device: int | str | None = None) -> None:
        try:
            import sounddevice as sd

            sd.query_devices(device, kind="output")
        except Exception as exc:  # OSError (no PortAudio), PortAudioError, ValueError (no device)
            raise PlaybackUnavailable(f"no audio output ({exc})") from exc
        self._sd, self._device = sd, device

    def play(self, speech: Speech, stop: threading.Event) -> None:
        if not len(speech.audio):
            return
        done = threading.Event()
        pos = 0
        data = speech.audio.reshape(-1, 1)

        def callback(outdata, frames, _time, _status):
            nonlocal pos
            chunk = data[pos : pos + frames]
            outdata[: len(chunk)] = chunk
            outdata[len(chunk) :] = 0
            pos += frames
            if pos >= len(data):
                raise self._sd.CallbackStop

        try:
            with self._sd.OutputStream(
                samplerate=speech.rate,
                channels=1,
                dtype="float32",
                device=self._device,
                callback=callback,
                finished_callback=done.set,
            ):
                while not done.wait(0.05):
                    if stop.is_set():
                        break
        except Exception as exc:
            raise PlaybackUnavailable(f"cannot play audio ({exc})") from exc
