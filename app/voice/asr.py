"""Speech to text: openai-whisper behind a small interface.

`WhisperASR` loads its model once, lazily (`load()` may be called ahead from a worker thread,
with progress), on CUDA with fp16 when torch sees a GPU, else on the CPU in fp32. A GPU that
runs out of memory while loading or transcribing moves the model to the CPU and says so in
`notices`. Audio goes in as a 16 kHz mono float32 numpy array, so no ffmpeg is needed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from app.voice.models import DEFAULT_MODEL, ModelError, Progress, prepare, resolve
from app.voice.repetition import collapse_repeats, compression_ratio, looks_looped

SAMPLE_RATE = 16_000
_SILENCE_RMS = 1e-4  # below this there is nothing to hear; Whisper would only echo its prompt


@dataclass(frozen=True)
class Transcript:
    text: str
    seconds: float  # time spent transcribing
    audio_seconds: float
    device: str
    model: str
    language: str | None

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "seconds": round(self.seconds, 3),
            "audio_seconds": round(self.audio_seconds, 3),
            "device": self.device,
            "model": self.model,
            "language": self.language,
        }


class ASR(Protocol):
    """What the call needs from a speech recogniser."""

    def load(self, progress: Progress | None = None) -> None: ...

    def describe(self) -> str: ...

    def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, language: str | None = None
    ) -> Transcript: ...


def whisper_language(code: str | None) -> str | None:
    """A deck language ("en", "en-US", "fr_FR", "French") as Whisper's code, or None if unknown."""
    if not code:
        return None
    from whisper.tokenizer import LANGUAGES, TO_LANGUAGE_CODE

    c = code.strip().replace("_", "-").lower()
    short = c.split("-")[0]
    if short in LANGUAGES:
        return short
    return TO_LANGUAGE_CODE.get(c)


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def default_threads() -> int:
    """Leave a core to the window and the audio: on a shared 2-core machine torch's spinning
    OpenMP threads, two of them, made one transcription 5-10x slower than a single thread."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def set_cpu_threads(threads: int | None) -> None:
    import torch

    torch.set_num_threads(max(1, threads or default_threads()))


def torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def _is_oom(exc: BaseException) -> bool:
    import torch

    return isinstance(exc, torch.cuda.OutOfMemoryError) or "out of memory" in str(exc).lower()


@dataclass
class WhisperASR:
    """openai-whisper on a packaged model name or a user-picked model path."""

    model: str = DEFAULT_MODEL
    device: str = "auto"  # "auto", "cpu" or "cuda"
    beam_size: int | None = None  # None: greedy, the fastest
    threads: int | None = None  # CPU threads for torch; None: cpu_count - 1 (1..4)
    warm_up: bool = True
    notices: list[str] = field(default_factory=list)
    _model: object = field(default=None, repr=False)
    _device: str = field(default="", repr=False)
    _name: str = field(default="", repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def active_device(self) -> str:
        return self._device

    @property
    def model_name(self) -> str:
        return self._name or self.model

    @property
    def multilingual(self) -> bool:
        self.load()
        return bool(self._model.is_multilingual)

    def describe(self) -> str:
        if not self.loaded:
            return f"{self.model} (not loaded)"
        if self._device == "cuda":
            return f"Whisper {self._name} on CUDA (fp16)"
        n = torch_threads()
        return f"Whisper {self._name} on CPU (fp32, {n} thread{'s' if n > 1 else ''})"

    def _note(self, message: str, progress: Progress | None) -> None:
        self.notices.append(message)
        if progress:
            progress(message, None)

    def load(self, progress: Progress | None = None) -> None:
        """Check, convert (first time) and load the model. Safe to call from several threads."""
        with self._lock:
            if self._model is not None:
                return
            self._load_locked(progress)

    def _load_locked(self, progress: Progress | None) -> None:
        source = resolve(self.model)
        prepared = prepare(source, progress)
        if progress:
            progress(f"Loading {source.name} model", None)
        import torch  # noqa: F401  (heavy; only now)
        import whisper

        device = self.device
        if device == "auto":
            device = "cuda" if cuda_available() else "cpu"
        elif device == "cuda" and not cuda_available():
            self._note("No CUDA GPU found; transcribing on the CPU", progress)
            device = "cpu"
        try:
            model = whisper.load_model(str(prepared.checkpoint), device="cpu")
        except Exception as exc:  # a truncated or foreign .pt
            raise ModelError(f"cannot load Whisper model {source.name!r}: {exc}") from exc
        if prepared.alignment_heads:
            self._set_alignment_heads(model, prepared.alignment_heads)
        if device == "cuda":
            try:
                model = model.to("cuda")
            except Exception as exc:
                if not _is_oom(exc):
                    raise
                torch.cuda.empty_cache()
                self._note("The GPU ran out of memory loading Whisper; using the CPU instead", progress)
                device = "cpu"
        if device == "cpu":
            set_cpu_threads(self.threads)
        self._model, self._device, self._name = model, device, source.name
        if self.warm_up:
            if progress:
                progress("Warming up speech recognition", None)
            # The first decode allocates and tunes kernels; pay that now, not on the first answer.
            rng = np.random.default_rng(0)
            self._run(rng.normal(0, 0.01, SAMPLE_RATE).astype(np.float32), None, "en")
        if progress:
            progress(f"Ready: {self.describe()}", 1.0)

    @staticmethod
    def _set_alignment_heads(model, heads: tuple[tuple[int, int], ...]) -> None:
        import torch

        mask = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
        for layer, head in heads:
            if layer < mask.shape[0] and head < mask.shape[1]:
                mask[layer, head] = True
        model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

    def _run(self, audio: np.ndarray, prompt: str | None, language: str | None) -> str:
        import whisper

        options = {
            "language": language,
            "temperature": 0.0,  # no temperature fallback: answers are short, latency matters
            "condition_on_previous_text": False,
            "without_timestamps": True,
            "initial_prompt": prompt or None,
            "fp16": self._device == "cuda",
            "verbose": None,
        }
        if self.beam_size:
            options["beam_size"] = self.beam_size
        result = whisper.transcribe(self._model, audio, **options)
        text = str(result.get("text", "")).strip()
        if looks_looped(text):
            # A greedy loop: decode once more, sampling, without the prompt that can seed it
            # (whisper's own fallback, paid only when the loop is there), then cut what is left.
            options.update(temperature=0.4, initial_prompt=None)
            retry = str(whisper.transcribe(self._model, audio, **options).get("text", "")).strip()
            if compression_ratio(retry) < compression_ratio(text):
                text = retry
            text = collapse_repeats(text)
        return text

    def transcribe(
        self, audio: np.ndarray, *, prompt: str | None = None, language: str | None = "en"
    ) -> Transcript:
        """`language`: a Whisper code, or None to detect it. English-only models always use English."""
        self.load()
        audio = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        seconds = len(audio) / SAMPLE_RATE
        if not self._model.is_multilingual:
            if language not in (None, "en"):
                self._note(
                    f"{self._name} understands English only; pick the base model for {language!r}", None
                )
            language = "en"
        start = time.perf_counter()
        if len(audio) < SAMPLE_RATE // 10 or float(np.sqrt(np.mean(audio**2))) < _SILENCE_RMS:
            return Transcript("", 0.0, seconds, self._device, self._name, language)
        with self._lock:
            try:
                text = self._run(audio, prompt, language)
            except Exception as exc:
                if self._device != "cuda" or not _is_oom(exc):
                    raise
                import torch

                self._model = self._model.to("cpu")
                torch.cuda.empty_cache()
                set_cpu_threads(self.threads)
                self._device = "cpu"
                self._note("The GPU ran out of memory; Whisper now runs on the CPU", None)
                text = self._run(audio, prompt, language)
        return Transcript(text, time.perf_counter() - start, seconds, self._device, self._name, language)


_shared: dict[tuple[str, str], WhisperASR] = {}
_shared_lock = threading.Lock()


def shared_asr(model: str = DEFAULT_MODEL, device: str = "auto") -> WhisperASR:
    """One recogniser per (model, device) per process: a model is loaded once, however many calls."""
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    with _shared_lock:
        key = (model, device)
        if key not in _shared:
            _shared[key] = WhisperASR(model=model, device=device)
        return _shared[key]
