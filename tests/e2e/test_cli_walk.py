"""A new user's walk through the `recall` command line, as a reviewer found it.

Each xfail names a defect found by hand; it passes (and strict xfail fails) once it is fixed.
The commands run in a child process, as a user runs them, over a private RECALL_HOME.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def recall(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECALL_HOME": str(home)}
    env.pop("RECALL_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> None:
    """README: 'Exit status ... 1 a problem you can fix (one line on stderr)'."""
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""


def test_import_then_list_the_decks(tmp_path: Path) -> None:
    """The documented first steps work: a TSV and the sample decks in, `decks --json` is one document."""
    tsv = tmp_path / "bio.tsv"
    tsv.write_text("mitochondria\tpowerhouse of the cell\nribosome\tmakes proteins\n", encoding="utf-8")
    samples = sorted(str(p) for p in (ROOT / "data").glob("*.json"))
    got = recall("import", str(tsv), *samples, "--json", home=tmp_path)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["added"] >= 2 + len(samples)
    decks = recall("decks", "--json", home=tmp_path)
    assert decks.returncode == 0, decks.stderr
    names = {d["name"]: d for d in json.loads(decks.stdout)}
    assert names["bio"]["cards"] == 2


@pytest.mark.parametrize("url", ["mysql://user@localhost/recall", "notaurl://x"])
def test_unsupported_database_url_is_one_line(tmp_path: Path, url: str) -> None:
    """Bad usage (README: exit 2), said in one line, and nothing made in RECALL_HOME."""
    got = recall("--db", url, "decks", home=tmp_path)
    assert got.returncode == 2, got.stderr
    assert "Traceback" not in got.stderr and got.stdout == ""
    assert got.stderr.strip().splitlines() == [got.stderr.strip()], got.stderr
    assert "unsupported database URL" in got.stderr or "not a database URL" in got.stderr
    assert "SQLite files and postgresql://" in got.stderr or "not a database URL" in got.stderr
    assert not (tmp_path / "data").exists()


def test_a_typo_in_db_path_creates_nothing(tmp_path: Path) -> None:
    """Reading commands never make a database or its folder; writing ones still do."""
    target = tmp_path / "typo" / "dir" / "x.db"
    for args in (["decks"], ["decks", "--json"], ["cards", "x"], ["due"], ["stats"],
                 ["export", "x", "-o", str(tmp_path / "x.csv")]):
        got = recall("--db", str(target), *args, home=tmp_path / "home")
        one_line_error(got)
        assert f"no Recall database at {target}" in got.stderr
        assert not target.parent.exists(), args
    made = recall("--db", str(target), "deck", "create", "x", home=tmp_path / "home")
    assert made.returncode == 0, made.stderr
    assert target.is_file()
    listed = recall("--db", str(target), "decks", "--json", home=tmp_path / "home")
    assert [d["name"] for d in json.loads(listed.stdout)] == ["x"]


def test_read_only_folder_is_not_called_damaged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    tsv = tmp_path / "a.tsv"
    tsv.write_text("a\tb\n", encoding="utf-8")
    assert recall("import", str(tsv), home=home).returncode == 0
    data = home / "data"
    for p in data.iterdir():
        p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    data.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        if os.access(data, os.W_OK):
            # tests/store/test_db_errors.py covers this path as root (real SQLite errors, the folder
            # reported read-only, or the child run as nobody where it may)
            pytest.skip("running as root: a chmod does not make the folder read-only")
        got = recall("import", str(tsv), "--deck", "more", home=home)
        assert got.returncode == 1
        assert "damaged" not in got.stderr, got.stderr
        assert "read-only" in got.stderr or "permission" in got.stderr.lower() or "cannot write" in got.stderr
        listed = recall("decks", "--json", home=home)  # reading still works where nothing may be written
        assert listed.returncode == 0, listed.stderr
        assert [d["name"] for d in json.loads(listed.stdout)] == ["a"]
    finally:
        data.chmod(stat.S_IRWXU)


def test_json_card_without_back_is_not_imported(tmp_path: Path) -> None:
    deck = tmp_path / "x.json"
    deck.write_text(json.dumps({"name": "x", "cards": [{"q": 1}]}), encoding="utf-8")
    got = recall("import", str(deck), "--json", home=tmp_path)
    assert got.returncode == 1 and "1 card skipped: no answer" in got.stderr, got.stderr
    two = tmp_path / "two.json"
    two.write_text(json.dumps([{"front": "only a front"}, {"front": "f", "back": "b"}]), encoding="utf-8")
    partial = recall("import", str(two), home=tmp_path)
    assert partial.returncode == 0, partial.stderr
    assert "1 card skipped: no answer" in partial.stderr
    assert "imported 1 card into 'two'" in partial.stdout
    dry = recall("import", str(two), "--dry-run", home=tmp_path)
    assert "two.json: 1 card as json" in dry.stdout and "1 card skipped: no answer" in dry.stdout
    if got.returncode == 0:
        cards = json.loads(recall("cards", "x", "--json", home=tmp_path).stdout)
        assert all(c["back"].strip() for c in cards), cards
    else:
        one_line_error(got)


def test_negated_answers_are_not_correct(tmp_path: Path) -> None:
    pairs = tmp_path / "neg.jsonl"
    rows = [
        {"reference": "hot", "answer": "not hot"},
        {"reference": "the heart pumps blood", "answer": "the heart doesn't pump blood"},
        {"reference": "Water boils at 100 degrees Celsius", "answer": "water does not boil at 100 degrees celsius"},
    ]
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = recall("grade", "--pairs", str(pairs), "--json", home=tmp_path)
    assert got.returncode == 0, got.stderr
    verdicts = [(r["answer"], r["verdict"]) for r in json.loads(got.stdout)]
    assert all(v != "correct" for _a, v in verdicts), verdicts
