from __future__ import annotations

import wave

import numpy as np
import pytest

from app.voice.audio import AudioFileError, load_wav, read_wav, resample, write_wav
from app.voice.wer import word_error_rate


def _tone(freq: float, rate: int, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


@pytest.mark.parametrize("src", [8000, 22050, 44100, 48000])
def test_resampling_keeps_pitch_and_length(src):
    out = resample(_tone(440, src), src, 16000)
    assert len(out) == 16000
    assert abs(_peak_hz(out, 16000) - 440) < 3
    assert 0.45 < float(np.abs(out[500:-500]).max()) < 0.55


def test_downsampling_removes_what_16_khz_cannot_hold():
    out = resample(_tone(10_000, 44100), 44100, 16000)  # above the 8 kHz Nyquist limit
    assert float(np.abs(out[500:-500]).max()) < 0.01


def _write(path, data: bytes, rate: int, width: int, channels: int) -> None:
    with wave.open(str(path), "wb") as wf:
        wf.setnchannels(channels)
        wf.setsampwidth(width)
        wf.setframerate(rate)
        wf.writeframes(data)


def test_reads_every_pcm_width_and_mixes_channels_down(tmp_path):
    x = _tone(300, 16000, 0.25)
    ints16 = (x * 32767).astype("<i2")
    cases = {
        "u8": ((x * 127 + 128).astype(np.uint8).tobytes(), 1, 1),
        "s16": (ints16.tobytes(), 2, 1),
        "s24": (b"".join((int(v) * 256).to_bytes(3, "little", signed=True) for v in ints16), 3, 1),
        "s32": ((x * 2**31 * 0.999).astype("<i4").tobytes(), 4, 1),
        "stereo": (np.repeat(ints16, 2).tobytes(), 2, 2),
    }
    for name, (data, width, channels) in cases.items():
        path = tmp_path / f"{name}.wav"
        _write(path, data, 16000, width, channels)
        got = read_wav(path)
        assert len(got) == len(x), name
        assert np.max(np.abs(got - x)) < 0.02, name


def test_round_trip_and_native_rate(tmp_path):
    path = tmp_path / "a.wav"
    write_wav(path, _tone(200, 22050), 22050)
    audio, rate = load_wav(path)
    assert rate == 22050 and len(audio) == 22050


def test_unreadable_files_say_which_and_why(tmp_path):
    with pytest.raises(AudioFileError, match="no such file"):
        read_wav(tmp_path / "missing.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"this is not audio")
    with pytest.raises(AudioFileError, match="junk.wav: not a readable PCM WAV"):
        read_wav(junk)


def test_word_error_rate():
    assert word_error_rate("Two: the update gate", "2, the update gate.") == 0
    assert word_error_rate("the reset gate", "the gate") == pytest.approx(1 / 3)
    assert word_error_rate("a b", "a b c d") == 1.0
