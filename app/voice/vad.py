"""Voice activity detection: when did the student start, and when did they stop, talking?

Energy-based with an adaptive noise floor: a block is loud when its level is clearly above the
room's background, which is tracked while nobody speaks (it falls fast and rises slowly, so a
fan or hum is learned but speech is not). Speech starts after `start_ms` of loud blocks and the
turn ends after `end_silence_ms` of quiet, so a turn ends about 0.4 s after the speaker stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from app.voice.audio import SAMPLE_RATE, resample
from app.voice.capture import AudioSource


@dataclass(frozen=True)
class VadConfig:
    start_ms: int = 90  # loud this long before it counts as speech (a cough or click is shorter)
    # Quiet this long after speech ends the turn. 380: the live tail through a virtual mic is
    # 0.46 s median (550 gave 0.66); pauses of up to ~0.38 s inside an answer (espeak-ng commas
    # and colons reach 0.26 s) do not cut it. tests/bench/bench_vad_mic.py --sweep has the trade.
    end_silence_ms: int = 380
    pre_roll_ms: int = 300  # audio kept from before the detected start (soft first consonants)
    max_speech_s: float = 15.0  # the longest answer; the turn ends there
    no_speech_s: float | None = 10.0  # give up waiting for an answer after this (None: wait forever)
    # Above the floor: speech. 10, not 12: at 10 dB SNR (white noise) 12 missed 2 of 10 espeak-ng
    # answers outright; 10 hears all, and 6 s of that noise alone still starts nothing.
    on_margin_db: float = 10.0
    off_margin_db: float = 6.0  # back under floor + this: silence
    min_on_dbfs: float = -55.0  # never call anything quieter than this speech
    initial_floor_dbfs: float = -60.0
    calibrate_ms: int = 150  # the first blocks set the floor (nobody answers within 150 ms)


def level_dbfs(block: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64)))) if len(block) else 0.0
    return 20.0 * np.log10(max(rms, 1e-7))


def meter_level(dbfs: float) -> float:
    """0..1 for a level meter: -60 dBFS and below is empty, 0 dBFS full."""
    return float(min(1.0, max(0.0, (dbfs + 60.0) / 60.0)))


class EnergyVAD:
    """Feed blocks in order; `feed()` returns None while the turn goes on, else why it ended."""

    def __init__(self, config: VadConfig | None = None, rate: int = SAMPLE_RATE) -> None:
        self.config = config or VadConfig()
        self.rate = rate
        self.floor = self.config.initial_floor_dbfs
        self.samples = 0  # fed so far
        self.in_speech = False
        self.speech_start: int | None = None  # sample index
        self.speech_end: int | None = None  # last loud sample seen
        self._loud_run = 0  # samples
        self._loud_run_start = 0
        self._quiet_run = 0
        self.level = 0.0  # last block's meter level

    def _adapt(self, db: float) -> None:
        # Fall quickly to a quieter background, climb slowly towards a louder one.
        alpha = 0.3 if db < self.floor else 0.03
        self.floor += alpha * (db - self.floor)

    def feed(self, block: np.ndarray) -> str | None:
        cfg = self.config
        n = len(block)
        db = level_dbfs(block)
        self.level = meter_level(db)
        start = self.samples
        self.samples += n
        on = max(self.floor + cfg.on_margin_db, cfg.min_on_dbfs)
        off = max(self.floor + cfg.off_margin_db, cfg.min_on_dbfs - (cfg.on_margin_db - cfg.off_margin_db))
        if start < cfg.calibrate_ms * self.rate / 1000:
            # The room's background: the quietest block heard so far, however loud the room is.
            self.floor = db if start == 0 else min(self.floor, db)
            self.floor = min(self.floor, -20.0)
            return None
        if not self.in_speech:
            if db >= on:
                if self._loud_run == 0:
                    self._loud_run_start = start
                self._loud_run += n
                if self._loud_run >= cfg.start_ms * self.rate / 1000:
                    self.in_speech = True
                    self.speech_start = self._loud_run_start
                    self.speech_end = self.samples
                    self._quiet_run = 0
            else:
                self._loud_run = 0
                self._adapt(db)
                if cfg.no_speech_s is not None and self.samples >= cfg.no_speech_s * self.rate:
                    return "no_speech"
            return None
        if db >= off:
            self.speech_end = self.samples
            self._quiet_run = 0
        else:
            self._quiet_run += n
            if self._quiet_run >= cfg.end_silence_ms * self.rate / 1000:
                return "silence"
        if self.samples - (self.speech_start or 0) >= cfg.max_speech_s * self.rate:
            return "max_length"
        return None


@dataclass(frozen=True)
class Utterance:
    """One answer as heard: 16 kHz audio, why the turn ended, and when the speaker stopped."""

    audio: np.ndarray
    reason: str  # "silence", "max_length", "no_speech", "released" (push-to-talk), "ended", "cancelled"
    speech_ended_at: float  # time.monotonic() of the end of speech (see `listen`)
    end_of_turn_s: float  # how long after the speaker stopped the turn was ended

    @property
    def heard(self) -> bool:
        return self.reason in ("silence", "max_length", "released", "ended") and len(self.audio) > 0


def listen(
    source: AudioSource,
    config: VadConfig | None = None,
    *,
    on_level: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    push_to_talk: threading.Event | None = None,
    on_speech: Callable[[list[np.ndarray], int, int], None] | None = None,
) -> Utterance:
    """Capture one answer from an open source until the VAD ends the turn.

    With `push_to_talk` given, the VAD's end-of-silence rule is off: the turn ends when that
    event is cleared (the button is released). `speech_ended_at` is the wall-clock moment the
    speaker stopped: the moment the turn ended minus the silence heard since. For a file read
    faster than real time this is a simulated moment, so latencies still count the VAD's wait.
    `on_speech(blocks, speech_start, speech_end)` is called after each block while a turn is in
    speech (the blocks so far, where speech began, its last loud sample), for partial transcripts;
    it must be quick.
    """
    cfg = config or VadConfig()
    vad = EnergyVAD(cfg, source.rate)
    ptt = push_to_talk is not None
    if ptt:
        vad.config = replace(cfg, end_silence_ms=10**9, no_speech_s=None)
    blocks: list[np.ndarray] = []
    reason = "ended"
    while True:
        if cancel is not None and cancel.is_set():
            reason = "cancelled"
            break
        if ptt and not push_to_talk.is_set():
            reason = "released"
            break
        block = source.read(0.05)
        if block is None:
            if source.finished:
                reason = "ended" if vad.in_speech else "no_speech"
                break
            continue
        blocks.append(block)
        ended = vad.feed(block)
        if on_level is not None:
            on_level(vad.level)
        if ended:
            reason = ended
            break
        if on_speech is not None and vad.in_speech:
            on_speech(blocks, vad.speech_start or 0, vad.speech_end or 0)
    now = time.monotonic()
    audio = np.concatenate(blocks) if blocks else np.zeros(0, np.float32)
    if reason == "released":
        start = 0 if vad.speech_start is None else vad.speech_start
        speech_end = len(audio)
    elif vad.speech_start is None:
        audio = np.zeros(0, np.float32)
        return Utterance(audio, "no_speech" if reason != "cancelled" else reason, now, 0.0)
    else:
        start = vad.speech_start
        speech_end = vad.speech_end or len(audio)
    pre = int(cfg.pre_roll_ms * source.rate / 1000)
    tail = int(0.2 * source.rate)  # a little quiet after the last loud block: word endings are soft
    clip = audio[max(0, start - pre) : min(len(audio), speech_end + tail)]
    gap = (len(audio) - speech_end) / source.rate
    if source.rate != SAMPLE_RATE:
        clip = resample(clip, source.rate, SAMPLE_RATE)
    return Utterance(clip, reason, now - gap, gap)
