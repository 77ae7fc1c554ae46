"""The steps every system's build shares: convert the Whisper model for the bundle, run
PyInstaller with packaging/recall.spec, strip torch's libraries, and say where the size goes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from build_common import HERE, ROOT, BuildError, dir_size

MODEL_NAME = "tiny.en"


def convert_model(out_dir: Path) -> Path:
    """Convert the pinned tiny.en weights once, with the app's own converter; returns the .pt path.

    The checkpoint goes into the bundle as resources/models/whisper-tiny.en.pt with a .json record
    ({sha256, source_sha256, alignment_heads}) that app/resources.py reads.
    """
    sys.path.insert(0, str(ROOT))
    os.environ["RECALL_HOME"] = str(out_dir / "home")  # the converter caches under RECALL_HOME
    try:
        from app.voice.models import ModelError, file_sha256, prepare, resolve
    except ImportError as exc:
        raise BuildError(f"cannot import the app's Whisper converter ({exc}); install the voice extra") from exc
    try:
        prepared = prepare(resolve(MODEL_NAME))
    except ModelError as exc:
        raise BuildError(f"Whisper model: {exc}") from exc
    target = out_dir / f"whisper-{MODEL_NAME}.pt"
    shutil.copyfile(prepared.checkpoint, target)
    meta = {
        "name": MODEL_NAME,
        "sha256": file_sha256(target),
        "source_sha256": prepared.source_sha256,
        "alignment_heads": [list(h) for h in prepared.alignment_heads],
    }
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return target


_PHASES = re.compile(
    r"(completed successfully\.$|Analyzing (modules for|/)|Processing module hooks|ERROR|Error:)"
)


def run_pyinstaller(target: str, model: Path | None, log: Path) -> Path:
    dist = ROOT / "dist" / target
    work = ROOT / "build" / f"pyinstaller-{target}"
    env = dict(os.environ)
    env.pop("RECALL_HOME", None)
    env["RECALL_BUNDLE_MODEL"] = str(model) if model else ""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm",
           "--distpath", str(dist), "--workpath", str(work), str(HERE / "recall.spec")]
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"      full log: {log}", flush=True)
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, encoding="utf-8", errors="replace")
        assert proc.stdout is not None
        for line in proc.stdout:
            fh.write(line)
            if _PHASES.search(line):
                print("      " + line.rstrip()[-150:], flush=True)
        rc = proc.wait()
    if rc != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        lines = "\n".join(tail)
        raise BuildError(f"PyInstaller failed (exit {rc}); last lines of {log}:\n{lines}")
    return dist / "recall"


# Unstripped libraries that are safe to strip (built by their projects, not patched by auditwheel):
# about 70 MiB of symbols in torch. Set RECALL_BUNDLE_STRIP=0 to keep them.
STRIP_FILES = ("torch/lib/libtorch_cpu.so", "torch/lib/libtorch_python.so")


def strip_libraries(bundle: Path) -> int:
    """Strip the listed libraries in place; returns the bytes saved (0 without `strip`)."""
    tool = shutil.which("strip")
    if not tool or os.environ.get("RECALL_BUNDLE_STRIP") == "0":
        return 0
    saved = 0
    inner = bundle / "_internal"
    for rel in STRIP_FILES:
        lib = inner / rel
        if lib.is_file() and not lib.is_symlink():
            before = lib.stat().st_size
            subprocess.run([tool, "--strip-unneeded", str(lib)], check=True)
            saved += before - lib.stat().st_size
    return saved


def largest_parts(bundle: Path, count: int = 8) -> list[tuple[str, int]]:
    """The biggest top-level entries of the bundle's internal folder: where the size goes."""
    inner = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes = [(p.name, dir_size(p) if p.is_dir() else p.stat().st_size) for p in inner.iterdir()
             if not p.is_symlink()]
    return sorted(sizes, key=lambda x: -x[1])[:count]
