"""Each package's face: a docstring saying what it is for, `__all__` naming its public names,
every name resolving, and importing a package loads none of the heavy libraries."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(
    ["app"] + [m.name for m in pkgutil.walk_packages(app.__path__, "app.") if m.ispkg and ".migrations" not in m.name]
)
HEAVY = ("torch", "whisper", "PySide6", "sounddevice", "pyttsx3")


def test_the_packages_are_found():
    assert {"app.store", "app.study", "app.voice", "app.ui", "app.commands"} <= set(PACKAGES)


@pytest.mark.parametrize("name", PACKAGES)
def test_a_package_says_what_it_is_for_and_names_its_exports(name):
    pkg = importlib.import_module(name)
    assert pkg.__doc__ and len(pkg.__doc__.strip()) > 40, f"{name}: no docstring"
    assert isinstance(pkg.__all__, list | tuple) and pkg.__all__, f"{name}: no __all__"
    for export in pkg.__all__:
        assert getattr(pkg, export) is not None, f"{name}.{export}"
    submodules = {m.name for m in pkgutil.iter_modules(getattr(pkg, "__path__", []))}
    # a name equal to a submodule's would be replaced by the module once that is imported
    assert not submodules & set(pkg.__all__), f"{name}: exports shadow submodules"


def test_importing_any_package_loads_no_heavy_library():
    code = (
        "import sys\n"
        f"for name in {PACKAGES!r}: __import__(name)\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "", f"imported at package import: {res.stdout.strip()}"


def test_a_lazy_name_is_the_module_attribute_and_unknown_names_fail():
    import app.study as study
    from app.study.deck_stats import deck_summaries

    assert study.deck_summaries is deck_summaries
    assert "deck_summaries" in dir(study)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = study.no_such_name
