"""resources/org.recallapp.Recall.desktop and the AppStream metainfo agree with each other and with the app."""

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import __version__

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "resources" / "org.recallapp.Recall.desktop"
METAINFO = ROOT / "resources" / "org.recallapp.Recall.metainfo.xml"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_runs_the_installed_command_with_its_icon():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Recall"
    # /usr/bin/recall in the .deb, the console script from pip
    assert entry["Exec"].split()[0] == "recall"
    assert 'recall = "app.cli:main"' in (ROOT / "pyproject.toml").read_text()
    assert entry["Terminal"] == "false"
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}-256.png").is_file()
    assert "Education" in entry["Categories"].split(";")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_desktop_file_validate_accepts_it():
    res = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert res.returncode == 0 and not res.stdout.strip(), res.stdout


def test_metainfo_names_the_desktop_file_and_the_current_release():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert METAINFO.name == f"{root.findtext('id')}.metainfo.xml"
    assert root.findtext("launchable") == DESKTOP.name
    # the window sets QGuiApplication.desktopFileName to the same id (Wayland app id, taskbar icon)
    assert DESKTOP.stem == root.findtext("id")
    assert root.findtext("provides/binary") == "recall"
    versions = [r.get("version") for r in root.iter("release")]
    assert __version__ in versions


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstreamcli not installed")
def test_appstreamcli_validates_metainfo():
    res = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
