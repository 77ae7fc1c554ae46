"""`recall` subcommands on the sample decks give byte-for-byte the output recorded in tests/golden/.

Each step runs `python -m app` as its own process (as a user or script would), on one database in
tmp, and the transcript (exit code, stdout, stderr, and any exported file) is compared with the
golden transcript: text byte for byte, `--json` documents equal except for keys added since
(the contract: add keys, never rename or remove). Only what cannot repeat is normalised: the temp folder, the repository path and
times written by the clock (import/creation stamps); every `--at` time is fixed.

Refactors must keep this passing. To re-record after an intended change of output (a new JSON
key, say): `python -m tests.test_cli_golden --record` and review the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).with_name("golden") / "cli.json"
AT = "2026-01-05T09:00:00Z"
LATER = "2026-01-09T18:30:00Z"
GEO = "World geography"
SEQ = "Neural sequence models"

# (args, exported file to show or None). {out} is the temp folder; card ids are stable (fresh db).
STEPS: list[tuple[list[str], str | None]] = [
    (["decks"], None),
    (["decks", "--json"], None),
    (["import", "data/world-geography.json", "--json"], None),
    (["import", "data/neural-sequence-models.json", "data/attention-and-transformers.json"], None),
    (["import", "data/world-geography.json", "--skip-duplicates", "--json"], None),
    (["decks"], None),
    (["decks", "--json"], None),
    (["cards", GEO], None),
    (["cards", SEQ, "--json"], None),
    (["due", "--at", AT, "--limit", "5"], None),
    (["due", GEO, "--at", AT, "--json", "--limit", "3"], None),
    (["review", "1", "good", "--at", AT, "--json"], None),
    (["review", "2", "again", "--at", AT], None),
    (["review", "3", "easy", "--at", AT, "--json"], None),
    (["review", "2", "good", "--at", LATER, "--json"], None),
    (["review", "30", "hard", "--at", LATER, "--json"], None),
    (["due", "--at", LATER, "--json", "--limit", "4"], None),
    (["stats", "--at", LATER], None),
    (["stats", GEO, "--at", LATER, "--json"], None),
    (["undo", "--json"], None),
    (["undo", GEO], None),
    (["decks", "--json"], None),
    (["export", GEO, "-o", "{out}/geo.csv", "--json"], "geo.csv"),
    (["export", SEQ, "--format", "tsv", "-o", "{out}/seq.tsv"], "seq.tsv"),
    (["export", GEO, "-o", "{out}/geo.json", "--json"], "geo.json"),
    (["deck", "create", "Scratch", "--json"], None),
    (["deck", "rename", "Scratch", "Scratch 2"], None),
    (["deck", "delete", "Scratch 2", "--yes", "--json"], None),
    (["cards", "No such deck"], None),
    (["review", "9999", "good", "--json"], None),
    (["due", "--at", "yesterday"], None),
    (
        [
            "grade",
            "--grader",
            "lexical",
            "--reference",
            "Gated recurrent unit",
            "--answer",
            "a gated recurrent unit",
            "--json",
        ],
        None,
    ),
]

_CLOCK = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)?")


def _normalise(text: str, tmp: Path, root: Path) -> str:
    text = text.replace(str(tmp), "<TMP>").replace(str(root), "<ROOT>")

    def stamp(m: re.Match) -> str:
        # Times derived from a fixed --at (reviews, due dates) stay; clock times become <NOW>.
        return m.group(0) if m.group(0).startswith(("2026-01-", "2026-02-", "2026-03-")) else "<NOW>"

    return _CLOCK.sub(stamp, text)


def transcript(tmp: Path, root: Path = ROOT) -> list[dict]:
    """Run every step against a fresh database in `tmp` with the code in `root`."""
    db = tmp / "golden.sqlite3"
    env = {
        **os.environ,
        "RECALL_HOME": str(tmp / "home"),
        "PYTHONPATH": str(root),
        "TZ": "UTC",
        "PYTHONIOENCODING": "utf-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("RECALL_DB", None)
    steps = []
    for args, shown in STEPS:
        argv = [a.replace("{out}", str(tmp)) for a in args]
        proc = subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db), *argv],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        step = {"cmd": " ".join(args), "exit": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
        if shown:
            step["file"] = (tmp / shown).read_text(encoding="utf-8")
        steps.append({k: _normalise(v, tmp, root) if isinstance(v, str) else v for k, v in step.items()})
    return steps


def _covers(new: Any, old: Any, where: str) -> list[str]:
    """Where `new` differs from `old`, allowing only keys added to objects (the --json contract)."""
    if isinstance(old, dict) and isinstance(new, dict):
        problems = [f"{where}: key {k!r} is gone" for k in old if k not in new]
        return problems + [p for k in old if k in new for p in _covers(new[k], old[k], f"{where}.{k}")]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (n, o) in enumerate(zip(new, old, strict=True)) for p in _covers(n, o, f"{where}[{i}]")]
    return [] if new == old and type(new) is type(old) else [f"{where}: {old!r} became {new!r}"]


def _differences(got: dict, want: dict) -> list[str]:
    out = []
    for field in ("exit", "stderr", "stdout", "file"):
        old, new = want.get(field), got.get(field)
        if old == new:
            continue
        if field in ("stdout", "file") and isinstance(old, str) and old.lstrip()[:1] in ("{", "["):
            try:
                out += _covers(json.loads(new), json.loads(old), field)
                continue
            except (TypeError, ValueError):
                pass
        diff = difflib.unified_diff(str(old).splitlines(), str(new).splitlines(), "golden", "now", lineterm="")
        out.append(f"{field}:\n" + "\n".join(list(diff)[:40]))
    return out


def test_cli_output_matches_golden(tmp_path):
    """Text output byte for byte; --json documents equal except for keys added since recording."""
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = transcript(tmp_path)
    assert [s["cmd"] for s in got] == [s["cmd"] for s in expected], "re-record after changing STEPS"
    problems = [f"$ recall {w['cmd']}\n  {p}" for g, w in zip(got, expected, strict=True) for p in _differences(g, w)]
    assert not problems, "recall output changed:\n" + "\n".join(problems)


if __name__ == "__main__":
    import tempfile

    if "--record" not in sys.argv:
        sys.exit("usage: python -m tests.test_cli_golden --record [CODE_ROOT]")
    rest = [a for a in sys.argv[1:] if a != "--record"]
    code_root = Path(rest[0]).resolve() if rest else ROOT
    with tempfile.TemporaryDirectory() as d:
        GOLDEN.parent.mkdir(exist_ok=True)
        doc = transcript(Path(d), code_root)
        GOLDEN.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"recorded {GOLDEN}")
