"""The statistics screen's data, without Qt: what the workers run, and the figures and the
optimizer's report as the text the screen shows. The charts are in stats_charts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone, tzinfo

from app.scheduling.stats import Stats

FIGURES = (
    ("streak", "Streak"),
    ("today", "Reviews today"),
    ("per_day", "Reviews per day (30 days)"),
    ("retention", "True retention (30 days)"),
    ("retention_all", "True retention (all time)"),
    ("due", "Due today"),
)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def load_stats(store, deck_id: int | None, now: datetime, tz: tzinfo | None) -> Stats:
    """Runs on a worker thread, with its own session."""
    from app.scheduling.stats import collect_stats

    with store.session() as session:
        return collect_stats(session, deck_id, now, tz)


def run_optimizer(store, deck_id: int | None, report: Callable[[int, int], None]):
    """Runs on a worker thread; `report` raises the workers' Cancelled once the user cancels."""
    from app.scheduling.optimizer import optimize

    return optimize(store, deck_id, progress=lambda f: report(int(f * 1000), 1000))


def figure_texts(st: Stats) -> dict[str, str]:
    """The summary figures, keyed as FIGURES."""
    out = {
        "streak": f"{st.streak} days (best {st.longest_streak})",
        "today": str(st.reviews_today),
        "per_day": f"{st.reviews_per_day:.1f}",
    }
    for key, r in (("retention", st.retention_recent), ("retention_all", st.retention_all)):
        out[key] = "—" if r.rate is None else f"{100 * r.rate:.1f}% of {r.total}"
    d = st.due_today
    out["due"] = f"{d.total} ({d.new} new, {d.learning} learning, {d.review} review)"
    return out


def fit_report(fit) -> str:
    """What the optimizer changed, in a few lines."""
    lines = [f"Fitted {fit.scope} on {fit.reviews} reviews of {fit.cards} cards in {fit.seconds:.1f} s."]
    if fit.old_log_loss is not None and fit.new_log_loss is not None:
        better = "better" if fit.new_log_loss < fit.old_log_loss else "no better"
        lines.append(
            f"Log loss {fit.old_log_loss:.4f} → {fit.new_log_loss:.4f} ({better}; lower predicts recall better)."
        )
    pairs = ", ".join(
        f"w{i}: {a:.3g}→{b:.3g}"
        for i, (a, b) in enumerate(zip(fit.old_parameters, fit.new_parameters, strict=True))
        if abs(a - b) > 1e-4
    )
    lines.append(f"Changed parameters: {pairs or 'none'}. The old ones can be restored.")
    return "\n".join(lines)


def has_previous_parameters(store, deck_id: int | None) -> bool:
    """Whether Optimize left earlier parameters that can be restored."""
    from sqlalchemy import select

    from app.store.models import Deck

    with store.session() as s:
        stmt = select(Deck.id).where(Deck.fsrs_parameters_previous.is_not(None))
        if deck_id is not None:
            stmt = stmt.where(Deck.id == deck_id)
        return s.scalar(stmt.limit(1)) is not None
