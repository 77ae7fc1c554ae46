"""Both README commands share one environment: `run` after `test` (or the reverse) installs nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "packaging" / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_and_test_install_the_same_extras():
    boot = _bootstrap()
    assert boot.EXTRAS["run"] == boot.EXTRAS["test"]


def test_a_second_command_finds_the_install_stamp_and_installs_nothing(tmp_path, monkeypatch):
    boot = _bootstrap()
    venv = tmp_path / ".venv"
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setattr(boot, "VENV", venv)
    monkeypatch.setattr(boot, "STAMP", venv / ".recall-installed")
    commands: list[list[str]] = []
    monkeypatch.setattr(boot, "_run", lambda cmd, **kw: commands.append(cmd))
    boot.install_python_packages(boot.EXTRAS["test"])
    assert commands, "the first install must run pip"
    commands.clear()
    boot.install_python_packages(boot.EXTRAS["run"])
    boot.install_python_packages(boot.EXTRAS["test"])
    assert commands == []
