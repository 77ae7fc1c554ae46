"""Rendering speech to WAV through pyttsx3's espeak-ng binding, finished by construction.

pyttsx3 2.99's espeak driver runs espeak-ng asynchronously, and its state machine races: its
runAndWait() returns before the WAV is written, it cancels a new utterance while espeak still
reports the last one as playing, and a cancelled utterance's late "terminated" event writes an
empty file under the next one's name. So on espeak (Linux) Recall keeps pyttsx3 for the engine
(initialising espeak, listing and choosing voices) and drives the binding's synthesis itself:
every utterance is tagged with its own id (espeak's `user_data`), only audio carrying that id is
kept, and the call returns when espeak reports that utterance's end. One renderer per process,
because espeak-ng has one synthesis callback per process.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path

ESPEAK_RATE = 22_050  # espeak-ng's output rate for its own voices


class EspeakRenderError(Exception):
    pass


@dataclass
class _Job:
    token: int
    chunks: list[bytes] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


class EspeakRenderer:
    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak

        self._e = _espeak
        self._lock = threading.Lock()  # one utterance at a time: espeak-ng is one global synthesiser
        self._job: _Job | None = None
        self._ids = itertools.count(1)
        _espeak.SetSynthCallback(self._on_synth)

    def _on_synth(self, wav, numsamples: int, events) -> int:
        # espeak's thread. Every event of a callback belongs to the utterance whose audio it carries.
        job, token, ended, i = self._job, None, False, 0
        while True:
            event = events[i]
            if token is None:
                token = event.user_data
            if event.type == self._e.EVENT_LIST_TERMINATED:
                break
            if event.type == self._e.EVENT_MSG_TERMINATED:
                ended = True
            i += 1
        if job is None or token != job.token:
            return 0  # audio of an utterance nobody waits for (cancelled after a timeout)
        if numsamples > 0 and wav:
            job.chunks.append(ctypes.string_at(wav, numsamples * ctypes.sizeof(ctypes.c_short)))
        if ended:
            job.done.set()
        return 0

    def render(self, text: str, path: Path, *, voice: str | None, rate_wpm: int | None, timeout: float) -> None:
        """Speak `text` into the WAV file `path`; returns once espeak reported its end and the file is closed."""
        with self._lock:
            # Every pyttsx3 espeak driver that gets built (a new engine after the last was collected)
            # takes espeak's one callback for itself; take it back before each utterance.
            self._e.SetSynthCallback(self._on_synth)
            if voice:
                self._e.SetVoiceByName(str(voice).encode("utf-8"))
            if rate_wpm:
                self._e.SetParameter(self._e.RATE, int(rate_wpm), 0)
            job = _Job(next(self._ids))
            self._job = job
            try:
                rc = self._e.Synth(
                    text.encode("utf-8"), flags=self._e.ENDPAUSE | self._e.CHARS_UTF8,
                    user_data=ctypes.c_void_p(job.token),
                )  # fmt: skip
                if rc not in (0, None):
                    raise EspeakRenderError(f"espeak-ng refused the text (error {rc})")
                if not job.done.wait(timeout):
                    self._e.Cancel()
                    raise EspeakRenderError(f"espeak-ng did not finish {text[:40]!r} in {timeout:.0f} s")
            finally:
                self._job = None
        data = b"".join(job.chunks)
        if not data:
            raise EspeakRenderError(f"espeak-ng produced no audio for {text[:40]!r}")
        # Written beside and renamed, so a reader never sees half a file.
        tmp = path.with_name(path.name + ".part")
        with wave.open(str(tmp), "wb") as wf:
            wf.setnchannels(1)
            wf.setsampwidth(2)
            wf.setframerate(ESPEAK_RATE)
            wf.writeframes(data)
        os.replace(tmp, path)


_renderer: EspeakRenderer | None = None
_renderer_lock = threading.Lock()


def espeak_renderer() -> EspeakRenderer:
    """The process's renderer (pyttsx3 must already have initialised espeak)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = EspeakRenderer()
        return _renderer
