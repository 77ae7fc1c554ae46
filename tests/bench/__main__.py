"""Run every benchmark row and print one table: figure, reference, ratio, goal.

    .venv/bin/python -m tests.bench [--quick] [--json] [--only NAME ...]

Each module in tests/bench/rows/ exposes `ROWS`: a list of (name, function) where
`function(quick: bool, workdir: Path) -> list[Row]`. A row that raises is reported as an error
row; the run goes on. `--json` writes exactly one JSON document to stdout (progress goes to stderr).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import rows as rows_pkg  # noqa: E402
from tests.bench.harness import Row, format_table  # noqa: E402


def collect() -> list[tuple[str, object]]:
    found = []
    for info in sorted(pkgutil.iter_modules(rows_pkg.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"tests.bench.rows.{info.name}")
        found.extend(getattr(mod, "ROWS", []))
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smaller data and fewer runs: under 2 minutes")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.add_argument("--only", nargs="*", default=None, help="run only rows whose name contains one of these")
    args = p.parse_args(argv)
    results: list[Row] = []
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="recall-bench-") as tmp:
        for name, fn in collect():
            if args.only and not any(o in name for o in args.only):
                continue
            print(f"bench: {name} …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            work = Path(tmp) / name.replace(" ", "_")
            work.mkdir(parents=True, exist_ok=True)
            try:
                got = fn(args.quick, work)
            except Exception as exc:  # a broken row is reported, the others still run
                traceback.print_exc(file=sys.stderr)
                got = [Row(name=name, figure=None, reference=None, goal="", error=f"{type(exc).__name__}: {exc}")]
            print(f"bench: {name} took {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            results.extend(got)
    total = time.perf_counter() - t_all
    if args.json:
        doc = {"quick": args.quick, "seconds": round(total, 1), "rows": [r.as_json() for r in results]}
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        print(format_table(results))
        print(f"\n{len(results)} rows in {total:.0f} s ({'quick' if args.quick else 'full'} run)")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
