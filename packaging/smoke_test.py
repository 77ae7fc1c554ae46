"""Smoke-test a built Linux package: unpack it into a scratch root and use it with no network.

    python3 packaging/smoke_test.py [dist/linux/recall_X_amd64.deb | dist/linux/recall] [--out DIR]

Standard library only (it runs outside the project's virtual environment, as a user would). With
a .deb it unpacks the package with `dpkg-deb -x` and, as root with apt, asks apt whether the
package's dependencies resolve on this system. Every run of the app happens in a fresh HOME,
with a bare PATH and no Python variables, inside `unshare -n` (no network at all) where that works.

Steps: `recall --version` (cold: the bundle's files evicted from the page cache first), import a
deck, grade answers, transcribe a spoken WAV (espeak-ng) with the bundled Whisper model, speak a
sentence with the app's own text-to-speech, open the
window offscreen and under Xvfb (with a screenshot). A step the app cannot do yet is reported as
SKIPPED with the reason; the exit code is 1 if any step FAILED.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = (
    "Capital of France\tParis\n"
    "Capital of Japan\tTokyo\n"
    "Largest planet\tJupiter\n"
    "Chemical symbol for gold\tAu\n"
    "Author of Hamlet\tWilliam Shakespeare\n"
)
SPOKEN = "The capital of France is Paris."


@dataclass
class Result:
    name: str
    status: str  # PASS, FAIL, SKIPPED
    detail: str = ""
    seconds: float | None = None


@dataclass
class Smoke:
    exe: Path
    work: Path
    net_prefix: list[str]
    results: list[Result] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        home = self.work / "home"
        home.mkdir(exist_ok=True)
        env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": str(self.work)}
        env.update(extra)
        return env

    def run(self, args: list[str], *, timeout: float = 300, prefix: list[str] | None = None,
            **env: str) -> tuple[subprocess.CompletedProcess, float]:
        cmd = [*self.net_prefix, *(prefix or []), str(self.exe), *args]
        t0 = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env(**env),
                                  cwd=self.work)
        except subprocess.TimeoutExpired as exc:
            proc = subprocess.CompletedProcess(cmd, 124, exc.stdout or "", f"timed out after {timeout} s")
        return proc, time.monotonic() - t0

    def record(self, name: str, status: str, detail: str = "", seconds: float | None = None) -> None:
        res = Result(name, status, detail, seconds)
        self.results.append(res)
        took = f" ({seconds:.2f} s)" if seconds is not None else ""
        print(f"{status:8} {name}{took}" + (f": {detail}" if detail else ""), flush=True)


def _tail(proc: subprocess.CompletedProcess) -> str:
    text = (proc.stderr or "").strip() or (proc.stdout or "").strip()
    return text.splitlines()[-1][:300] if text else f"exit {proc.returncode}"


def evict_from_page_cache(folder: Path) -> bool:
    """Drop the bundle's own files from the page cache so the next start reads them from disk."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for f in folder.rglob("*"):
        if f.is_file() and not f.is_symlink():
            try:
                fd = os.open(f, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            except OSError:
                pass
            finally:
                os.close(fd)
    return True


def network_prefix() -> tuple[list[str], str]:
    if shutil.which("unshare"):
        probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
        if probe.returncode == 0:
            return ["unshare", "-n"], "no network (unshare -n: only a down loopback)"
    return [], "network NOT isolated (unshare -n unavailable here)"


def unpack(package: Path, scratch: Path, smoke_figures: dict[str, str]) -> Path:
    if package.is_dir():
        return package / "recall"
    subprocess.run(["dpkg-deb", "-x", str(package), str(scratch)], check=True)
    fields = subprocess.run(["dpkg-deb", "-f", str(package), "Installed-Size"], capture_output=True, text=True,
                            check=True).stdout.strip()
    smoke_figures[".deb size"] = f"{package.stat().st_size / 2**20:.0f} MiB"
    smoke_figures["installed size"] = f"{int(fields) / 1024:.0f} MiB"
    launcher = (scratch / "usr" / "bin" / "recall").read_text()
    target = re.search(r"exec (\S+)", launcher)
    if not target or not (scratch / target.group(1).lstrip("/")).is_file():
        raise SystemExit(f"smoke_test: /usr/bin/recall does not point at a file in the package: {launcher!r}")
    return scratch / target.group(1).lstrip("/")


def check_dependencies(s: Smoke, package: Path) -> None:
    name = "dependencies resolve (apt-get --simulate install ./package.deb)"
    if package.is_dir():
        s.record(name, "SKIPPED", "a bundle folder was given, not a .deb")
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        s.record(name, "SKIPPED", "needs apt-get as root")
        return
    proc = subprocess.run(["apt-get", "install", "--simulate", "-q", str(package.resolve())],
                          capture_output=True, text=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    if proc.returncode != 0:
        s.record(name, "FAIL", _tail(proc))
        return
    extra = sorted({m.group(1) for m in re.finditer(r"^Inst (\S+)", proc.stdout, re.MULTILINE)} - {"recall"})
    s.record(name, "PASS", "all installed" if not extra else f"would also install: {' '.join(extra)}")


def step_version(s: Smoke, version: str | None) -> None:
    cold = evict_from_page_cache(s.exe.parent)
    proc, secs = s.run(["--version"], timeout=120)
    ok = proc.returncode == 0 and proc.stdout.startswith("recall ")
    if ok and version and proc.stdout.strip() != f"recall {version}":
        ok = False
    s.record("recall --version" + (" (cold: bundle evicted from page cache)" if cold else ""),
             "PASS" if ok else "FAIL", proc.stdout.strip() if ok else _tail(proc), secs)
    if ok:
        s.figures["cold start, recall --version"] = f"{secs:.2f} s"
        proc, secs = s.run(["--version"], timeout=120)
        s.figures["warm start, recall --version"] = f"{secs:.2f} s"


def commands(s: Smoke) -> set[str]:
    proc, _ = s.run(["--help"], timeout=120)
    # argparse lists subcommands as "    name   help" under "positional arguments"
    return set(re.findall(r"^    (\w[\w-]*)\s", proc.stdout, re.MULTILINE))


def step_import(s: Smoke, have: set[str], db: Path) -> None:
    if "import" not in have:
        s.record("import a deck", "SKIPPED", "the app has no `import` command yet")
        return
    deck = s.work / "capitals.tsv"
    deck.write_text(DECK, encoding="utf-8")
    proc, secs = s.run(["--db", str(db), "import", str(deck), "--deck", "Smoke deck", "--format", "tsv"])
    if proc.returncode != 0:
        s.record("import a deck", "FAIL", _tail(proc), secs)
        return
    listing, _ = s.run(["--db", str(db), "decks", "--json"]) if "decks" in have else (proc, 0)
    ok = "Smoke deck" in listing.stdout and re.search(r'"(cards|card_count|total)"\s*:\s*5\b', listing.stdout)
    s.record("import a deck (5 cards from TSV, listed by `recall decks`)", "PASS" if ok else "FAIL",
             "" if ok else listing.stdout.strip()[:300], secs)


def step_grade(s: Smoke, have: set[str]) -> None:
    if "grade" not in have:
        s.record("grade an answer", "SKIPPED", "the app has no `grade` command yet")
        return
    ref = "Paris is the capital of France"
    right, secs = s.run(["grade", "--reference", ref, "--answer", "the capital of France is Paris", "--json"])
    wrong, _ = s.run(["grade", "--reference", ref, "--answer", "bananas are yellow", "--json"])
    try:
        a, b = json.loads(right.stdout), json.loads(wrong.stdout)
    except ValueError:
        s.record("grade an answer", "FAIL", _tail(right if right.returncode else wrong), secs)
        return
    ok = a["score"] > b["score"] and a["verdict"] != b["verdict"]
    s.record("grade a right and a wrong answer", "PASS" if ok else "FAIL",
             f"{a['verdict']} {a['score']:.2f} vs {b['verdict']} {b['score']:.2f} ({a.get('grader')} grader)", secs)


def step_transcribe(s: Smoke, have: set[str]) -> None:
    name = "transcribe a spoken WAV with the bundled Whisper model"
    if "transcribe" not in have:
        s.record(name, "SKIPPED", "the app has no `transcribe` command yet")
        return
    if not shutil.which("espeak-ng"):
        s.record(name, "SKIPPED", "espeak-ng is not installed to speak the test sentence")
        return
    wav = s.work / "spoken.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), SPOKEN], check=True)
    proc, secs = s.run(["transcribe", str(wav), "--json"], timeout=600)
    if proc.returncode != 0:
        s.record(name, "FAIL", _tail(proc), secs)
        return
    try:
        text = json.loads(proc.stdout)["text"]
    except (ValueError, KeyError, TypeError):
        text = proc.stdout
    words = set(re.findall(r"[a-z]+", text.lower()))
    ok = {"paris", "france", "capital"} <= words
    cache = s.work / "home" / ".cache"
    converted = sorted(p.name for p in cache.rglob("whisper-*.pt")) if cache.exists() else []
    note = "no conversion at run time" if not converted else f"converted at run time: {', '.join(converted)}"
    s.record(name, "PASS" if ok else "FAIL", f"{text.strip()!r}; {note}", secs)
    if ok:
        s.figures["first transcription, incl. model load"] = f"{secs:.1f} s"


def step_say(s: Smoke, have: set[str]) -> None:
    name = "speak a sentence into a WAV (the tutor's voice)"
    if "say" not in have:
        s.record(name, "SKIPPED", "the app has no `say` command yet")
        return
    wav = s.work / "said.wav"
    proc, secs = s.run(["say", SPOKEN, "-o", str(wav)], timeout=120)
    data = wav.read_bytes() if wav.exists() else b""
    ok = proc.returncode == 0 and data[:4] == b"RIFF" and len(data) > 16_000  # more than a fraction of a second
    s.record(name, "PASS" if ok else "FAIL", f"{len(data)} bytes" if ok else _tail(proc), secs)


def step_window_offscreen(s: Smoke, db: Path) -> None:
    cold = evict_from_page_cache(s.exe.parent)
    start = time.time()
    proc, secs = s.run(["--db", str(db)], timeout=120, QT_QPA_PLATFORM="offscreen", RECALL_QUIT_WHEN_SHOWN="1")
    shown = re.search(r"shown (\d+\.\d+)", proc.stdout)
    if proc.returncode == 0 and shown:
        s.record("open the window offscreen", "PASS", "main window shown, then closed", secs)
        s.figures[f"time to window (offscreen{', cold' if cold else ''})"] = f"{float(shown.group(1)) - start:.2f} s"
    else:
        s.record("open the window offscreen", "FAIL", _tail(proc), secs)


XVFB_SCRIPT = r"""
set -u
"$RECALL_EXE" --db "$RECALL_DB_FILE" > "$RECALL_WORK/xvfb-app.log" 2>&1 &
app=$!
for _ in $(seq 1 120); do
  if xwininfo -root -tree 2>/dev/null | grep -q '"Recall"'; then break; fi
  if ! kill -0 $app 2>/dev/null; then echo "app exited early" >&2; exit 3; fi
  sleep 0.5
done
sleep 2  # let the first paint finish
if command -v import >/dev/null; then import -window root "$RECALL_SHOT"; else xwd -root -silent > "$RECALL_SHOT.xwd"; fi
shot=$?
kill $app 2>/dev/null; wait $app 2>/dev/null
exit $shot
"""


def step_window_xvfb(s: Smoke, db: Path, out: Path) -> None:
    name = "open the window under Xvfb (xcb platform) and take a screenshot"
    if not shutil.which("xvfb-run"):
        s.record(name, "SKIPPED", "xvfb-run is not installed")
        return
    xvfb = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"]
    start = time.time()
    proc, secs = s.run(["--db", str(db)], timeout=180, prefix=xvfb, RECALL_QUIT_WHEN_SHOWN="1")
    shown = re.search(r"shown (\d+\.\d+)", proc.stdout)
    if proc.returncode != 0 or not shown:
        s.record(name, "FAIL", _tail(proc), secs)
        return
    s.figures["time to window (Xvfb, xcb)"] = f"{float(shown.group(1)) - start:.2f} s"
    if not (shutil.which("xwininfo") and (shutil.which("import") or shutil.which("xwd"))):
        s.record(name, "PASS", "window shown; screenshot SKIPPED (needs xwininfo and ImageMagick `import` or xwd)",
                 secs)
        return
    out.mkdir(parents=True, exist_ok=True)
    shot = out / "recall-xvfb.png"
    shot.unlink(missing_ok=True)
    env = s.env(RECALL_EXE=str(s.exe), RECALL_DB_FILE=str(db), RECALL_WORK=str(s.work), RECALL_SHOT=str(shot))
    t0 = time.monotonic()
    proc = subprocess.run([*s.net_prefix, *xvfb, "sh", "-c", XVFB_SCRIPT], capture_output=True, text=True,
                          env=env, timeout=240)
    if proc.returncode == 0 and (shot.exists() or shot.with_suffix(".png.xwd").exists()):
        made = shot if shot.exists() else shot.with_suffix(".png.xwd")
        s.record(name, "PASS", f"screenshot {made}", time.monotonic() - t0)
    else:
        log = (s.work / "xvfb-app.log")
        detail = _tail(proc) + (f"; app log: {log.read_text()[-300:]}" if log.exists() else "")
        s.record(name, "FAIL", detail, time.monotonic() - t0)


def newest_deb() -> Path | None:
    debs = sorted((ROOT / "dist" / "linux").glob("recall_*.deb"), key=lambda p: p.stat().st_mtime)
    return debs[-1] if debs else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Smoke-test Recall's Linux package offline.")
    ap.add_argument("package", nargs="?", type=Path, help="a .deb or a bundle folder (default: newest dist/linux .deb)")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "smoke", help="where the screenshot goes")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = ap.parse_args(argv)
    package = args.package or newest_deb()
    if package is None or not package.exists():
        print("smoke_test: no package given and none in dist/linux; build one with packaging/build.py linux",
              file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="recall-smoke-"))
    try:
        scratch = work / "root"
        figures: dict[str, str] = {}
        exe = unpack(package, scratch, figures)
        prefix, net_note = network_prefix()
        s = Smoke(exe=exe, work=work, net_prefix=prefix, figures=figures)
        size = sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file() and not f.is_symlink())
        figures["bundle size"] = f"{size / 2**20:.0f} MiB"
        version_match = re.match(r"recall_([^_]+)_", package.name)
        print(f"Smoke test of {package} ({net_note}); scratch {work}", flush=True)
        check_dependencies(s, package)
        step_version(s, version_match.group(1) if version_match else None)
        have = commands(s)
        db = work / "smoke.sqlite3"
        step_import(s, have, db)
        step_grade(s, have)
        step_transcribe(s, have)
        step_say(s, have)
        step_window_offscreen(s, db)
        step_window_xvfb(s, db, args.out)
        print("\nFigures:")
        for k, v in s.figures.items():
            print(f"  {k}: {v}")
        counts = {st: sum(r.status == st for r in s.results) for st in ("PASS", "FAIL", "SKIPPED")}
        print(f"\n{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIPPED']} skipped")
        return 1 if counts["FAIL"] else 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
