"""The package layers hold: checked by import-linter's contracts in pyproject.toml, and module size."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Still over the limit, each waiting for its split (issue 16); the list may only shrink.
OVER_400_PENDING = {"app/voice/models.py", "packaging/build.py"}


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
        if len(p.read_text(encoding="utf-8").splitlines()) > 400
    }
    assert over <= OVER_400_PENDING, f"new modules over 400 lines: {sorted(over - OVER_400_PENDING)}"
