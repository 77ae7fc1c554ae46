"""The macOS recipe: a drag-to-install .dmg around Recall.app."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from build_common import ROOT


def make_dmg(app: Path, version: str, out_dir: Path) -> Path:
    stage = ROOT / "build" / "dmg"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    shutil.copytree(app, stage / app.name, symlinks=True)
    (stage / "Applications").symlink_to("/Applications")  # drag-to-install target
    out_dir.mkdir(parents=True, exist_ok=True)
    dmg = out_dir / f"Recall-{version}-macos-{os.uname().machine}.dmg"
    subprocess.run(["hdiutil", "create", "-volname", f"Recall {version}", "-srcfolder", str(stage),
                    "-fs", "HFS+", "-format", "UDZO", "-ov", str(dmg)], check=True)
    return dmg
