"""Stand-in engines for dialogue tests: scripted recognition, a voice-like signal, a fixed grader."""

from __future__ import annotations

import numpy as np

from app.grader.base import Grade
from app.voice.asr import Transcript
from app.voice.tts import Speech


class ScriptedASR:
    """Returns the given texts in order, whatever it hears; records the prompts it was given."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = list(texts)
        self.prompts: list[str | None] = []
        self.notices: list[str] = []

    def load(self, progress=None) -> None:
        if progress:
            progress("Ready: scripted recogniser", 1.0)

    def describe(self) -> str:
        return "scripted"

    def transcribe(self, audio, *, prompt=None, language="en") -> Transcript:
        self.prompts.append(prompt)
        return Transcript(self.texts.pop(0), 0.01, len(audio) / 16000, "cpu", "scripted", language)


class ToneTTS:
    """A 'voice' that renders each text as a short tone; counts what it said."""

    name = "tone"

    def __init__(self) -> None:
        self.said: list[str] = []

    def synthesize(self, text: str) -> Speech:
        self.said.append(text)
        t = np.arange(1600) / 16000
        return Speech(text, (0.1 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 16000)

    def save(self, text, path) -> None:
        raise NotImplementedError


def voice_like(seconds: float = 0.6) -> np.ndarray:
    """A loud, voiced-sounding burst: enough for the VAD to hear an answer."""
    t = np.arange(int(16000 * seconds)) / 16000
    return (0.2 * np.sin(2 * np.pi * 180 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))).astype(np.float32)


class FixedGrader:
    name = "fixed"

    def __init__(self, verdict: str, score: float, missing: list[str] | None = None) -> None:
        self.result = Grade(score, verdict, missing or [], self.name)

    def grade(self, reference, answer, question=None, siblings=None) -> Grade:
        return self.result
