"""PyInstaller runtime hook: a stand-in for numba inside the bundle.

openai-whisper imports numba at import time only to JIT-compile the dynamic-time-warping used for
word timestamps, which Recall never requests. Shipping numba means shipping LLVM (about 200 MB),
so the bundle leaves both out and this decorator returns the functions as plain Python: word
timestamps would still work, only slower. tests/packaging checks that the app never imports numba.
"""

import sys
import types


def _jit(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda fn: fn


if "numba" not in sys.modules:
    _numba = types.ModuleType("numba")
    _numba.jit = _numba.njit = _jit
    _numba.prange = range
    sys.modules["numba"] = _numba
