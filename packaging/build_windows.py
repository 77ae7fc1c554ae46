"""The Windows recipe: an Inno Setup 6 installer around the bundle (packaging/windows/recall.iss)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from build_common import HERE, ROOT


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    local = os.environ.get("LOCALAPPDATA")
    # Windows reads environment names case-insensitively
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                 local and str(Path(local) / "Programs")):
        if base:
            cand = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if cand.is_file():
                return str(cand)
    return None


def make_windows_installer(bundle: Path, iscc: str, version: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([iscc, f"/DAppVersion={version}", f"/DBundleDir={bundle}", f"/DOutputDir={out_dir}",
                    f"/DIconFile={ROOT / 'resources' / 'icons' / 'recall.ico'}",
                    str(HERE / "windows" / "recall.iss")], check=True)
    return out_dir / f"Recall-{version}-setup.exe"
