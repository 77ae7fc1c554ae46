"""`recall grade ...` (score one answer or a file of them) and `recall grader eval|train|fit-head|calibrate`.

Registration imports nothing heavy: the grader (and torch, for the LSTM) loads in the handler.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.commands.common import UsageError, UserError, json_output, print_json


def register(sub) -> None:
    p = sub.add_parser("grade", help="grade an answer against a reference answer")
    p.add_argument("--reference", help="the card's answer")
    p.add_argument("--answer", help="the student's answer")
    p.add_argument("--question", help="the card's question (optional context)")
    p.add_argument("--sibling", action="append", default=[], metavar="TEXT",
                   help="another card's answer of the same deck (repeat); said for this card, it is a near miss")
    p.add_argument("--pairs", metavar="FILE.jsonl", help="grade every line {question?, reference, answer, siblings?}")
    p.add_argument("--grader", choices=("auto", "lstm", "lexical"), default="auto")
    json_output(p, _grade)

    g = sub.add_parser("grader", help="evaluate, retrain or calibrate the answer grader")
    gsub = g.add_subparsers(dest="grader_command", metavar="ACTION", required=True)
    e = gsub.add_parser("eval", help="compare the LSTM grader with the baselines on held-out sets")
    e.add_argument("--sts-dir", help="folder with the SICK/STS files (default: RECALL_STS_DIR, else ../shared/data/sts)")
    e.add_argument("--flashcards", help="flashcard answer set jsonl (default: the team's held-out set)")
    e.add_argument("--weights", help="LSTM weights (default: the shipped ones)")
    e.add_argument("--no-minilm", action="store_true", help="skip the MiniLM baseline even if installed")
    e.add_argument("--limit", type=int, default=0, help="use at most N pairs per set (quick look)")
    json_output(e, _eval)
    t = gsub.add_parser("train", help="rebuild the LSTM grader weights from scratch")
    t.add_argument("--out", help="where to write the weights (default: the shipped resources/grader/lstm.pt)")
    t.add_argument("--minutes", type=float, default=None, help="training time budget (default from the recipe)")
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--json", action="store_true", help="print the training summary as JSON")
    # Experiments (the shipped recipe uses none of them).
    t.add_argument("--residual", action="store_true", help="experiment: learn a correction to the lexical score")
    t.add_argument("--overlap", type=int, help="experiment: synsets that give overlap pairs")
    t.add_argument("--epochs", type=int, help="experiment: training epochs")
    t.add_argument("--distill", type=float, help="experiment: weight of the embedding-copy loss")
    t.add_argument("--compact-head", action="store_true", help="experiment: head on scalar features only")
    t.set_defaults(handler=_train)
    h = gsub.add_parser("fit-head", help="refit the evidence head on the evaluation set's train cards")
    h.add_argument("--out", help="where to write it (default: resources/grader/head.json beside the weights)")
    h.add_argument("--weights", help="LSTM weights (default: the shipped ones)")
    h.add_argument("--seed", type=int, default=13)
    json_output(h, _fit_head, help="print the fit's summary as JSON")
    c = gsub.add_parser("calibrate", help="refit the verdict thresholds from your 'I was right' overrides")
    c.add_argument("--grader", choices=("auto", "lstm", "lexical"), default="auto")
    json_output(c, _calibrate)


def _load(choice: str, weights: str | None = None):
    from app.grader import load_grader

    try:
        return load_grader(choice, Path(weights) if weights else None)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc


def _grade(args) -> int:
    grader = _load(args.grader)
    if args.pairs:
        if args.reference or args.answer:
            raise UsageError("use either --pairs or --reference/--answer, not both")
        rows = _read_pairs(Path(args.pairs))
        results = [{**row, **g.as_json()} for row, g in zip(rows, _grade_rows(grader, rows), strict=True)]
        if args.json:
            print_json(results)
        else:
            for r in results:
                print(f"{r['score']:.3f}\t{r['verdict']}\t{r['answer']}")
        return 0
    if args.reference is None or args.answer is None:
        raise UsageError("give --reference and --answer, or --pairs FILE.jsonl")
    g = grader.grade(args.reference, args.answer, args.question, siblings=tuple(args.sibling) or None)
    if args.json:
        print_json(g.as_json())
    else:
        print(f"{g.verdict} ({g.score:.2f}, {g.grader})")
        if g.missing:
            print("missing: " + "; ".join(g.missing))
        if g.wrong:
            print("wrong: " + "; ".join(g.wrong))
    return 0


def _grade_rows(grader, rows: list[dict]) -> list:
    """The LSTM grades a file's pairs in batches (the same grades as one by one, within 1e-6, in a
    fraction of the time); a grader without grade_many takes them one by one."""
    many = getattr(grader, "grade_many", None)
    if many is not None:
        return many([r["reference"] for r in rows], [r["answer"] for r in rows], [r.get("question") for r in rows],
                    [tuple(r.get("siblings") or ()) or None for r in rows])
    return [grader.grade(r["reference"], r["answer"], r.get("question"), siblings=r.get("siblings") or None)
            for r in rows]


def _read_pairs(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("reference"), str) or not isinstance(
            row.get("answer"), str
        ):
            raise UserError(f"{path}:{n}: each line needs string fields 'reference' and 'answer'")
        q = row.get("question")
        sib = row.get("siblings")
        rows.append({"question": q if isinstance(q, str) else None, "reference": row["reference"],
                     "answer": row["answer"],
                     **({"siblings": [s for s in sib if isinstance(s, str)]} if isinstance(sib, list) else {})})
    return rows


def _eval(args) -> int:
    from app.commands.grader_cli import run_eval_command

    return run_eval_command(args)


def _fit_head(args) -> int:
    from app.commands.grader_cli import run_fit_head_command

    return run_fit_head_command(args)


def _calibrate(args) -> int:
    from app.commands.grader_cli import run_calibrate_command

    return run_calibrate_command(args, _load(args.grader))


def _train(args) -> int:
    from app.commands.grader_cli import run_train_command

    return run_train_command(args)
