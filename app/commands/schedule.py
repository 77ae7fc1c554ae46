"""`recall due | review | undo | stats | optimize`: the Spaced scheduler from the command line.

JSON output (`--json`) is a contract for scripts and tests; keep its keys stable. Times in
JSON are ISO 8601 in UTC; text output shows local time. Registration imports nothing heavy:
the optimizer loads torch only when it runs.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from app.commands.common import UsageError, UserError, json_output, open_store_for, print_json, user_errors

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4, "1": 1, "2": 2, "3": 3, "4": 4}
RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}
STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}


def register(sub) -> None:
    p = sub.add_parser("due", help="today's Spaced queue (all decks, or one)")
    p.add_argument("deck", nargs="?", help="deck name (default: all decks)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="list at most N cards")
    p.add_argument("--at", metavar="ISO_TIME", help="pretend it is this time (default: now)")
    json_output(p, _due)

    p = sub.add_parser("review", help="record one Spaced review of a card")
    p.add_argument("card_id", type=int, metavar="CARD_ID")
    p.add_argument("rating", choices=list(RATINGS), metavar="again|hard|good|easy")
    p.add_argument("--at", metavar="ISO_TIME", help="when the review happened (default: now)")
    json_output(p, _review)

    p = sub.add_parser("undo", help="undo the last review (any mode)")
    p.add_argument("deck", nargs="?", help="only the last review in this deck")
    json_output(p, _undo)

    p = sub.add_parser("stats", help="review statistics for a deck or the whole collection")
    p.add_argument("deck", nargs="?", help="deck name (default: all decks)")
    p.add_argument("--at", metavar="ISO_TIME", help="pretend it is this time (default: now)")
    json_output(p, _stats)

    p = sub.add_parser("optimize", help="fit the scheduler's parameters to your review history")
    p.add_argument("deck", nargs="?", help="deck name (default: the whole collection)")
    p.add_argument("--restore", action="store_true", help="put back the parameters the last fit replaced")
    json_output(p, _optimize)


def parse_time(text: str | None) -> datetime:
    """An ISO time; one without an offset is local time. None means now."""
    if text is None:
        return datetime.now(timezone.utc)
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise UsageError(
            f"--at: {text!r} is not an ISO time such as 2026-03-02T09:30 or 2026-03-02T09:30Z"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.astimezone()  # read as the computer's local time
    return moment.astimezone(timezone.utc)


def local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "-"


def _deck_id(session, name: str | None) -> int | None:
    if name is None:
        return None
    from app.store.repo import DeckNotFound, get_deck

    with user_errors(DeckNotFound):
        return get_deck(session, name).id


def _due(args) -> int:
    from app.scheduling.queue import build_queue

    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    now = parse_time(args.at)
    store = open_store_for(args, create=False)
    try:
        with store.session() as session:
            deck_id = _deck_id(session, args.deck)
            q = build_queue(session, deck_id, now)
    finally:
        store.close()
    items = q.items if args.limit is None else q.items[: args.limit]
    if args.json:
        print_json(
            {
                "deck": args.deck,
                "today": q.day.date.isoformat(),
                "counts": q.counts.as_json(),
                "next_due": q.next_due.isoformat() if q.next_due else None,
                "cards": [it.as_json() for it in items],
            }
        )
        return 0
    c = q.counts
    print(f"{c.new} new, {c.learning} learning, {c.review} review")
    for it in items:
        due = "" if it.due is None else local(it.due)
        print(f"{it.card_id}\t{it.kind}\t{due}\t{it.deck}\t{_one_line(it.front)}")
    if not q.items:
        print("nothing due" + (f"; next card at {local(q.next_due)}" if q.next_due else " today"))
    return 0


def _one_line(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _review(args) -> int:
    from app.scheduling.review import format_interval, record_review
    from app.store.models import Card

    now = parse_time(args.at)
    rating = RATINGS[args.rating]
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            card = session.get(Card, args.card_id)
            if card is None:
                raise UserError(f"no card with id {args.card_id}")
            res = record_review(session, card, mode="spaced", rating=rating, now=now)
    finally:
        store.close()
    doc = {
        "card_id": res.card_id,
        "log_id": res.log_id,
        "rating": res.rating,
        "rating_name": RATING_NAMES[res.rating],
        "reviewed_at": now.isoformat(),
        "due": res.due.isoformat(),
        "state": STATE_NAMES.get(res.state, str(res.state)),
        "stability": res.stability,
        "difficulty": res.difficulty,
        "interval_days": round(res.interval_days or 0.0, 6),
    }
    if args.json:
        print_json(doc)
    else:
        print(f"due {local(res.due)} (in {format_interval(res.due - now)}), {doc['state']}")
    return 0


def _undo(args) -> int:
    from app.scheduling.undo import NothingToUndo, UndoConflict, undo_review

    store = open_store_for(args)
    try:
        with store.transaction() as session:
            deck_id = _deck_id(session, args.deck)
            with user_errors(NothingToUndo, UndoConflict):
                res = undo_review(session, deck_id=deck_id)
    finally:
        store.close()
    if args.json:
        print_json(res.as_json())
    else:
        after = "new again" if res.card_is_new else "back to its earlier state"
        print(
            f"undid the {RATING_NAMES.get(res.rating, res.rating)} review of card {res.card_id} "
            f"({res.mode}, {local(res.reviewed_at)}); the card is {after}"
        )
    return 0


def _stats(args) -> int:
    from app.scheduling.stats import collect_stats

    now = parse_time(args.at)
    store = open_store_for(args, create=False)
    try:
        with store.session() as session:
            st = collect_stats(session, _deck_id(session, args.deck), now)
    finally:
        store.close()
    if args.json:
        print_json(st.as_json())
        return 0
    cs = st.card_states
    d = st.due_today
    print(f"{st.deck or 'All decks'} — study day {st.today.date.isoformat()}")
    print(
        f"cards: {cs['total']} ({cs['new']} new, {cs['learning']} learning, "
        f"{cs['review']} review, {cs['relearning']} relearning)"
    )
    print(f"due today: {d.total} ({d.new} new, {d.learning} learning, {d.review} review)")
    print(f"reviews today: {st.reviews_today}; per day over 30 days: {st.reviews_per_day:.1f}")
    print(f"streak: {st.streak} days (longest {st.longest_streak})")
    for label, r in (("30 days", st.retention_recent), ("all time", st.retention_all)):
        rate = "-" if r.rate is None else f"{100 * r.rate:.1f}%"
        print(f"true retention ({label}): {rate} of {r.total} reviews")
    print("due per day, next 30 days: " + " ".join(str(n) for _, n in st.forecast))
    return 0


def _optimize(args) -> int:
    from app.scheduling.optimizer import OptimizeRefused, apply_fit, prepare, restore_previous

    store = open_store_for(args)
    try:
        if args.restore:
            with store.transaction() as session:
                deck_id = _deck_id(session, args.deck)
                with user_errors(OptimizeRefused):
                    changed = restore_previous(session, deck_id)
            if args.json:
                print_json({"restored": changed})
            else:
                print("restored the earlier parameters of: " + ", ".join(changed))
            return 0
        with store.session() as session:
            deck_id = _deck_id(session, args.deck)
            with user_errors(OptimizeRefused):
                job = prepare(session, deck_id)
        show = None if args.json or not sys.stderr.isatty() else _progress_line
        with user_errors(OptimizeRefused):
            fit = job.run(progress=show)
        if show:
            sys.stderr.write("\n")
        with store.transaction() as session:
            apply_fit(session, fit)
    finally:
        store.close()
    if args.json:
        print_json(fit.as_json())
        return 0
    print(f"fitted {fit.scope} on {fit.reviews} reviews of {fit.cards} cards in {fit.seconds:.1f} s")
    if fit.old_log_loss is not None and fit.new_log_loss is not None:
        print(f"log loss: {fit.old_log_loss:.4f} -> {fit.new_log_loss:.4f}")
    print("parameter    old      new")
    for i, (a, b) in enumerate(zip(fit.old_parameters, fit.new_parameters, strict=True)):
        print(f"w[{i:>2}]     {a:8.4f} {b:8.4f}")
    print("undo with: recall optimize" + (f" {args.deck!r}" if args.deck else "") + " --restore")
    return 0


def _progress_line(fraction: float) -> None:
    sys.stderr.write(f"\roptimizing... {100 * fraction:3.0f}%")
    sys.stderr.flush()
