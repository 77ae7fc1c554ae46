"""The package layers hold: checked by import-linter's contracts in pyproject.toml, and module size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MAX_LINES = 400  # one job per module: split along the module's seams, not by trimming lines


def test_import_contracts_are_kept():
    exe = Path(sys.executable).with_name("lint-imports")
    cmd = [str(exe)] if exe.exists() else [shutil.which("lint-imports") or "lint-imports"]
    res = subprocess.run([*cmd, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "0 broken" in res.stdout


def test_no_module_over_400_lines():
    over = {
        str(p.relative_to(ROOT))
        for folder in ("app", "packaging")
        for p in (ROOT / folder).rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert not over, f"modules over {MAX_LINES} lines: {sorted(over)}"
