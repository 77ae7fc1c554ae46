"""Keep the process's stdout for Recall's own output.

`recall ... --json` promises one JSON document on stdout, but libraries write there too: pyttsx3's
espeak driver prints "Audio saved to ..." from espeak's synthesis thread, C libraries write to
file descriptor 1. `guarded_stdout()` (entered by the command line around every subcommand) points
descriptor 1 at stderr and routes `sys.stdout`: writes from the command's own thread go to the real
stdout, writes from any other thread go to stderr. Library calls made on the command's thread are
wrapped in `library_output()`, which diverts that thread too while they run. Recall's code that
reports from a worker thread writes to `out()` explicitly.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

_local = threading.local()
_real: TextIO | None = None  # the real stdout while a guard is active


class _RoutedStdout(io.TextIOBase):
    def __init__(self, real: TextIO, divert: TextIO, owner: int) -> None:
        self._real, self._divert, self._owner = real, divert, owner

    def _target(self) -> TextIO:
        if threading.get_ident() == self._owner and not getattr(_local, "diverted", 0):
            return self._real
        return self._divert

    def write(self, s: str) -> int:
        return self._target().write(s)

    def flush(self) -> None:
        for stream in (self._real, self._divert):
            with contextlib.suppress(Exception):
                stream.flush()

    def fileno(self) -> int:
        return self._real.fileno()

    def isatty(self) -> bool:
        return self._real.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._real, "encoding", "utf-8")

    def writable(self) -> bool:
        return True


def out() -> TextIO:
    """Recall's own stdout: the real one while a guard is active, whatever the thread."""
    return _real if _real is not None else sys.stdout


def _fd_of(stream: TextIO) -> int | None:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


@contextlib.contextmanager
def guarded_stdout() -> Iterator[TextIO]:
    """Route stdout as described above until the block ends; yields the real stdout."""
    global _real
    original, divert = sys.stdout, sys.stderr
    real: TextIO = original
    saved_fd: int | None = None
    if _fd_of(original) == 1 and _fd_of(divert) is not None:
        # Descriptor 1 itself is the terminal or pipe: keep a copy for our output and give
        # descriptor 1 to stderr, so C code writing there cannot reach the real stdout.
        original.flush()
        saved_fd = os.dup(1)
        os.dup2(divert.fileno(), 1)
        real = open(  # noqa: SIM115 - closed in the finally below
            saved_fd, "w", encoding=original.encoding or "utf-8", errors="replace", closefd=False,
            buffering=1 if original.isatty() else -1,
        )
    previous_real = _real
    _real = real
    sys.stdout = _RoutedStdout(real, divert, threading.get_ident())
    try:
        yield real
    finally:
        sys.stdout = original
        _real = previous_real
        with contextlib.suppress(Exception):
            real.flush()
        if saved_fd is not None:
            with contextlib.suppress(Exception):
                real.close()
            os.dup2(saved_fd, 1)
            os.close(saved_fd)


@contextlib.contextmanager
def library_output() -> Iterator[None]:
    """While a library call runs on this thread, whatever it prints goes to stderr."""
    _local.diverted = getattr(_local, "diverted", 0) + 1
    try:
        yield
    finally:
        _local.diverted -= 1
