"""The bundle ships a stand-in for numba (packaging/rthook_numba.py): whisper must work with it."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "packaging" / "rthook_numba.py"

CHECK = f"""
exec(open({str(HOOK)!r}).read())
import sys
import numpy as np
import whisper.timing as timing
assert not hasattr(sys.modules["numba"], "__file__"), "the real numba was imported"
path = timing.dtw_cpu(np.array([[0, 9, 9], [9, 0, 9], [9, 9, 0]], dtype=np.float32))
print(path.tolist())
"""


def test_whisper_imports_and_aligns_with_the_standin():
    res = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip() == "[[0, 1, 2], [0, 1, 2]]"  # the diagonal: cheapest path


def test_app_never_needs_numba():
    for py in (ROOT / "app").rglob("*.py"):
        text = py.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+numba\b", text, re.MULTILINE), py
        assert "word_timestamps=True" not in text, f"{py}: word timestamps would run numba's DTW in Python"
