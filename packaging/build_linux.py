"""The Linux recipe: a .deb (with its Depends worked out from the bundle) and an AppDir, made
into an AppImage when appimagetool is on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from build_common import APP_ID, ROOT, dir_size

# Debian package names (Debian 12 / Ubuntu 22.04 and later) of the system libraries the bundle
# loads but does not carry: Qt's xcb platform plugin, OpenGL/EGL, fonts, D-Bus, the sound server
# client, PortAudio (sounddevice) and espeak-ng (pyttsx3). "a | b" covers the 64-bit time_t renames.
DEB_DEPENDS = (
    "libstdc++6",
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libfreetype6",
    "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libpulse0",
    "libportaudio2",
    "libespeak-ng1",
    "espeak-ng-data",
)
DEB_RECOMMENDS = ("pulseaudio | pipewire-pulse", "libwayland-client0", "espeak-ng")


def glibc_floor(bundle: Path) -> str | None:
    """The newest GLIBC_x.y symbol version any bundled ELF file asks for (the .deb's libc6 floor)."""
    best: tuple[int, int] | None = None
    pattern = re.compile(rb"GLIBC_2\.(\d+)(?:\.(\d+))?\x00")
    for f in bundle.rglob("*"):
        if not f.is_file() or f.is_symlink():
            continue
        with open(f, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
            data = fh.read()
        for m in pattern.finditer(data):
            ver = (int(m.group(1)), int(m.group(2) or 0))
            best = ver if best is None or ver > best else best
    if best is None:
        return None
    return f"2.{best[0]}" + (f".{best[1]}" if best[1] else "")


def deb_control(version: str, arch: str, installed_kib: int, libc: str | None = None) -> str:
    depends = ([f"libc6 (>= {libc})"] if libc else []) + list(DEB_DEPENDS)
    return (
        "Package: recall\n"
        f"Version: {version}\n"
        "Section: education\n"
        "Priority: optional\n"
        f"Architecture: {arch}\n"
        "Maintainer: The Recall developers <recall@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(DEB_RECOMMENDS)}\n"
        "Description: offline study app with flashcards, spaced review and a voice tutor\n"
        " Recall imports or creates decks of question and answer cards and studies them as\n"
        " flashcards, with FSRS spaced review, adaptive learn rounds, generated tests, a\n"
        " matching game and Call, a voice tutor that reads questions aloud, transcribes the\n"
        " spoken answer with Whisper on this computer and grades it. Works fully offline.\n"
    )


LAUNCHER = '#!/bin/sh\n# Recall lives in /usr/lib/recall (a PyInstaller bundle).\nexec /usr/lib/recall/recall "$@"\n'


def _install_desktop_files(root: Path, prefix: str = "usr") -> None:
    share = root / prefix / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    # named after the app id, which the window reports as its Wayland app id / desktop file name
    desktop = f"{APP_ID}.desktop"
    shutil.copyfile(ROOT / "resources" / desktop, share / "applications" / desktop)
    (share / "metainfo").mkdir(parents=True, exist_ok=True)
    meta = f"{APP_ID}.metainfo.xml"
    shutil.copyfile(ROOT / "resources" / meta, share / "metainfo" / meta)
    for png in sorted((ROOT / "resources" / "icons").glob("recall-*.png")):
        size = png.stem.split("-")[1]
        dest = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, dest / "recall.png")


def make_deb(bundle: Path, version: str, out_dir: Path, level: int = 6) -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    root = ROOT / "build" / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "usr" / "lib" / "recall", symlinks=True)
    launcher = root / "usr" / "bin" / "recall"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER, encoding="utf-8")
    launcher.chmod(0o755)
    _install_desktop_files(root)
    doc = root / "usr" / "share" / "doc" / "recall"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Recall is released under the MIT licence.\nThe bundle includes Qt (LGPLv3), PyTorch (BSD), "
        "openai-whisper and its tiny.en weights (MIT) and other open source libraries under their own "
        "licences.\n", encoding="utf-8")
    debian = root / "DEBIAN"
    debian.mkdir()
    installed_kib = (dir_size(root) + 1023) // 1024
    (debian / "control").write_text(deb_control(version, arch, installed_kib, glibc_floor(bundle)),
                                     encoding="utf-8")
    for d in [root, *root.rglob("*")]:  # dpkg wants 0755 folders and no group/other write bits
        if d.is_dir() and not d.is_symlink():
            d.chmod(0o755)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"recall_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{level}", "--build", str(root), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


APPRUN = """#!/bin/sh
# AppImage entry: run the bundle inside the mounted image.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/recall/recall" "$@"
"""


def make_appdir(bundle: Path) -> Path:
    """The AppDir that appimagetool turns into Recall-<version>-x86_64.AppImage."""
    appdir = ROOT / "build" / "AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(bundle, appdir / "usr" / "lib" / "recall", symlinks=True)
    _install_desktop_files(appdir)
    shutil.copyfile(ROOT / "resources" / f"{APP_ID}.desktop", appdir / f"{APP_ID}.desktop")
    shutil.copyfile(ROOT / "resources" / "icons" / "recall-256.png", appdir / "recall.png")
    (appdir / ".DirIcon").symlink_to("recall.png")
    apprun = appdir / "AppRun"
    apprun.write_text(APPRUN, encoding="utf-8")
    apprun.chmod(0o755)
    return appdir


def make_appimage(appdir: Path, tool: str, version: str, out_dir: Path) -> Path:
    image = out_dir / f"Recall-{version}-x86_64.AppImage"
    env = dict(os.environ, ARCH="x86_64", VERSION=version)
    subprocess.run([tool, "--no-appstream", str(appdir), str(image)], check=True, env=env)
    return image
