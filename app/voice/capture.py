"""Where the student's voice comes from: the microphone, or a file behind the same interface.

An `AudioSource` hands out short blocks (about 30 ms) of mono float32 audio. `read()` waits at
most `timeout` seconds, so the listener stays responsive to typed answers and cancellation;
`finished` turns true when a file has run out.
"""

from __future__ import annotations

import queue
import time
from pathlib import Path
from typing import Protocol

import numpy as np

from app.voice.audio import SAMPLE_RATE, read_wav

BLOCK_SECONDS = 0.03


class CaptureUnavailable(Exception):
    """No microphone can be opened; the message says why, so the user can type instead."""


class AudioSource(Protocol):
    rate: int
    realtime: bool  # True when blocks arrive at the pace of speech
    finished: bool

    def open(self) -> None: ...

    def read(self, timeout: float = 0.1) -> np.ndarray | None: ...

    def close(self) -> None: ...


class MicrophoneSource:
    """sounddevice (PortAudio) input, 16 kHz mono; blocks are queued by PortAudio's callback thread.

    A device that refuses 16 kHz is opened at its own rate; the listener resamples the answer.
    """

    realtime = True

    def __init__(self, device: int | str | None = None, rate: int = SAMPLE_RATE) -> None:
        self.device = device
        self.rate = rate
        self.finished = False
        self.overflows = 0
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stream = None

    @staticmethod
    def _sounddevice():
        try:
            import sounddevice as sd
        except OSError as exc:  # the PortAudio library itself is missing
            raise CaptureUnavailable(f"no microphone: the audio library is missing ({exc})") from exc
        return sd

    def _callback(self, indata, frames, _time, status) -> None:
        if status.input_overflow:
            self.overflows += 1
        self._queue.put(indata[:, 0].copy())

    def _start(self, sd, rate: int) -> None:
        self._stream = sd.InputStream(
            samplerate=rate,
            channels=1,
            dtype="float32",
            device=self.device,
            blocksize=int(rate * BLOCK_SECONDS),
            callback=self._callback,
        )
        self._stream.start()
        self.rate = rate

    def open(self) -> None:
        if self._stream is not None:
            return
        sd = self._sounddevice()
        try:
            info = sd.query_devices(self.device, kind="input")
        except (sd.PortAudioError, ValueError) as exc:
            raise CaptureUnavailable(f"no microphone found ({exc})") from exc
        try:
            self._start(sd, SAMPLE_RATE)
        except sd.PortAudioError:
            native = int(info.get("default_samplerate") or 0)
            if not native or native == SAMPLE_RATE:
                raise CaptureUnavailable("the microphone could not be opened") from None
            try:
                self._start(sd, native)
            except sd.PortAudioError as exc:
                raise CaptureUnavailable(f"the microphone could not be opened ({exc})") from exc

    def read(self, timeout: float = 0.1) -> np.ndarray | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            stream = self._stream
            if stream is not None and not stream.active:  # unplugged, or the server went away
                self.finished = True
            return None

    def drain(self) -> None:
        """Drop what was captured so far (the tutor's own voice while it was speaking)."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # closing a stream whose device vanished must not end the call
                pass


def input_devices() -> list[tuple[int, str]]:
    """The microphones PortAudio can open, as (device index, name); empty when there are none."""
    try:
        import sounddevice as sd

        devices = sd.query_devices()
    except Exception:  # OSError (no PortAudio), PortAudioError: no microphones to offer
        return []
    return [(i, str(d["name"])) for i, d in enumerate(devices) if int(d.get("max_input_channels", 0)) > 0]


class FileSource:
    """A recorded answer played into the listener as if spoken: blocks, then trailing silence.

    The trailing silence lets voice activity detection end the turn the same way as live; with
    `realtime=True` blocks are paced at the speed of speech (for demos and UI tests).
    """

    def __init__(
        self,
        audio: np.ndarray | str | Path,
        *,
        rate: int = SAMPLE_RATE,
        realtime: bool = False,
        lead_silence_s: float = 0.3,
        trail_silence_s: float = 1.5,
        noise: float = 1e-4,
    ) -> None:
        if isinstance(audio, (str, Path)):
            audio = read_wav(audio, rate)
        rng = np.random.default_rng(1)  # a faint, fixed hiss: real rooms are never digitally silent
        lead = rng.normal(0, noise, int(lead_silence_s * rate)).astype(np.float32)
        trail = rng.normal(0, noise, int(trail_silence_s * rate)).astype(np.float32)
        self._audio = np.concatenate([lead, np.asarray(audio, dtype=np.float32).reshape(-1), trail])
        self.rate = rate
        self.realtime = realtime
        self.finished = False
        self._pos = 0
        self._block = int(rate * BLOCK_SECONDS)
        self._t0: float | None = None

    def open(self) -> None:
        self._t0 = time.monotonic()

    def read(self, timeout: float = 0.1) -> np.ndarray | None:
        if self._pos >= len(self._audio):
            self.finished = True
            return None
        if self.realtime:
            if self._t0 is None:
                self._t0 = time.monotonic()
            due = self._t0 + (self._pos + self._block) / self.rate
            wait = due - time.monotonic()
            if wait > timeout:
                time.sleep(timeout)
                return None
            if wait > 0:
                time.sleep(wait)
        block = self._audio[self._pos : self._pos + self._block]
        self._pos += self._block
        return block

    def close(self) -> None:
        self.finished = True
