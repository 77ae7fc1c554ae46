"""packaging/build.py: argument handling, host checks, and the Linux package layout on a tiny fake bundle."""

import importlib
import shutil
import subprocess
from pathlib import Path

import pytest

# packaging/build.py (on sys.path via conftest); imported by name so that linters never mistake it
# for the git-ignored build/ folder
build = importlib.import_module("build")
linux = importlib.import_module("build_linux")  # the Linux recipe build.py runs


def test_unknown_target_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        build.main(["solaris"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_building_for_another_system_says_where_to_build(capsys):
    other = "macos" if not build.sys.platform.startswith("darwin") else "linux"
    assert build.main([other]) == 1
    err = capsys.readouterr().err
    assert err.startswith("build.py: ") and "must be built on" in err and "release.yml" in err
    assert "Traceback" not in err


def test_host_check_accepts_the_matching_system():
    build.check_host("linux", "linux")
    build.check_host("windows", "win32")
    build.check_host("macos", "darwin")
    with pytest.raises(build.BuildError):
        build.check_host("windows", "linux")


def test_missing_pyinstaller_is_reported_with_the_install_command(monkeypatch):
    real = build.importlib.util.find_spec
    monkeypatch.setattr(build.importlib.util, "find_spec", lambda n: None if n == "PyInstaller" else real(n))
    with pytest.raises(build.BuildError, match=r'pip install -e "\.\[voice,packaging\]"'):
        build.check_tools("linux", skip_bundle=False)


def control_fields(text: str) -> dict[str, str]:
    fields, key = {}, None
    for line in text.splitlines():
        if line.startswith(" "):
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(": ")
            fields[key] = value
    return fields


def test_deb_control_names_the_system_libraries():
    text = build.deb_control("1.2.3", "amd64", 12345, libc="2.34")
    assert text.endswith("\n")
    fields = control_fields(text)
    assert fields["Package"] == "recall" and fields["Version"] == "1.2.3"
    assert fields["Architecture"] == "amd64" and fields["Installed-Size"] == "12345"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert depends[0] == "libc6 (>= 2.34)"
    for lib in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libgl1", "libfontconfig1",
                "libpulse0", "libportaudio2", "libespeak-ng1"):
        assert lib in depends
    assert all(line.startswith(" ") for line in text.split("Description:")[1].splitlines()[1:])


def test_glibc_floor_reads_the_newest_symbol_version(tmp_path):
    (tmp_path / "lib.so").write_bytes(b"\x7fELF" + b"\0GLIBC_2.17\0GLIBC_2.34\0GLIBC_2.3.4\0")
    (tmp_path / "notes.txt").write_bytes(b"GLIBC_2.99\0")  # not an ELF file: ignored
    assert build.glibc_floor(tmp_path) == "2.34"
    assert build.glibc_floor(tmp_path / "notes.txt") is None


@pytest.fixture
def fake_bundle(tmp_path, monkeypatch):
    """A bundle folder with a shell script standing in for the frozen executable; builds go to tmp."""
    bundle = tmp_path / "dist" / "recall"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "recall"
    exe.write_text("#!/bin/sh\necho recall 0.0.fake\n")
    exe.chmod(0o755)
    (bundle / "_internal" / "data.txt").write_text("x")
    monkeypatch.setattr(linux, "ROOT", _root_with_resources(tmp_path))
    return bundle


def _root_with_resources(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(Path(build.__file__).resolve().parent.parent / "resources", root / "resources")
    return root


@pytest.mark.skipif(not shutil.which("dpkg-deb"), reason="dpkg-deb not installed")
def test_deb_installs_launcher_desktop_entry_and_icons(fake_bundle, tmp_path):
    deb = linux.make_deb(fake_bundle, "0.1.0", tmp_path / "out")
    assert deb.name.startswith("recall_0.1.0_") and deb.suffix == ".deb"
    info = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Depends"], capture_output=True,
                          text=True, check=True).stdout
    assert "Package: recall" in info and "libportaudio2" in info
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./usr/bin/recall", "./usr/lib/recall/recall", "./usr/lib/recall/_internal/data.txt",
                 "./usr/share/applications/org.recallapp.Recall.desktop",
                 "./usr/share/metainfo/org.recallapp.Recall.metainfo.xml",
                 "./usr/share/icons/hicolor/256x256/apps/recall.png", "./usr/share/doc/recall/copyright"):
        assert path in listing
    assert "root/root" in listing  # files owned by root, whoever built it
    scratch = tmp_path / "scratch"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(scratch)], check=True)
    launcher = (scratch / "usr/bin/recall").read_text()
    assert "exec /usr/lib/recall/recall" in launcher


def test_appdir_has_apprun_desktop_file_and_icon(fake_bundle):
    appdir = linux.make_appdir(fake_bundle)
    assert (appdir / "AppRun").stat().st_mode & 0o111
    assert (appdir / "org.recallapp.Recall.desktop").is_file() and (appdir / "recall.png").is_file()
    assert (appdir / ".DirIcon").resolve() == (appdir / "recall.png").resolve()
    res = subprocess.run([str(appdir / "AppRun")], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "recall 0.0.fake"


def test_largest_parts_rank_the_internal_folder(tmp_path):
    inner = tmp_path / "recall" / "_internal"
    (inner / "torch").mkdir(parents=True)
    (inner / "torch" / "lib.so").write_bytes(b"x" * 3000)
    (inner / "small.so").write_bytes(b"x" * 10)
    assert build.largest_parts(tmp_path / "recall", 1) == [("torch", 3000)]


@pytest.mark.skipif(not shutil.which("strip"), reason="binutils not installed")
def test_strip_touches_only_the_listed_libraries(tmp_path, monkeypatch):
    monkeypatch.delenv("RECALL_BUNDLE_STRIP", raising=False)
    lib_dir = tmp_path / "recall" / "_internal" / "torch" / "lib"
    lib_dir.mkdir(parents=True)
    elf = Path(shutil.which("true")).resolve()
    shutil.copyfile(elf, lib_dir / "libtorch_cpu.so")
    other = tmp_path / "recall" / "_internal" / "libother.so"
    shutil.copyfile(elf, other)
    assert build.strip_libraries(tmp_path / "recall") >= 0
    assert other.read_bytes() == elf.read_bytes()  # not listed: untouched
    monkeypatch.setenv("RECALL_BUNDLE_STRIP", "0")
    assert build.strip_libraries(tmp_path / "recall") == 0
