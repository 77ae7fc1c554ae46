"""Environment variables set for a block and restored after it, for helpers that run outside a
test's monkeypatch (benchmarks, session-wide fixtures, context managers of their own)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def environ(**values: str) -> Iterator[None]:
    """Sets each NAME=value in os.environ; afterwards each is as it was (unset if it was unset)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
