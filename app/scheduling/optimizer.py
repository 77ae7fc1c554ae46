"""Fit FSRS parameters to a deck's (or the whole collection's) own review log.

Three steps, so the long one never holds a database session and can run off the UI thread:

    job = prepare(session, deck_id)        # reads the log; refuses when it is too small
    fit = job.run(progress, cancelled)     # fsrs.Optimizer (torch), with progress and cancel
    apply_fit(session, fit)                # new parameters in; the old ones kept to restore

`optimize(store, deck_id, ...)` does all three. `restore_previous` swaps the parameters back.
torch (and fsrs.Optimizer, which needs it and pandas) is imported only inside `run`.

fsrs.Optimizer has no progress or cancel hooks of its own; it builds a new `Scheduler` at the
start of every epoch and after every mini-batch of 512 reviews, so `run` counts those (a
subclass put in the optimizer module's namespace for the duration of the fit) to report
progress and to stop between mini-batches when asked.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fsrs import Rating, ReviewLog, Scheduler
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import Deck
from app.store.models import ReviewLog as LogRow

# fsrs.Optimizer returns its defaults unchanged below one mini-batch of eligible reviews.
MIN_REVIEWS = 512
EPOCHS = 5
MAX_SEQUENCE = 64  # fsrs uses up to the first 64 reviews of each card

Progress = Callable[[float], None]
CancelCheck = Callable[[], bool]


class OptimizeRefused(Exception):
    """The fit cannot be done (too little history, nothing to restore...); the message says why."""


class OptimizeCancelled(Exception):
    """The user stopped the fit; nothing was changed."""


def default_parameters() -> list[float]:
    return list(Scheduler().parameters)


def _params_of(deck: Deck) -> list[float]:
    return json.loads(deck.fsrs_parameters) if deck.fsrs_parameters else default_parameters()


def eligible_reviews(logs: list[ReviewLog]) -> int:
    """Reviews that train FSRS: a day or more after the card's previous review (as fsrs counts)."""
    last: dict[int, datetime] = {}
    seen: dict[int, int] = {}
    n = 0
    for log in sorted(logs, key=lambda r: (r.card_id, r.review_datetime)):
        k = seen.get(log.card_id, 0)
        if k < MAX_SEQUENCE:
            prev = last.get(log.card_id)
            if prev is not None and (log.review_datetime - prev).days > 0:
                n += 1
        seen[log.card_id] = k + 1
        last[log.card_id] = log.review_datetime
    return n


@dataclass(frozen=True)
class Fit:
    scope: str  # deck name or "collection"
    deck_ids: list[int]
    reviews: int
    cards: int
    eligible: int
    old_parameters: list[float]
    new_parameters: list[float]
    old_log_loss: float | None
    new_log_loss: float | None
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {
            "scope": self.scope,
            "deck_ids": self.deck_ids,
            "reviews": self.reviews,
            "cards": self.cards,
            "eligible_reviews": self.eligible,
            "old_parameters": [round(p, 4) for p in self.old_parameters],
            "new_parameters": [round(p, 4) for p in self.new_parameters],
            "old_log_loss": None if self.old_log_loss is None else round(self.old_log_loss, 5),
            "new_log_loss": None if self.new_log_loss is None else round(self.new_log_loss, 5),
            "seconds": round(self.seconds, 2),
        }


@dataclass
class Job:
    scope: str
    deck_ids: list[int]
    logs: list[ReviewLog]
    old_parameters: list[float]
    eligible: int = field(default=0)

    def run(self, progress: Progress | None = None, cancelled: CancelCheck | None = None) -> Fit:
        """Fit the parameters (seconds to minutes); raises OptimizeCancelled when asked to stop."""
        import time

        started = time.perf_counter()
        new = _fit(self.logs, self.eligible, progress, cancelled)
        old_loss, new_loss = _log_losses(self.logs, self.old_parameters, new)
        if progress:
            progress(1.0)
        return Fit(
            scope=self.scope,
            deck_ids=self.deck_ids,
            reviews=len(self.logs),
            cards=len({log.card_id for log in self.logs}),
            eligible=self.eligible,
            old_parameters=list(self.old_parameters),
            new_parameters=[float(p) for p in new],
            old_log_loss=old_loss,
            new_log_loss=new_loss,
            seconds=time.perf_counter() - started,
        )


