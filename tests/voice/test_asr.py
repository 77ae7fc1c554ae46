"""Whisper through the real tiny.en weights, on espeak-ng speech."""

from __future__ import annotations

import numpy as np
import pytest

from app.voice.asr import WhisperASR, whisper_language
from app.voice.audio import read_wav
from app.voice.wer import word_error_rate
from tests.voice.speech import needs_espeak

pytestmark = [pytest.mark.slow, needs_espeak]


def test_transcribes_a_spoken_answer_with_the_card_as_prompt(tiny_asr, say):
    answer = "The vanishing gradient problem"
    audio = read_wav(say(answer))
    result = tiny_asr.transcribe(audio, prompt="What problem do LSTMs address? " + answer, language="en")
    assert word_error_rate(answer, result.text) <= 0.25, result.text
    assert result.device == "cpu" and result.model == "tiny.en" and result.language == "en"
    assert result.audio_seconds == pytest.approx(len(audio) / 16000)
    assert "tiny.en" in tiny_asr.describe() and "CPU" in tiny_asr.describe()


def test_silence_is_not_sent_to_whisper(tiny_asr):
    result = tiny_asr.transcribe(np.zeros(16000, np.float32), prompt="Gated recurrent unit")
    assert result.text == "" and result.seconds == 0.0


def test_english_only_model_says_so_for_another_language(tiny_asr):
    before = len(tiny_asr.notices)
    result = tiny_asr.transcribe(np.zeros(8000, np.float32), language="fr")
    assert result.language == "en"
    assert "English only" in tiny_asr.notices[before]


def test_deck_languages_map_to_whisper_codes():
    assert whisper_language("en-US") == "en"
    assert whisper_language("fr_FR") == "fr"
    assert whisper_language("German") == "de"
    assert whisper_language("xx") is None and whisper_language("") is None


def test_gpu_out_of_memory_moves_whisper_to_the_cpu(tiny_asr, say):
    import torch

    class OneOomASR(WhisperASR):
        ooms = 0

        def _run(self, audio, prompt, language):
            if self._device == "cuda" and not self.ooms:
                self.ooms += 1
                raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 MiB")
            return super()._run(audio, prompt, language)

    asr = OneOomASR(model="tiny.en", warm_up=False)
    asr._model, asr._device, asr._name = tiny_asr._model, "cuda", "tiny.en"  # as if loaded on a GPU
    result = asr.transcribe(read_wav(say("Gated recurrent unit")), prompt="What does GRU stand for?")
    assert asr.ooms == 1 and result.device == "cpu" and asr.active_device == "cpu"
    assert any("ran out of memory" in n for n in asr.notices)
    assert word_error_rate("Gated recurrent unit", result.text) <= 0.34, result.text
