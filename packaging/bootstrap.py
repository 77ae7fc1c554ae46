"""Set up Recall on a fresh machine and run the app or the tests.

    python packaging/bootstrap.py run  [recall args...]
    python packaging/bootstrap.py test [pytest args...]

Standard library only, so it runs before anything is installed. It creates
`.venv` beside the project, installs the dependencies in the order that keeps
the download small (torch first, then openai-whisper without its triton
dependency, then Recall with its extras), and re-installs only when
pyproject.toml changes. On Debian/Ubuntu as root it also installs the system
libraries Qt, PortAudio and espeak-ng need.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".recall-installed"

TORCH = os.environ.get("RECALL_TORCH_SPEC", "torch==2.13.0")
# PyTorch's CUDA wheel index (the "cu128" one from its install selector) for the CUDA build; see README
TORCH_INDEX = os.environ.get("RECALL_TORCH_INDEX", "")
WHISPER = "openai-whisper==20250625"
# One environment for both commands: `run` after `test` (or the reverse) installs nothing again.
# The test extras are small next to torch and Whisper, which both need anyway.
SHARED_EXTRAS = "voice,dev,base-model"
EXTRAS = {"run": SHARED_EXTRAS, "test": SHARED_EXTRAS}

APT_PACKAGES = [
    "espeak-ng",
    "libespeak-ng1",
    "libportaudio2",
    "libpulse0",
    "pulseaudio",
    "pulseaudio-utils",
    "libasound2-plugins",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    "postgresql",  # tests/store and tests/sync start a throw-away server
    "xvfb",
    "xauth",
    "sox",
]


def _say(msg: str) -> None:
    print(f"[recall setup] {msg}", flush=True)


def _run(cmd: list[str], **kw) -> None:
    _say(" ".join(cmd))
    subprocess.run(cmd, check=True, **kw)


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_system_packages() -> None:
    """Debian/Ubuntu only; elsewhere Qt and the TTS engines come with the OS."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return
    missing = []
    for pkg in APT_PACKAGES:
        res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in res.stdout:
            missing.append(pkg)
    if not missing:
        return
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        _say("missing system packages; install them with:")
        _say("  sudo apt-get install -y " + " ".join(missing))
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    _run(["apt-get", "update", "-q"], env=env)
    _run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=env)


def install_python_packages(extras: str) -> Path:
    if not _venv_python().exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    py = str(_venv_python())
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return _venv_python()
    pip = [py, "-m", "pip", "install", "--progress-bar", "off"]
    torch_cmd = [*pip, TORCH] + (["--index-url", TORCH_INDEX] if TORCH_INDEX else [])
    _run(torch_cmd)
    _run([*pip, "--no-deps", WHISPER])
    _run([*pip, "-e", f".[{extras}]"], cwd=ROOT)
    STAMP.write_text(digest)
    return _venv_python()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    mode, rest = argv[0], argv[1:]
    install_system_packages()
    py = str(install_python_packages(EXTRAS[mode]))
    env = dict(os.environ)
    if mode == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [py, "-m", "pytest", *rest]
    else:
        cmd = [py, "-m", "app", *rest]
    _say(" ".join(cmd))
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
