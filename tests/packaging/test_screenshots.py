"""The screenshots: the script writes 1280x800 PNGs of the screens it is asked for, and the set in
docs/screenshots/ covers every screen in both themes, small enough to ship, shown by the README."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT / "packaging"))
import screenshots  # noqa: E402


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_script_renders_the_screens_it_is_asked_for(tmp_path):
    out = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "screenshots.py"), str(out), "--offscreen",
         "--only", "library,library_empty,settings"],  # fmt: skip
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    names = ("library", "library-search", "library-empty", "settings")
    want = {f"{n}-{t}.png" for n in names for t in ("light", "dark")}
    assert {p.name for p in out.glob("*.png")} == want
    for path in out.glob("*.png"):
        assert png_size(path) == screenshots.SIZE
    # the two themes really differ
    assert (out / "library-light.png").read_bytes() != (out / "library-dark.png").read_bytes()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_docs_have_every_screen_in_both_themes(theme):
    for name in screenshots.NAMES:
        path = DOCS / f"{name}-{theme}.png"
        assert path.is_file(), f"missing {path.relative_to(ROOT)}: run packaging/screenshots.py"
        assert png_size(path) == screenshots.SIZE, path.name
        assert path.stat().st_size < 300_000, f"{path.name} is over 300 KB"


def test_readme_shows_library_a_study_mode_call_and_a_before_after_pair():
    import compose_before_after

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme))
    for path in shown:
        assert (ROOT / path).is_file(), path
    names = {Path(p).stem for p in shown}
    assert "library-light" in names
    assert names & {"call-light", "call-verdict-light", "call-right-light", "call-wrong-light"}
    assert names & {f"{m}-{t}" for m in ("flashcards", "learn", "test", "matching", "spaced") for t in ("light", "dark")}
    # the before/after pairs, side by side, made from pictures that are all in the repository
    assert {"before-after-library", "before-after-call"} <= names
    for before, after in compose_before_after.PAIRS.values():
        assert (DOCS / before).is_file() and (DOCS / after).is_file(), (before, after)
