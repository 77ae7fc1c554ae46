"""The UI and memory rows of `python -m tests.bench` (issue 15).

- window shown / painted with 100k cards in 50 decks: `python -m app` (RECALL_QUIT_WHEN_SHOWN=1)
  against tests/bench/ref_window.py (a bare QMainWindow with a QTableView), as processes, in turn;
- peak memory of those same processes, idle at "ready" (max RSS from wait4);
- peak memory of a call with Whisper tiny.en loaded (app voice engine + grader) against torch +
  whisper alone on the same checkpoint and the same espeak-ng WAV;
- the longest event-loop stall per phase (open, scroll, search as you type, open a deck, start
  a review) on a big collection (1M cards in the full run) against an idle loop.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from tests.bench.fixtures_data import build_collection
from tests.bench.harness import Row, ratio_row

ROOT = Path(__file__).resolve().parents[3]
PY = sys.executable
TIMEOUT_S = 600
SEARCH_TYPED = "photosyn"  # typed a key at a time: a prefix of one of the generator's real words


def _collection(workdir: Path, cards: int, years: int) -> Path:
    """The shared generator's collection, kept for the UI rows of one run (each row has its own
    workdir) or between runs with RECALL_BENCH_CACHE."""
    return build_collection(workdir.parent / "ui-data", cards, decks=50, years=years)


def _process(cmd: list[str], env: dict[str, str], timeout: float = TIMEOUT_S) -> tuple[str, float, float]:
    """(stdout, peak RSS in MB of that one process, start time): wait4 gives its own rusage."""
    import tempfile
    import threading
    import time

    with tempfile.TemporaryFile(mode="w+") as err:
        t0 = time.time()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        killer = threading.Timer(timeout, proc.kill)  # a hung process must not hang the bench
        killer.start()
        try:
            out = proc.stdout.read()
        finally:
            _, status, usage = os.wait4(proc.pid, 0)
            killer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[-2:])} exited {proc.returncode}: {err.read()[-800:]}")
    return out, usage.ru_maxrss / 1024, t0


def _stamps(out: str, t0: float) -> dict[str, float]:
    got = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("shown", "ready"):
            got[parts[0]] = (float(parts[1]) - t0) * 1000
        for part in parts[2:]:
            if part.startswith("vmhwm_kb="):
                got["vmhwm_mb"] = int(part.split("=")[1]) / 1024
    if not {"shown", "ready", "vmhwm_mb"} <= set(got):
        raise RuntimeError(f"no shown/ready stamps in: {out[-400:]!r}")
    return got


def window_rows(quick: bool, workdir: Path) -> list[Row]:
    db = _collection(workdir, 100_000, 1)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if k not in ("RECALL_DB", "RECALL_HOME")}
    env = dict(base, QT_QPA_PLATFORM="offscreen", RECALL_HOME=str(home), RECALL_DB=str(db),
               RECALL_QUIT_WHEN_SHOWN="1")  # fmt: skip
    app_cmd = [PY, "-m", "app"]
    ref_cmd = [PY, str(ROOT / "tests" / "bench" / "ref_window.py")]
    runs = 3 if quick else 7
    _process(app_cmd, env)  # warm-up: the file cache, Python's bytecode cache, the settings file
    _process(ref_cmd, env)
    got: dict[str, list] = {"app": [], "ref": []}
    heavy = set()
    for _ in range(runs):
        for key, cmd in (("app", app_cmd), ("ref", ref_cmd)):
            out, _, t0 = _process(cmd, env)  # wait4's max RSS includes this process's at fork
            stamps = _stamps(out, t0)
            got[key].append((stamps, stamps["vmhwm_mb"]))
            heavy |= {m for ln in out.splitlines() if "heavy=" in ln for m in ln.split("heavy=")[1].split(",")}

    def med(key: str, stamp: str) -> float:
        return statistics.median(s[stamp] for s, _ in got[key])

    rss_app = statistics.median(r for _, r in got["app"])
    rss_ref = statistics.median(r for _, r in got["ref"])
    painted = ratio_row("window painted: library of 100k cards, 50 decks (process)", med("app", "ready"),
                        med("ref", "ready"), 1.3, runs=runs,
                        note=f"from process start; heavy modules at first show: {','.join(sorted(heavy)) or 'none'}",
                        extra={"app_ms": [s["ready"] for s, _ in got["app"]], "ref_ms": [s["ready"] for s, _ in got["ref"]]})  # fmt: skip
    shown = Row("window first shown (process)", med("app", "shown"), med("ref", "shown"), "(figure)", runs=runs)
    memory = Row("peak memory: app idle with 100k cards", rss_app, rss_ref, "<= +150 MB", unit="MB", runs=runs,
                 met=rss_app - rss_ref <= 150, note=f"+{rss_app - rss_ref:.0f} MB over the bare PySide6 window",
                 extra={"difference_mb": round(rss_app - rss_ref, 1)})  # fmt: skip
    return [shown, painted, memory]


def call_memory_rows(quick: bool, workdir: Path) -> list[Row]:
    from app.voice.models import prepare, resolve

    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is not installed")
    wav = workdir / "answer.wav"
    subprocess.run(["espeak-ng", "-s", "160", "-w", str(wav), "--", "It decides what to remove from the cell state"],
                   check=True, capture_output=True)  # fmt: skip
    ckpt = str(prepare(resolve("tiny.en")).checkpoint)  # converted once here, so no measured run pays it
    env = dict(os.environ)
    app_cmd = [PY, "-m", "tests.bench.rows.ui_call_mem", "app", str(wav)]
    ref_cmd = [PY, "-m", "tests.bench.rows.ui_call_mem", "ref", str(wav), ckpt]
    runs = 1 if quick else 3
    app_mb, ref_mb, texts = [], [], set()
    for _ in range(runs):
        for cmd, out_list in ((app_cmd, app_mb), (ref_cmd, ref_mb)):
            out, _, _ = _process(cmd, env)
            doc = json.loads(out.strip().splitlines()[-1])
            out_list.append(doc["vmhwm_mb"])
            texts.add(doc["text"])
    fig, ref = statistics.median(app_mb), statistics.median(ref_mb)
    return [Row("peak memory: call with tiny.en loaded (ASR + grader)", fig, ref, "< 1 GB (1024 MB)", unit="MB",
                runs=runs, met=fig < 1024, note=f"+{fig - ref:.0f} MB over torch+whisper alone; heard {sorted(texts)}")]  # fmt: skip


def scale_rows(quick: bool, workdir: Path) -> list[Row]:
    cards = 50_000 if quick else 1_000_000
    db = _collection(workdir, cards, 5)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("RECALL_DB",)}
    env.update(QT_QPA_PLATFORM="offscreen", RECALL_HOME=str(home))
    out, _, _ = _process([PY, "-m", "tests.bench.stall_probe", "--db", str(db), "--home", str(home),
                            "--typed", SEARCH_TYPED], env)  # fmt: skip
    phases = json.loads(out.strip().splitlines()[-1])
    label = f"{cards // 1000}k" if cards < 1_000_000 else f"{cards // 1_000_000}M"
    rows = []
    for phase, p in phases.items():
        detail = ", ".join(f"{k} {v}" for k, v in p.items() if k not in ("stall_ms", "idle_ms"))
        rows.append(Row(f"longest UI stall, {label} cards: {phase}", p["stall_ms"], p["idle_ms"], "< 100 ms",
                        met=p["stall_ms"] < 100, runs=1, note=detail, extra=p))  # fmt: skip
    return rows


ROWS = [("ui window", window_rows), ("ui call memory", call_memory_rows), ("ui scale", scale_rows)]
