"""Busy CPUs for the tests that must hold on a loaded machine (CI machines can be 3-4x slower)."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from app.voice.audio import load_wav, wav_problem

LONG_REPLY = (
    "Not quite. You said the ribosome, but the answer is the mitochondria, the organelle that makes most "
    "of the cell's energy by turning glucose and oxygen into adenosine triphosphate. A hint for next time: "
    "think of the powerhouse of the cell, with its folded inner membrane called the cristae, where the "
    "electron transport chain runs. Let's move on to the next question now, and come back to this one later."
)


def _spin(stop) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


@contextlib.contextmanager
def busy_cpus(n: int | None = None) -> Iterator[None]:
    """One spinning worker process per core (at least two) until the block ends."""
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    procs = [ctx.Process(target=_spin, args=(stop,), daemon=True) for _ in range(n or max(2, os.cpu_count() or 2))]
    for p in procs:
        p.start()
    try:
        yield
    finally:
        stop.set()
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()


def check_speech_file(path: Path, text: str, rate_wpm: int = 175) -> float:
    """Assert `path` is a complete, audible WAV whose length fits `text`; returns its seconds."""
    problem = wav_problem(path)
    assert problem is None, problem
    audio, rate = load_wav(path)
    seconds = len(audio) / rate
    assert float(np.sqrt(np.mean(audio**2))) > 0.01, f"{path.name} is silent"
    words = len(text.split())
    expected = words / rate_wpm * 60
    # espeak-ng's pauses and word lengths vary; a cut-off file is far shorter than half.
    assert 0.5 * expected <= seconds <= 2.5 * expected + 1.0, f"{seconds:.1f} s for {words} words"
    return seconds
