"""Partial transcripts: what the student has said so far, shown while they are still speaking.

`PartialTranscriber.feed` is the VAD's `on_speech` hook (see `app.voice.vad.listen`): it is cheap,
it only hands the audio so far to one worker thread about once a second of new speech. The worker
transcribes the newest request (older ones are dropped) and reports it, unless the utterance has
ended meanwhile (`end()`), so a late partial never overwrites the final transcript. Partials are
only made for live sources: a file read faster than real time is over before one would be shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from app.voice.audio import SAMPLE_RATE, resample

if TYPE_CHECKING:
    from app.voice.asr import ASR


class PartialTranscriber:
    def __init__(
        self,
        asr: ASR,
        emit: Callable[[str], None],
        *,
        prompt: Callable[[], str | None] = lambda: None,
        language: str | None = "en",
        every_s: float = 1.0,
        pre_roll_s: float = 0.3,
        quiet_s: float = 0.25,
        ready: Callable[[], bool] = lambda: True,  # False while the model is still loading
    ) -> None:
        self.asr, self.emit, self.prompt, self.language = asr, emit, prompt, language
        self.every_s, self.pre_roll_s, self.quiet_s, self.ready = every_s, pre_roll_s, quiet_s, ready
        self.made = 0  # partial transcripts reported (for tests and the bench)
        self.cost_s = 0.0  # how long the last partial took to transcribe
        self._cond = threading.Condition()
        self._generation = 0  # bumped by begin()/end(): results of an older utterance are dropped
        self._pending: tuple[int, np.ndarray] | None = None
        self._busy = False
        self._closed = False
        self._rate = SAMPLE_RATE
        self._counted = 0  # blocks summed into _total
        self._total = 0  # samples heard this utterance
        self._last_at = 0  # speech samples at the last request
        self._thread = threading.Thread(target=self._work, name="call-partials", daemon=True)
        self._thread.start()

    def begin(self, rate: int) -> None:
        """A new utterance starts (call before `listen`)."""
        with self._cond:
            self._generation += 1
            self._pending = None
        self._rate, self._counted, self._total, self._last_at = rate, 0, 0, 0

    def end(self) -> None:
        """The utterance ended: drop what is queued and whatever is being transcribed now."""
        with self._cond:
            self._generation += 1
            self._pending = None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._generation += 1
            self._pending = None
            self._cond.notify_all()

    def feed(self, blocks: list[np.ndarray], speech_start: int, speech_end: int) -> None:
        """The VAD's hook, on the listening thread: queue the speech so far every `every_s` of it,
        while the student is still talking (not in the quiet that is about to end the turn)."""
        for block in blocks[self._counted :]:
            self._total += len(block)
        self._counted = len(blocks)
        spoken = self._total - speech_start
        # At most half the time transcribing: on a slow machine partials thin out rather than
        # keep the model busy when the final transcript needs it.
        every = max(self.every_s, 2.0 * self.cost_s)
        if spoken - self._last_at < every * self._rate or self._total - speech_end > self.quiet_s * self._rate:
            return
        if not self.ready():
            return
        with self._cond:
            if self._busy:  # one at a time: the next request goes out once this one is back
                return
            self._last_at = spoken
            start = max(0, speech_start - int(self.pre_roll_s * self._rate))
            audio = np.concatenate(blocks)[start:]
            if self._rate != SAMPLE_RATE:
                audio = resample(audio, self._rate, SAMPLE_RATE)
            self._pending = (self._generation, audio)
            self._cond.notify_all()

    def _work(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                generation, audio = self._pending
                self._pending = None
                self._busy = True
            started = time.perf_counter()
            try:
                text = self.asr.transcribe(audio, prompt=self.prompt(), language=self.language).text
            except Exception:  # a partial is a courtesy: the final transcript reports failures
                text = ""
            self.cost_s = time.perf_counter() - started
            with self._cond:  # reported under the lock, so end() cannot slip in between
                self._busy = False
                if generation == self._generation and text:
                    self.made += 1
                    self.emit(text)
