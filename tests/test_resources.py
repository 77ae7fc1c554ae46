"""app.resources: shipped files are found from a checkout, and from a plain (non-editable) wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import resources

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_files_are_found():
    assert resources.resource_path("grader", "lstm.pt").is_file()
    assert resources.resource_path("themes", "recall.qss").is_file()
    assert sorted(p.name for p in resources.sample_data_path().glob("*.json"))


def test_without_a_checkout_the_installed_share_folder_is_used(tmp_path, monkeypatch):
    source = tmp_path / "site-packages"  # what the package's parent looks like after pip install
    source.mkdir()
    share = tmp_path / "prefix" / "share" / "recall"
    (share / "resources" / "grader").mkdir(parents=True)
    (share / "resources" / "grader" / "lstm.pt").write_bytes(b"weights")
    monkeypatch.setattr(resources, "_SOURCE_ROOT", source)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert resources.bundle_root() == share
    assert resources.resource_path("grader", "lstm.pt").read_bytes() == b"weights"
    assert resources.sample_data_path("deck.json") == share / "data" / "deck.json"


def test_a_checkout_wins_over_an_installed_copy(tmp_path, monkeypatch):
    (tmp_path / "prefix" / "share" / "recall" / "resources").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    assert resources.bundle_root() == ROOT


def test_a_plain_wheel_carries_the_shipped_files(tmp_path):
    """Build a wheel from a copy of the project, install it into a fresh venv without dependencies,
    and ask the installed app.resources where the weights, theme and sample decks are."""
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "app", src / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", src / "resources")
    (src / "data").mkdir()
    for deck in (ROOT / "data").glob("*.json"):
        shutil.copy2(deck, src / "data" / deck.name)
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist")],
                   check=True, cwd=src, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("recall-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "-q", str(wheel)], check=True,
                   capture_output=True)
    probe = ("from app import resources as r; print(r.bundle_root()); "
             "print(r.resource_path('grader', 'lstm.pt').stat().st_size); "
             "print(r.resource_path('themes', 'recall.qss').is_file()); "
             "print(len(list(r.sample_data_path().glob('*.json')))); "
             "print(len(list(r.resource_path('icons', 'ui').glob('*.svg'))))")
    out = subprocess.run([str(python), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path)
    root, size, theme, decks, icons = out.stdout.split()
    assert Path(root).resolve() == (venv / "share" / "recall").resolve()
    assert int(size) == (ROOT / "resources" / "grader" / "lstm.pt").stat().st_size
    assert theme == "True"
    assert int(decks) == len(list((ROOT / "data").glob("*.json")))
    assert int(icons) == len(list((ROOT / "resources" / "icons" / "ui").glob("*.svg"))) > 0
