"""Text to speech behind a small interface.

`Pyttsx3TTS` drives pyttsx3 (espeak-ng on Linux, SAPI5 on Windows, NSSpeech on macOS) and renders
each reply to a WAV file, so "reply audio ready" is measurable and the audio can be played,
cancelled or saved. pyttsx3 engines are not thread-safe, so every engine call, and the read of the
file it wrote, runs on one private thread; replies queued while one is being made wait their turn.

Finished means finished: pyttsx3 2.99's espeak driver returns from `runAndWait()` as soon as
synthesis has *started* and writes the WAV later from espeak's thread, so on espeak-ng the
utterance is rendered through the binding with its own end-of-utterance signal
(`app.voice.espeak_render`); SAPI5 and NSSpeech write inside `runAndWait()`. Either way the file
is then checked to be a complete WAV (`wav_problem`). `load_tts()` falls back to
the espeak-ng program, then to no voice at all (the call shows its replies as text).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
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

from app.stdio import library_output
from app.voice.audio import AudioFileError, load_wav, wav_problem
from app.voice.playback import PlaybackUnavailable, Player, SilentPlayer, SoundDevicePlayer

__all__ = [
    "TTS", "EspeakCliTTS", "PlaybackUnavailable", "Player", "Pyttsx3TTS", "SilentPlayer",
    "SoundDevicePlayer", "Speech", "TTSUnavailable", "load_tts", "shared_tts",
]  # fmt: skip


class TTSUnavailable(Exception):
    """No speech synthesiser works here; the message says why."""


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


def finish_timeout(text: str) -> float:
    """How long a save may take before the engine is declared stuck.

    Not a synchronisation device (saves wait for the engine's own "finished" report); only the bound
    after which a hung engine becomes a message. Generous, for slow and loaded machines."""
    return 60.0 + 2.0 * len(text.split())


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


def _read_speech(text: str, path: Path) -> Speech:
    """The WAV an engine just wrote, as Speech; an unreadable file means the voice failed."""
    try:
        audio, rate = load_wav(path)
    except AudioFileError as exc:
        raise TTSUnavailable(str(exc)) from exc
    return Speech(text, audio, rate)


class Pyttsx3TTS:
    name = "pyttsx3"

    def __init__(self, language: str | None = None, rate_wpm: int = 175, voice: str | None = None) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")
        self._dir = Path(tempfile.mkdtemp(prefix="recall-tts-"))
        self._count = 0
        self._lock = threading.Lock()
        self._rate = rate_wpm
        self._engine = self._pool.submit(self._init, language, rate_wpm, voice).result()
        driver = getattr(getattr(self._engine, "proxy", None), "_driver", None)
        self._espeak = None
        if type(driver).__module__.endswith(".espeak"):
            from app.voice.espeak_render import espeak_renderer

            # See app/voice/espeak_render.py: the driver's own save path races; the binding does not.
            self._espeak = espeak_renderer()
            self._voice = self._engine.getProperty("voice")
        _live.add(self)

    def close(self) -> None:
        """Let go of the engine and the temp folder (also run for every live engine at exit)."""
        self._engine = None
        self._pool.shutdown(wait=False)
        shutil.rmtree(self._dir, ignore_errors=True)

    @staticmethod
    def _init(language: str | None, rate_wpm: int, voice: str | None):
        try:
            import pyttsx3

            with library_output():
                engine = pyttsx3.init()
                engine.setProperty("rate", rate_wpm)
                chosen = voice or _language_voice(engine, language)
                if chosen:
                    engine.setProperty("voice", chosen)
            return engine
        except Exception as exc:  # ImportError, RuntimeError("could not initialize espeak"), OSError...
            raise TTSUnavailable(f"no speech engine ({exc})") from exc

    def _render(self, text: str, path: Path) -> None:
        """Runs on the engine's thread: write `path` and return once it is complete."""
        if self._engine is None:
            raise TTSUnavailable("the speech engine was closed")
        path.unlink(missing_ok=True)
        if self._espeak is not None:
            from app.voice.espeak_render import EspeakRenderError

            try:
                self._espeak.render(text, path, voice=self._voice, rate_wpm=self._rate,
                                    timeout=finish_timeout(text))  # fmt: skip
            except (EspeakRenderError, OSError) as exc:
                raise TTSUnavailable(str(exc)) from exc
        else:
            # SAPI5 and NSSpeechSynthesizer write the file inside runAndWait(): it returns when done.
            try:
                with library_output():
                    self._engine.save_to_file(text, str(path))
                    self._engine.runAndWait()  # without this only the last queued file is ever written
            except Exception as exc:  # the driver raised mid-utterance
                self._reset_loop()
                raise TTSUnavailable(f"the speech engine failed ({exc})") from exc
        problem = wav_problem(path)
        if problem:
            raise TTSUnavailable(f"the speech engine wrote an incomplete file: {problem}")

    def _reset_loop(self) -> None:
        # A driver that raised inside runAndWait leaves the engine marked "in loop", which would
        # refuse every later reply; the next reply must be able to try the voice again.
        with contextlib.suppress(Exception):
            self._engine.stop()
        if self._engine is not None and hasattr(self._engine, "_inLoop"):
            self._engine._inLoop = False

    def save(self, text: str, path: Path) -> None:
        self._pool.submit(self._render, text, Path(path)).result()

    def _synthesize_on_thread(self, text: str, path: Path) -> Speech:
        self._render(text, path)
        return _read_speech(text, path)

    def synthesize(self, text: str) -> Speech:
        with self._lock:
            self._count += 1
            path = self._dir / f"say-{self._count % 4}.wav"
        # Written and read on the engine's thread, so a queued reply cannot overwrite it first.
        return self._pool.submit(self._synthesize_on_thread, text, path).result()


class EspeakCliTTS:
    """The espeak-ng program: the fallback when pyttsx3 cannot start."""

    name = "espeak-ng"

    def __init__(self, language: str | None = None, rate_wpm: int = 175, voice: str | None = None) -> None:
        exe = shutil.which("espeak-ng") or shutil.which("espeak")
        if exe is None:
            raise TTSUnavailable("neither pyttsx3 nor the espeak-ng program is available")
        self._exe, self._rate = exe, rate_wpm
        self._voice = voice or (language.split("-")[0].lower() if language else None)
        self._dir = Path(tempfile.mkdtemp(prefix="recall-tts-"))

    def save(self, text: str, path: Path) -> None:
        cmd = [self._exe, "-s", str(self._rate), "-w", str(path)]
        if self._voice:
            cmd += ["-v", self._voice]
        try:
            # The program exits once the file is closed: complete by construction.
            subprocess.run([*cmd, "--", text], check=True, capture_output=True, timeout=finish_timeout(text))
        except (OSError, subprocess.SubprocessError) as exc:
            raise TTSUnavailable(f"espeak-ng failed: {exc}") from exc
        problem = wav_problem(path)
        if problem:
            raise TTSUnavailable(f"espeak-ng wrote an incomplete file: {problem}")

    def synthesize(self, text: str) -> Speech:
        path = self._dir / f"say-{threading.get_ident()}.wav"
        self.save(text, path)
        return _read_speech(text, path)


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


_shared: dict[str | None, TTS] = {}
_shared_lock = threading.Lock()


def shared_tts(language: str | None = None) -> TTS:
    """One synthesiser per language per process: pyttsx3 hands every caller the same driver, so
    two engines on two threads would share it; one engine (with its one thread) avoids that."""
    with _shared_lock:
        if language not in _shared:
            _shared[language] = load_tts(language)
        return _shared[language]
