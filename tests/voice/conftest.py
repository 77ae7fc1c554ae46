from __future__ import annotations

from pathlib import Path

import pytest

from tests.voice.speech import espeak_wav, loaded_tiny_asr


@pytest.fixture(scope="session")
def say(tmp_path_factory):
    """say(text) -> a WAV of espeak-ng speaking it (made once per text per session)."""
    folder = tmp_path_factory.mktemp("speech")
    made: dict[str, Path] = {}

    def make(text: str) -> Path:
        if text not in made:
            made[text] = espeak_wav(text, folder / f"s{len(made):03d}.wav")
        return made[text]

    return make


@pytest.fixture(scope="session")
def tiny_asr(tmp_path_factory):
    return loaded_tiny_asr(tmp_path_factory.mktemp("asr-home"))
