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


@pytest.fixture(scope="session")
def say_as(tmp_path_factory):
    """say_as(text, voice, rate_wpm) -> a WAV of espeak-ng speaking it in that voice ("en-gb+f3")."""
    import subprocess

    from tests.voice.speech import ESPEAK

    folder = tmp_path_factory.mktemp("voices")
    made: dict[tuple[str, str, int], Path] = {}

    def make(text: str, voice: str, rate_wpm: int = 160) -> Path:
        key = (text, voice, rate_wpm)
        if key not in made:
            path = folder / f"v{len(made):03d}.wav"
            subprocess.run([ESPEAK, "-v", voice, "-s", str(rate_wpm), "-w", str(path), "--", text],
                           check=True, capture_output=True)  # fmt: skip
            made[key] = path
        return made[key]

    return make
