"""What every step of packaging/build.py shares: the folders, the error a build stops with,
the numbered progress lines and sizes in MiB.
"""

from __future__ import annotations

import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APP_ID = "org.recallapp.Recall"


class BuildError(Exception):
    """A build cannot go on; the message says why and what to do."""


class Steps:
    """Numbered progress lines: [2/5] Running PyInstaller ... done in 412 s."""

    def __init__(self, total: int) -> None:
        self.total, self.n, self.started = total, 0, time.monotonic()

    def start(self, what: str) -> float:
        self.n += 1
        print(f"[{self.n}/{self.total}] {what} ...", flush=True)
        return time.monotonic()

    @staticmethod
    def done(t0: float, detail: str = "") -> None:
        extra = f": {detail}" if detail else ""
        print(f"      done in {time.monotonic() - t0:.0f} s{extra}", flush=True)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"
