"""`recall grader eval|train`: run the grader's evaluation or training and print the outcome.

The grader package computes; this module owns the printing and turns its failures into the
one-line errors every subcommand gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.commands.common import UserError, print_json


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
    w = 12
    print(f"{'set':34}{'metric':10}" + "".join(f"{n:>{w}}" for n in names))
    for set_name, entry in results["sets"].items():
        metrics = ("accuracy", "macro_f1") if "cards" in entry else ("pearson", "spearman", "mse")
        for i, m in enumerate(metrics):
            label = f"{set_name} ({entry['pairs']})" if i == 0 else ""
            cells = "".join(f"{entry[n][m]:>{w}.3f}" if n in entry else f"{'-':>{w}}" for n in names)
            print(f"{label:34}{m:10}{cells}")
    print()
    for k, v in results["figures"].items():
        print(f"{k:22}{v:10.3f}")
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
