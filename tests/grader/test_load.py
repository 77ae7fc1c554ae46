import pytest

from app.grader import load_grader


def test_missing_weights_fall_back_to_lexical(tmp_path):
    assert load_grader("auto", weights=tmp_path / "absent.pt").name == "lexical"
    with pytest.raises(FileNotFoundError):
        load_grader("lstm", weights=tmp_path / "absent.pt")


def test_corrupt_weights_fall_back_to_lexical(tmp_path):
    pytest.importorskip("torch")
    bad = tmp_path / "lstm.pt"
    bad.write_bytes(b"not a model")
    assert load_grader("auto", weights=bad).name == "lexical"
    with pytest.raises(Exception):  # noqa: B017 - asking for the LSTM by name surfaces the failure
        load_grader("lstm", weights=bad)


def test_unknown_choice():
    with pytest.raises(ValueError):
        load_grader("bert")


def test_importing_the_package_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, app.grader, app.grader.lexical, app.commands.grade; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
