"""The VAD tail: from the last spoken sample to the end of the turn, live and from a file.

    nice -n 10 .venv/bin/python tests/bench/bench_vad_mic.py [--runs 10] [--sweep] [--wer]

Live: a private PulseAudio server (null sink `vmic_sink`, its monitor remapped to the default
source `vmic`, see the virtual-microphone note in the README of shared notes) gets an espeak-ng
answer played into it with paplay, and the app's real capture path (MicrophoneSource, i.e.
sounddevice/PortAudio through ALSA's pulse plugin) feeds app.voice.vad.listen. Where the speech
ends is read from the capture itself (the null sink is silent but for the played answer), so no
clock of paplay's is trusted: the live tail is the moment listen() returned minus the moment the block
holding the last spoken sample was handed to the app, plus PortAudio's reported input latency.
The same figure is given in samples (how much audio after the speech the VAD needed).

Reference: the same VAD fed the same WAV from a file (FileSource, faster than real time): the
tail of the algorithm itself. Prints median and p90 of both and their ratio.

--sweep: for end_silence_ms candidates, on answers in several voices and rates (130-220 wpm),
some with a spoken hesitation (an SSML break), the tail and the false cuts (the turn ended
before the speech did); --wer adds tiny.en's WER on what the VAD kept. Never fails on a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.harness import percentile as pct  # noqa: E402

RATE = 16_000
SPEECH_DBFS = -50.0  # a 10 ms frame louder than this is speech (espeak's silence is digital zero)

# (text, voice, rate); texts with <break> are spoken with SSML (-m): a student's hesitation
ANSWERS = (
    ("Two: an update gate and a reset gate.", "en-us+m3", 160),
    ("Gated recurrent unit.", "en-gb+f3", 150),
    ("The vanishing gradient problem.", "en-us+f3", 180),
    ("Lake Baikal, in Siberia.", "en-gb+m3", 140),
    ("By gradient clipping: rescaling the gradient whenever its norm goes above a threshold.", "en-us+m3", 200),
    ("The Pacific Ocean.", "en-gb+m3", 220),
    ("It decides how much of the old cell state to keep.", "en-us+f3", 130),
    ("Mount Everest, in the Himalayas on the border of Nepal and China.", "en-gb+f3", 170),
    ("The sigmoid, because its output between zero and one works like a soft switch.", "en-us+m3", 190),
    ("Seven: Africa, Antarctica, Asia, Australia, Europe, North America and South America.", "en-gb+m3", 160),
)
HESITATIONS = (
    ('The forget gate, <break time="300ms"/> it decides what to keep.', "en-us+m3", 160),
    ('Canberra, <break time="400ms"/> I think.', "en-gb+f3", 150),
    ('Backpropagation <break time="500ms"/> through time.', "en-us+f3", 170),
)


def espeak(text: str, voice: str, rate: int, path: Path) -> Path:
    ssml = ["-m"] if "<break" in text else []
    subprocess.run(["espeak-ng", *ssml, "-v", voice, "-s", str(rate), "-w", str(path), "--", text],
                   check=True, capture_output=True)  # fmt: skip
    return path


def plain_text(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


def _loud_frames(audio: np.ndarray, frame: int = 160) -> np.ndarray:
    n = len(audio) // frame
    db = 10 * np.log10(np.mean(np.square(audio[: n * frame].reshape(n, frame), dtype=np.float64), axis=1) + 1e-14)
    return np.nonzero(db > SPEECH_DBFS)[0]


def speech_end(audio: np.ndarray, frame: int = 160) -> int:
    """The sample after the last 10 ms frame of speech."""
    loud = _loud_frames(audio, frame)
    return int((loud[-1] + 1) * frame) if len(loud) else 0


def speech_span(audio: np.ndarray, frame: int = 160) -> float:
    """Seconds from the first to the last frame of speech."""
    loud = _loud_frames(audio, frame)
    return float((loud[-1] + 1 - loud[0]) * frame / RATE) if len(loud) else 0.0


class Recording:
    """Wraps a source: keeps every block, how many samples came before it, and when it arrived."""

    def __init__(self, source) -> None:
        self.source = source
        self.rate = source.rate
        self.realtime = source.realtime
        self.blocks: list[np.ndarray] = []
        self.arrived: list[float] = []

    @property
    def finished(self) -> bool:
        return self.source.finished

    def open(self) -> None:
        self.source.open()

    def read(self, timeout: float = 0.1):
        block = self.source.read(timeout)
        if block is not None:
            self.blocks.append(block)
            self.arrived.append(time.monotonic())
        return block

    def close(self) -> None:
        self.source.close()

    @property
    def samples(self) -> int:
        return sum(map(len, self.blocks))


def file_tail(audio: np.ndarray, config) -> tuple[float, str, np.ndarray]:
    """The algorithm's own tail: seconds of audio after the true end of speech it needed."""
    from app.voice.capture import FileSource
    from app.voice.vad import listen

    lead = 0.5
    rec = Recording(FileSource(audio, lead_silence_s=lead, trail_silence_s=2.0))
    rec.open()
    heard = listen(rec, config)
    end = int(lead * RATE) + speech_end(audio)
    return (rec.samples - end) / RATE, heard.reason, heard.audio


