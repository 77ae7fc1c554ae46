"""Text to speech behind a small interface, and audio playback.

`Pyttsx3TTS` drives pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSpeech on macOS) and
renders each reply to a WAV file, so "reply audio ready" is measurable and the audio can be
played, cancelled or saved. pyttsx3 engines are not thread-safe, so all engine calls run on
one private thread. `load_tts()` falls back to the espeak-ng program, then to no voice at all
(the call shows its replies as text).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from weakref import WeakSet

import numpy as np

from app.voice.audio import AudioFileError, load_wav


class TTSUnavailable(Exception):
    """No speech synthesiser works here; the message says why."""


class PlaybackUnavailable(Exception):
    """No audio output device; speech can still be shown as text."""


@dataclass(frozen=True)
class Speech:
    text: str
    audio: np.ndarray  # mono float32
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.rate if self.rate else 0.0


class TTS(Protocol):
    name: str

    def synthesize(self, text: str) -> Speech: ...

    def save(self, text: str, path: Path) -> None: ...


def _language_voice(engine, language: str | None) -> str | None:
    """The id of an installed voice for the deck's language, if there is one."""
    if not language:
        return None
    want = language.replace("_", "-").lower().split("-")[0]
    try:
        voices = engine.getProperty("voices") or []
    except Exception:  # some drivers cannot list voices
        return None
    for voice in voices:
        langs = [str(x).lower() for x in (getattr(voice, "languages", None) or [])]
        if any(lang.split("-")[0].split("_")[0].lstrip("\x05") == want for lang in langs):
            return voice.id
    return None


_live: WeakSet[Pyttsx3TTS] = WeakSet()


@atexit.register
def _close_engines() -> None:
    # pyttsx3's driver proxy fails in __del__ once the interpreter has torn modules down
    # ("'NoneType' object has no attribute 'suppress'"): drop the engines while it still works.
    for tts in list(_live):
        tts.close()
    gc.collect()


class Pyttsx3TTS:
    name = "pyttsx3"

    def __init__(self, language: str | None = None, rate_wpm: int = 175) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self._dir = Path(tempfile.mkdtemp(prefix="recall-tts-"))
        self._count = 0
        self._lock = threading.Lock()
        self._engine = self._pool.submit(self._init, language, rate_wpm).result()
        _live.add(self)

    def close(self) -> None:
        """Let go of the engine and the temp folder (also run for every live engine at exit)."""
        self._engine = None
        self._pool.shutdown(wait=False)
        shutil.rmtree(self._dir, ignore_errors=True)

    @staticmethod
    def _init(language: str | None, rate_wpm: int):
        try:
            import pyttsx3

            engine = pyttsx3.init()
            engine.setProperty("rate", rate_wpm)
            voice = _language_voice(engine, language)
            if voice:
                engine.setProperty("voice", voice)
            return engine
        except Exception as exc:  # ImportError, RuntimeError("could not initialize espeak"), OSError...
            raise TTSUnavailable(f"no speech engine ({exc})") from exc

    def _save_on_thread(self, text: str, path: Path) -> None:
        path.unlink(missing_ok=True)
        # pyttsx3's espeak driver prints "Audio saved to ..."; keep stdout clean for --json.
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()  # without this only the last queued file is ever written
        if not path.is_file() or path.stat().st_size <= 44:
            raise TTSUnavailable(f"the speech engine wrote no audio for {text[:40]!r}")

    def save(self, text: str, path: Path) -> None:
        self._pool.submit(self._save_on_thread, text, Path(path)).result()

    def synthesize(self, text: str) -> Speech:
        with self._lock:
            self._count += 1
            path = self._dir / f"say-{self._count % 4}.wav"  # a few rotating files; each is read at once
        self.save(text, path)
        audio, rate = load_wav(path)
        return Speech(text, audio, rate)


class EspeakCliTTS:
    """The espeak-ng program: the fallback when pyttsx3 cannot start."""

    name = "espeak-ng"

    def __init__(self, language: str | None = None, rate_wpm: int = 175) -> None:
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise TTSUnavailable("neither pyttsx3 nor the espeak-ng program is available")
        self._exe, self._rate = exe, rate_wpm
        self._voice = language.split("-")[0].lower() if language else None
        self._dir = Path(tempfile.mkdtemp(prefix="recall-tts-"))

    def save(self, text: str, path: Path) -> None:
        cmd = [self._exe, "-s", str(self._rate), "-w", str(path)]
        if self._voice:
            cmd += ["-v", self._voice]
        try:
            subprocess.run([*cmd, "--", text], check=True, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            raise TTSUnavailable(f"espeak-ng failed: {exc}") from exc

    def synthesize(self, text: str) -> Speech:
        path = self._dir / f"say-{threading.get_ident()}.wav"
        self.save(text, path)
        try:
            audio, rate = load_wav(path)
        except AudioFileError as exc:
            raise TTSUnavailable(str(exc)) from exc
        return Speech(text, audio, rate)


def load_tts(language: str | None = None, prefer: str = "auto") -> TTS:
    """pyttsx3, else the espeak-ng program; raises TTSUnavailable when neither works."""
    errors = []
    if prefer in ("auto", "pyttsx3"):
        try:
            return Pyttsx3TTS(language)
        except TTSUnavailable as exc:
            errors.append(str(exc))
    if prefer in ("auto", "espeak-ng"):
        try:
            return EspeakCliTTS(language)
        except TTSUnavailable as exc:
            errors.append(str(exc))
    raise TTSUnavailable("; ".join(errors) or f"unknown speech engine {prefer!r}")


# --- playback ----------------------------------------------------------------------------------------


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


_shared: dict[str | None, TTS] = {}
_shared_lock = threading.Lock()


def shared_tts(language: str | None = None) -> TTS:
    """One synthesiser per language per process: pyttsx3 hands every caller the same driver, so
    two engines on two threads would share it; one engine (with its one thread) avoids that."""
    with _shared_lock:
        if language not in _shared:
            _shared[language] = load_tts(language)
        return _shared[language]
