"""`recall grader eval|train`: run the grader's evaluation or training and print the outcome.

The grader package computes; this module owns the printing and turns its failures into the
one-line errors every subcommand gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.commands.common import UserError, open_store_for, print_json


def run_eval_command(args) -> int:
    from app.grader.evaluate import EvalError, run_eval

    try:
        results = run_eval(args)
    except EvalError as exc:
        raise UserError(str(exc)) from exc
    names = results.pop("graders")
    if args.json:
        print_json(results)
    else:
        print_table(results, names)
    return 0


def print_table(results: dict, names: list[str]) -> None:
    """One table: a row per set and metric, a column per grader; then the figures."""
    w = 11
    rows: list[tuple[str, str, dict]] = []
    for set_name, entry in results["sets"].items():
        metrics = ("macro_f1", "accuracy") if "cards" in entry else ("pearson", "spearman", "mse")
        for k, m in enumerate(metrics):
            label = f"{set_name} ({entry['pairs']})" if k == 0 else ""
            rows.append((label, m, {n: entry[n][m] for n in names if n in entry}))
    for k, (kind, entry) in enumerate(results.get("kinds", {}).items()):
        rows.append((f"test, {kind} ({entry['pairs']})", "right" if k else "right verdict",
                     {n: entry[n] for n in names if n in entry}))
    goals = results.get("goals", {})
    for key, label in (("near_miss_held_back", "near misses not correct"),
                       ("paraphrase_accepted", "paraphrases correct")):
        rows.append((f"test, {label}", "share", {n: goals[n][key] for n in names if n in goals}))
    print(f"{'set':44}{'metric':14}" + "".join(f"{n:>{w}}" for n in names))
    for label, metric, cells in rows:
        text = "".join(f"{cells[n]:>{w}.3f}" if cells.get(n) is not None else f"{'-':>{w}}" for n in names)
        print(f"{label[:43]:44}{metric:14}{text}")
    print()
    for k, v in results["figures"].items():
        print(f"{k:26}{v:10.3f}")
    for note in results["notes"]:
        print(f"note: {note}", file=sys.stderr)


def run_train_command(args) -> int:
    from app.grader import default_weights_path
    from app.grader.sources import SourceMissing
    from app.grader.train import Recipe, build_and_train

    recipe = Recipe(seed=args.seed, residual=getattr(args, "residual", False))
    if getattr(args, "overlap", None) is not None:
        recipe.overlap_synsets = args.overlap
    recipe.compact_head = getattr(args, "compact_head", False)
    if getattr(args, "distill", None) is not None:
        recipe.distill = args.distill
    if getattr(args, "epochs", None) is not None:
        recipe.epochs = args.epochs
    if args.minutes is not None:
        recipe.minutes = args.minutes
    out = Path(args.out) if args.out else default_weights_path()
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.json else (lambda m: print(m, flush=True))
    try:
        summary = build_and_train(out, recipe, progress)
    except SourceMissing as exc:
        raise UserError(str(exc)) from exc
    except KeyboardInterrupt:
        raise UserError(f"training cancelled; {out} was left as it was") from None
    if args.json:
        print_json(summary)
    return 0


def run_fit_head_command(args) -> int:
    from app.grader import default_weights_path
    from app.grader.fit_head import fit

    try:
        from app.grader.lstm import LstmGrader
    except ImportError as exc:
        raise UserError("the evidence head sits on the LSTM grader, which needs torch (the voice extra)") from exc
    weights = Path(args.weights) if args.weights else default_weights_path()
    if not weights.is_file():
        raise UserError(f"no LSTM weights at {weights}: run `recall grader train` first")
    out = Path(args.out) if args.out else weights.with_name("head.json")
    grader = LstmGrader.load(weights, head=out.with_name(out.name + ".none"))  # score without the old head
    progress = (lambda m: print(m, file=sys.stderr, flush=True)) if args.json else (lambda m: print(m, flush=True))
    summary = fit(grader, out, seed=args.seed, progress=progress)
    if args.json:
        print_json(summary)
    return 0


def run_calibrate_command(args, grader) -> int:
    from app.grader.calibrate import calibrate

    store = open_store_for(args)
    with store.transaction() as session:
        result = calibrate(session, grader)
    if args.json:
        print_json(result.as_json())
    else:
        print(("calibration changed: " if result.changed else "calibration unchanged: ") + result.note)
    return 0