def live_tails(wavs: list[Path], config, folder: Path) -> list[dict]:
    """Each WAV played into the virtual microphone and heard through the app's capture path."""
    from app.voice.audio import read_wav
    from app.voice.capture import MicrophoneSource
    from app.voice.vad import listen
    from tests.voice.virtual_mic import virtual_mic

    out = []
    with virtual_mic(folder) as play:
        mic = MicrophoneSource()
        mic.open()
        latency = float(getattr(mic._stream, "latency", 0.0) or 0.0)
        try:
            for wav in wavs:
                played = read_wav(wav)
                mic.drain()
                rec = Recording(mic)
                cancel = threading.Event()
                timer = threading.Timer(30, cancel.set)
                timer.start()
                players: list[subprocess.Popen] = []
                threading.Timer(0.4, lambda w=wav, ps=players: ps.append(play(w))).start()  # a moment later
                heard = listen(rec, config, cancel=cancel)
                returned = time.monotonic()
                timer.cancel()
                for p in players:
                    p.wait(timeout=10)
                captured = np.concatenate(rec.blocks)
                end = speech_end(captured)  # the null sink is silent but for what was played
                short = speech_span(played) - speech_span(captured) > 0.1  # audio lost, or cut early
                starts = np.cumsum([0] + [len(b) for b in rec.blocks])
                k = int(np.searchsorted(starts, end, side="right")) - 1  # the block holding the end
                k = min(max(k, 0), len(rec.blocks) - 1)
                spoken_at = rec.arrived[k] - (starts[k + 1] - end) / RATE - latency
                out.append({"wav": wav.name, "reason": heard.reason, "tail_s": returned - spoken_at,
                            "tail_samples_s": (len(captured) - end) / RATE, "latency_s": latency,
                            "short": short})  # fmt: skip
                time.sleep(0.3)
        finally:
            mic.close()
    return out


