"""Helpers the voice, command-line and UI tests share: espeak-ng speech and one loaded tiny.en."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.environ import environ

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")


def espeak_wav(text: str, path: Path, rate_wpm: int = 160) -> Path:
    """Speech for `text` as a WAV file (22.05 kHz mono, as espeak-ng writes it)."""
    subprocess.run(
        [ESPEAK, "-s", str(rate_wpm), "-w", str(path), "--", text], check=True, capture_output=True
    )
    return path


def loaded_tiny_asr(home: Path):
    """The process-wide tiny.en recogniser on the CPU, loaded with its cache under `home`."""
    from app.voice.asr import shared_asr

    asr = shared_asr("tiny.en", "cpu")
    if not asr.loaded:
        with environ(RECALL_HOME=str(home)):
            asr.load()
    return asr