def prepare(session: Session, deck_id: int | None) -> Job:
    """Read the scheduled reviews of one deck (or all decks) and check there are enough."""
    decks = list(session.scalars(select(Deck).order_by(Deck.name)))
    if deck_id is not None:
        decks = [d for d in decks if d.id == deck_id]
        if not decks:
            raise OptimizeRefused(f"there is no deck with id {deck_id}")
    if not decks:
        raise OptimizeRefused("there are no decks yet")
    ids = [d.id for d in decks]
    stmt = (
        select(LogRow.card_id, LogRow.rating, LogRow.reviewed_at, LogRow.duration_ms)
        .where(LogRow.scheduled.is_(True), LogRow.deck_id.in_(ids))
        .order_by(LogRow.card_id, LogRow.reviewed_at)
    )
    logs = [ReviewLog(c, Rating(r), at, ms) for c, r, at, ms in session.execute(stmt)]
    eligible = eligible_reviews(logs)
    scope = decks[0].name if deck_id is not None else "collection"
    if eligible < MIN_REVIEWS:
        raise OptimizeRefused(
            f"{scope} has {eligible} reviews made a day or more after the card's previous one; "
            f"optimizing needs at least {MIN_REVIEWS}, so keep the default parameters for now"
        )
    # Collection scope starts from the decks' shared parameters when they agree, else defaults.
    params = {json.dumps(_params_of(d)) for d in decks}
    old = json.loads(params.pop()) if len(params) == 1 else default_parameters()
    return Job(scope=scope, deck_ids=ids, logs=logs, old_parameters=old, eligible=eligible)


_HOOK_LOCK = threading.Lock()  # the hook patches a module global: one fit at a time


def _fit(logs: list[ReviewLog], eligible: int, progress: Progress | None, cancelled: CancelCheck | None):
    try:
        from fsrs import optimizer as fsrs_optimizer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise OptimizeRefused(f"optimizing needs torch and pandas ({exc})") from exc
    if getattr(fsrs_optimizer, "torch", None) is None:
        raise OptimizeRefused("optimizing needs torch and pandas installed (pip install recall[voice])")

    batches = eligible // MIN_REVIEWS + (1 if eligible % MIN_REVIEWS else 0)
    expected = 1 + EPOCHS * (2 + batches)  # Scheduler() calls fsrs makes during one fit
    count = [0]
    base = fsrs_optimizer.Scheduler

    class _Counting(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:
            if cancelled is not None and cancelled():
                raise OptimizeCancelled("optimizing was cancelled; the parameters are unchanged")
            count[0] += 1
            if progress:
                progress(min(0.99, count[0] / expected))
            super().__init__(*args, **kwargs)

    torch = fsrs_optimizer.torch
    threads = torch.get_num_threads()
    with _HOOK_LOCK:
        fsrs_optimizer.Scheduler = _Counting
        # fsrs works on scalars: extra intra-op threads only spin, and on a busy machine that
        # makes the fit several times slower.
        torch.set_num_threads(1)
        try:
            return fsrs_optimizer.Optimizer(logs).compute_optimal_parameters()
        finally:
            fsrs_optimizer.Scheduler = base
            torch.set_num_threads(threads)


def _log_losses(
    logs: list[ReviewLog], old: list[float], new: list[float]
) -> tuple[float | None, float | None]:
    """Mean log loss of each parameter set on the same reviews (fsrs's own training loss)."""
    try:
        import torch
        from fsrs import Optimizer

        opt = Optimizer(logs)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # scalar work, as in the fit
        try:
            with torch.no_grad():
                losses = (
                    opt._compute_batch_loss(parameters=list(old)),
                    opt._compute_batch_loss(parameters=list(new)),
                )
        finally:
            torch.set_num_threads(threads)
    except Exception:  # a private fsrs helper: report no figure rather than fail the fit
        return None, None
    return tuple(None if math.isnan(x) else float(x) for x in losses)  # type: ignore[return-value]


def apply_fit(session: Session, fit: Fit) -> None:
    """Use the new parameters for the fitted deck(s), keeping each deck's old ones to restore."""
    new = json.dumps([float(p) for p in fit.new_parameters])
    for deck in session.scalars(select(Deck).where(Deck.id.in_(fit.deck_ids))):
        deck.fsrs_parameters_previous = deck.fsrs_parameters or json.dumps(default_parameters())
        deck.fsrs_parameters = new


def restore_previous(session: Session, deck_id: int | None) -> list[str]:
    """Swap back the parameters an optimization replaced; returns the decks it changed."""
    stmt = select(Deck).order_by(Deck.name)
    if deck_id is not None:
        stmt = stmt.where(Deck.id == deck_id)
    changed = []
    for deck in session.scalars(stmt):
        if deck.fsrs_parameters_previous:
            deck.fsrs_parameters, deck.fsrs_parameters_previous = (
                deck.fsrs_parameters_previous,
                deck.fsrs_parameters,
            )
            changed.append(deck.name)
    if not changed:
        raise OptimizeRefused("there are no earlier parameters to restore")
    return changed


def optimize(
    store, deck_id: int | None, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> Fit:
    """Prepare, fit and apply in one call; the database is only touched before and after the fit."""
    with store.session() as session:
        job = prepare(session, deck_id)
    fit = job.run(progress, cancelled)
    with store.transaction() as session:
        apply_fit(session, fit)
    return fit
