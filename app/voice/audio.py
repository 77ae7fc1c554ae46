"""WAV files in and out, and a band-limited resampler: stdlib `wave` + numpy, no ffmpeg."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000


class AudioFileError(Exception):
    """An audio file that cannot be read; the message names the file and the reason."""


def resample(audio: np.ndarray, src_rate: int, dst_rate: int = SAMPLE_RATE, taps: int = 16) -> np.ndarray:
    """Windowed-sinc interpolation at each output instant.

    When downsampling the sinc is widened to the target's Nyquist frequency, which is the
    anti-aliasing filter. `taps` input samples either side (at the lower rate) is plenty for speech.
    """
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if src_rate == dst_rate or len(audio) == 0:
        return audio.copy()
    if src_rate <= 0 or dst_rate <= 0:
        raise ValueError("sample rates must be positive")
    ratio = dst_rate / src_rate
    cutoff = min(1.0, ratio)  # as a fraction of the input's Nyquist frequency
    half = int(np.ceil(taps / cutoff))
    n_out = int(np.floor(len(audio) * ratio))
    padded = np.pad(audio, (half, half + 1))
    out = np.empty(n_out, dtype=np.float32)
    offsets = np.arange(-half + 1, half + 1)
    step = 8192  # output samples per chunk: bounds the (chunk x taps) work matrix
    for start in range(0, n_out, step):
        t = np.arange(start, min(n_out, start + step)) / ratio  # output instants, in input samples
        base = np.floor(t).astype(np.int64)
        idx = base[:, None] + offsets[None, :]
        x = idx - t[:, None]  # distance of each tap from the instant
        kernel = cutoff * np.sinc(cutoff * x) * (0.5 + 0.5 * np.cos(np.pi * x / (half + 1)))  # Hann
        out[start : start + len(t)] = np.sum(padded[idx + half] * kernel, axis=1)
    return out


def read_wav(path: str | Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A PCM WAV file as mono float32 in -1..1 at `rate` Hz (channels are averaged)."""
    data, src_rate = load_wav(path)
    return resample(data, src_rate, rate)


def load_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """A PCM WAV file as mono float32 in -1..1 at its own sample rate."""
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as wf:
            channels, width, src_rate = wf.getnchannels(), wf.getsampwidth(), wf.getframerate()
            frames = wf.readframes(wf.getnframes())
    except FileNotFoundError as exc:
        raise AudioFileError(f"{path}: no such file") from exc
    except (wave.Error, EOFError, OSError) as exc:
        raise AudioFileError(f"{path}: not a readable PCM WAV file ({exc})") from exc
    if width == 1:
        data = (np.frombuffer(frames, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(frames, "<i2").astype(np.float32) / 32768.0
    elif width == 3:
        raw = np.frombuffer(frames, np.uint8)
        raw = raw[: len(raw) // 3 * 3].reshape(-1, 3)
        ints = raw[:, 0].astype(np.int32) | raw[:, 1].astype(np.int32) << 8 | raw[:, 2].astype(np.int32) << 16
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / float(1 << 23)
    elif width == 4:
        data = np.frombuffer(frames, "<i4").astype(np.float32) / float(1 << 31)
    else:
        raise AudioFileError(f"{path}: unsupported sample width of {width} bytes")
    if channels > 1:
        data = data[: len(data) // channels * channels].reshape(-1, channels).mean(axis=1)
    if src_rate <= 0:
        raise AudioFileError(f"{path}: invalid sample rate {src_rate}")
    return data, src_rate


def write_wav(path: str | Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    pcm = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(rate)
        wf.writeframes((pcm * 32767.0).astype("<i2").tobytes())


def wav_problem(path: str | Path) -> str | None:
    """Why the WAV file at `path` is not a complete recording, or None when it is.

    Complete means: a RIFF/WAVE file whose header sizes match the bytes on disk and whose data
    chunk holds whole frames. A file still being written, or cut short, fails one of these.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return f"cannot read {path.name} ({exc.strerror or exc})"
    if len(raw) < 44 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        return f"{path.name} is not a WAV file ({len(raw)} bytes)"
    if int.from_bytes(raw[4:8], "little") + 8 != len(raw):
        return f"{path.name}: the RIFF size does not match the file's {len(raw)} bytes"
    pos, block = 12, 0
    while pos + 8 <= len(raw):
        cid, size = raw[pos : pos + 4], int.from_bytes(raw[pos + 4 : pos + 8], "little")
        if cid == b"fmt ":
            block = int.from_bytes(raw[pos + 20 : pos + 22], "little")
        elif cid == b"data":
            if pos + 8 + size != len(raw):
                return f"{path.name}: the data chunk says {size} bytes, the file holds {len(raw) - pos - 8}"
            if size == 0:
                return f"{path.name} holds no audio"
            if block and size % block:
                return f"{path.name}: the data chunk ends inside a frame"
            return None
        pos += 8 + size + (size & 1)
    return f"{path.name} has no data chunk"
