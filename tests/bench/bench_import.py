"""Benchmark: import a generated 100,000-card TSV, then list decks on that database.

Targets (issue 2): `recall import` under 5 s, `recall decks` under 0.3 s. Prints figures and
never fails on a time. Run: .venv/bin/python tests/bench/bench_import.py [--cards N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WORDS = [
    "gradient",
    "state",
    "memory",
    "gate",
    "cell",
    "input",
    "output",
    "forget",
    "update",
    "reset",
    "sequence",
    "token",
    "vector",
    "layer",
    "weight",
    "bias",
    "network",
    "neuron",
    "signal",
    "time",
    "step",
    "recurrent",
    "hidden",
    "long",
    "short",
    "term",
    "value",
    "key",
    "query",
]


def make_tsv(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            front = f"Card {i}: what is the {' '.join(rng.choices(WORDS, k=5))}?"
            back = " ".join(rng.choices(WORDS, k=rng.randint(8, 20))) + "."
            fh.write(f"{front}\t{back}\n")


def run_cli(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )
    return time.perf_counter() - start, proc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=100_000)
    ap.add_argument("--keep", help="folder to keep the TSV and database in")
    args = ap.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="recall-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["RECALL_HOME"] = str(tmp / "home")
    tsv, db = tmp / "big.tsv", tmp / "bench.sqlite3"
    db.unlink(missing_ok=True)

    t0 = time.perf_counter()
    make_tsv(tsv, args.cards)
    print(
        f"generated {args.cards:,} cards ({tsv.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.2f} s"
    )

    # Parse alone, in-process: how much of the import is reading the file.
    from app.formats import parse_file

    t0 = time.perf_counter()
    parsed = parse_file(tsv)
    print(
        f"parse only (in-process):          {time.perf_counter() - t0:6.2f} s  ({len(parsed.cards):,} cards)"
    )
    del parsed

    secs, proc = run_cli("--db", str(db), "import", str(tsv), "--deck", "Bench")
    print(f"recall import (subprocess):       {secs:6.2f} s  target < 5 s   exit {proc.returncode}")
    if proc.returncode:
        print(proc.stderr)
        return 1

    secs, proc = run_cli("--db", str(db), "decks")
    print(f"recall decks (subprocess, cold):  {secs:6.3f} s  target < 0.3 s exit {proc.returncode}")
    secs, proc = run_cli("--db", str(db), "decks", "--json")
    print(f"recall decks --json (subprocess): {secs:6.3f} s")
    secs, _ = run_cli("--version")
    print(f"recall --version (start-up cost): {secs:6.3f} s")

    import io
    from contextlib import redirect_stdout

    from app.cli import main as cli_main

    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            cli_main(["--db", str(db), "decks", "--json"])
        timings.append(time.perf_counter() - t0)
    print(f"recall decks (in-process, best of 5): {min(timings):.3f} s  (first {timings[0]:.3f} s)")

    from app.store.db import Store
    from app.study.deck_stats import deck_summaries

    store = Store(f"sqlite:///{db}")
    with store.session() as s:
        t0 = time.perf_counter()
        rows = deck_summaries(s)
        print(
            f"deck_summaries query alone:       {time.perf_counter() - t0:6.3f} s  ({rows[0].cards:,} cards)"
        )
    store.close()
    print(f"files in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
