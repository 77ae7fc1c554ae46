"""The Inno Setup script and the release workflow say what the issue asks of them."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for raw in (ROOT / "packaging" / "windows" / "recall.iss").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = sections.setdefault(m.group(1), [])
        elif current is not None:
            current.append(line)
    return sections


def test_inno_setup_installs_per_user_with_start_menu_entry_and_uninstaller():
    sections = iss_sections()
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}")  # %LOCALAPPDATA%\Programs for a per-user install
    assert setup["OutputBaseFilename"] == "Recall-{#AppVersion}-setup"  # the name build.py returns
    assert setup["UninstallDisplayIcon"] == r"{app}\Recall.exe"
    assert setup.get("Uninstallable", "yes") == "yes"
    assert any(line.startswith('Name: "{autoprograms}\\Recall"') for line in sections["Icons"])
    assert any("recursesubdirs" in line and "{#BundleDir}" in line for line in sections["Files"])


def test_release_workflow_builds_each_system_on_its_runner_and_publishes_on_tags():
    yaml = pytest.importorskip("yaml")
    wf = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key `on` as True
    assert on["push"]["tags"] == ["v*"]
    matrix = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
    runners = {m["target"]: m["os"] for m in matrix}
    assert set(runners) == {"linux", "windows", "macos"}
    assert runners["linux"].startswith("ubuntu") and runners["windows"].startswith("windows")
    assert runners["macos"].startswith("macos")
    steps = wf["jobs"]["build"]["steps"]
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "packaging/build.py ${{ matrix.target }}" in scripts
    assert "bootstrap.install_python_packages('voice,packaging')" in scripts
    release = wf["jobs"]["release"]
    assert release["needs"] == "build" and release["permissions"]["contents"] == "write"


def test_workflow_uses_what_bootstrap_provides():
    sys.path.insert(0, str(ROOT / "packaging"))
    import bootstrap

    assert callable(bootstrap.install_python_packages)
    assert "libportaudio2" in bootstrap.APT_PACKAGES
