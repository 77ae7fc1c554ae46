"""`python -m tests.bench --quick --json` runs every benchmark row: the table is what counts.

Asserts only that every row ran (no error rows; a figure, and a reference where the row has
one), never a time: CI machines are slower and loaded. The rows print their own table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.bench
def test_quick_bench_runs_every_row(tmp_path):
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("RECALL_DB", None)
    env["RECALL_HOME"] = str(tmp_path / "home")
    env.pop("RECALL_BENCH_CACHE", None)  # build the quick collections afresh, as CI does
    proc = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    sys.stderr.write(proc.stderr[-4000:])
    doc = json.loads(proc.stdout)  # exactly one JSON document on stdout
    rows = doc["rows"]
    assert rows, "no benchmark rows were collected"
    print(f"\n{len(rows)} rows in {doc['seconds']} s")
    for row in rows:
        print(f"{row['name']}: {row['figure']} {row['unit']} vs {row['reference']} (ratio {row['ratio']})")
    errors = [f"{r['name']}: {r['error']}" for r in rows if r["error"]]
    assert not errors, errors
    missing = [r["name"] for r in rows if r["figure"] is None]
    assert not missing, f"rows without a figure: {missing}"
    unreferenced = [r["name"] for r in rows if r["ratio"] is None and r["goal"].startswith("ratio")]
    assert not unreferenced, f"ratio rows without a reference: {unreferenced}"
    assert proc.returncode == 0