def sweep(folder: Path, with_wer: bool) -> None:
    from app.voice.audio import read_wav
    from app.voice.vad import VadConfig
    from app.voice.wer import word_errors

    clips = []
    for i, (text, voice, rate) in enumerate(ANSWERS + HESITATIONS):
        clips.append((plain_text(text), read_wav(espeak(text, voice, rate, folder / f"sw{i}.wav")), "<break" in text))
    asr = None
    if with_wer:
        from app.voice.asr import WhisperASR

        asr = WhisperASR(model="tiny.en", device="cpu")
        asr.load()
    decoded: dict[bytes, str] = {}
    print(f"{'end_silence_ms':>14} {'tail med':>8} {'tail p90':>8} {'false cuts':>10} {'of which hesitations':>20}"
          + (f" {'WER':>6}" if asr else ""))  # fmt: skip
    for ms in (550, 450, 420, 400, 380, 350, 300):
        cfg = replace(VadConfig(), end_silence_ms=ms)
        tails, cuts, hes_cuts, errs, words = [], 0, 0, 0, 0
        for text, audio, hesitant in clips:
            tail, reason, kept = file_tail(audio, cfg)
            tails.append(tail)
            cut = tail < 0 or reason != "silence"
            cuts += cut
            hes_cuts += cut and hesitant
            if asr is not None:
                key = kept.tobytes()
                if key not in decoded:
                    decoded[key] = asr.transcribe(kept).text
                e, n = word_errors(text, decoded[key])
                errs, words = errs + e, words + n
        line = f"{ms:>14} {statistics.median(tails):8.3f} {pct(tails, 0.9):8.3f} {cuts:>4}/{len(clips):<5} {hes_cuts:>14}/{len(HESITATIONS):<5}"
        print(line + (f" {errs / words:6.3f}" if asr else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="utterances played live (cycles the answers)")
    ap.add_argument("--end-silence-ms", type=int, default=None, help="override VadConfig.end_silence_ms")
    ap.add_argument("--sweep", action="store_true", help="tail and false cuts per end_silence_ms (file)")
    ap.add_argument("--wer", action="store_true", help="with --sweep: tiny.en WER on what the VAD kept")
    args = ap.parse_args()

    from app.voice.audio import read_wav
    from app.voice.vad import VadConfig

    cfg = VadConfig() if args.end_silence_ms is None else replace(VadConfig(), end_silence_ms=args.end_silence_ms)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.sweep:
            sweep(folder, args.wer)
            return 0
        picks = [ANSWERS[i % len(ANSWERS)] for i in range(args.runs)]
        wavs = [espeak(t, v, r, folder / f"a{i}.wav") for i, (t, v, r) in enumerate(picks)]
        ref = [file_tail(read_wav(w), cfg)[0] for w in wavs]
        print(f"VadConfig: end_silence_ms={cfg.end_silence_ms} start_ms={cfg.start_ms} off_margin_db={cfg.off_margin_db}")
        print(f"reference (same VAD, same WAVs from a file): tail median {statistics.median(ref):.3f} s, "
              f"p90 {pct(ref, 0.9):.3f} s over {len(ref)}")  # fmt: skip
        from tests.voice.virtual_mic import INSTALL_HINT, missing_tools

        missing = missing_tools()
        if missing:
            print(f"live: skipped, not installed: {' '.join(missing)} ({INSTALL_HINT})")
            return 0
        try:
            live = live_tails(wavs, cfg, folder)
        except Exception as exc:  # report why the live path could not run; the figures above stand
            print(f"live: could not run the virtual microphone: {type(exc).__name__}: {exc}")
            return 0
        tails = [x["tail_s"] for x in live]
        samples = [x["tail_samples_s"] for x in live]
        reasons = [x["reason"] for x in live]
        print(f"live (PulseAudio virtual mic -> MicrophoneSource -> listen): tail median {statistics.median(tails):.3f} s, "
              f"p90 {pct(tails, 0.9):.3f} s; in samples median {statistics.median(samples):.3f} s; "
              f"PortAudio input latency {live[0]['latency_s'] * 1000:.0f} ms; ended by {sorted(set(reasons))}")  # fmt: skip
        print(f"ratio live/reference (median): {statistics.median(tails) / statistics.median(ref):.2f}; "
              f"goal: VAD tail <= 0.5 s -> {'met' if statistics.median(tails) <= 0.5 else 'not met'} (median), "
              f"{'met' if pct(tails, 0.9) <= 0.5 else 'not met'} (p90)")  # fmt: skip
        for x, r in zip(live, ref, strict=True):
            flag = "  SHORT: the capture lost audio or the turn was cut" if x["short"] else ""
            print(f"  {x['wav']:8} live {x['tail_s']:.3f} s (samples {x['tail_samples_s']:.3f} s)  file {r:.3f} s  "
                  f"{x['reason']}{flag}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
