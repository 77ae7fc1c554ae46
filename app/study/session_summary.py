"""End-of-session summaries for every study mode: what the user showed they know, what to go
over next, and a few figures. Built from the sessions' own state, with no Qt, so each mode's
summary is tested without a window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.study.cards import StudyCard
from app.study.flashcards import FlashcardSession
from app.study.learn import LearnSession
from app.study.mastery import MASTERED_STREAK
from app.study.media import plain_text
from app.study.test_gen import ExamRun


@dataclass(frozen=True)
class SessionSummary:
    mode: str
    headline: str
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    learned: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    next_step: str = ""


def short(text: str, limit: int = 70) -> str:
    text = " ".join(plain_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _items(texts: Iterable[str]) -> list[str]:
    # Every item, once: the panel's lists scroll, so nothing is cut to "… and N more".
    return list(dict.fromkeys(short(t) for t in texts))


def flashcards_summary(session: FlashcardSession, cards: list[StudyCard]) -> SessionSummary:
    by_id = {c.id: c for c in cards}
    known = [by_id[i].front for i, k in session.known.items() if k and i in by_id]
    learning = [by_id[i].front for i, k in session.known.items() if not k and i in by_id]
    if session.finished:
        headline = f"Round {session.round} done: you know all {session.total} cards."
        step = "Try Learn or a Test to check them without seeing the answer first."
    else:
        headline = f"Round {session.round} done: {len(known)} known, {len(learning)} still learning."
        step = "Go through the still-learning cards again (Enter)."
    figures = [("Round", str(session.round)), ("Known", str(len(known))), ("Still learning", str(len(learning)))]
    return SessionSummary("flashcards", headline, figures, _items(known), _items(learning), step)


def learn_progress_text(session: LearnSession) -> str:
    """The Learn bar's words: the same figure as its fill, and what it counts."""
    return (f"{session.progress * 100:.0f} % of the way · {session.mastered_count} / {session.total} mastered "
            f"(a card is mastered after {MASTERED_STREAK} right answers in a row; each one moves the bar)")


def learn_summary(session: LearnSession) -> SessionSummary:
    """What the round just finished did: the cards it asked, which were right the first time
    ("What you know"), which were missed ("Review next", most missed first); the cards not
    asked yet are counted as still to learn, never listed as to review."""
    cards = session.cards
    streak = session.streak
    asked = session.round_asked
    misses = session.round_misses
    newly = [cid for cid in asked if streak[cid] >= MASTERED_STREAK > cards[cid].streak]
    learned = newly + [cid for cid in asked if cid not in misses and cid not in newly]
    review = sorted(misses, key=lambda i: (-misses[i], asked.index(i) if i in asked else 0))
    first_time = len(asked) - len(misses)
    left = session.total - session.mastered_count
    pct = f"{session.progress * 100:.0f} %"
    figures = [("Cards asked", str(len(asked))), ("Right the first time", f"{first_time} / {len(asked)}"),
               ("Mastered", f"{session.mastered_count} / {session.total}"), ("Of the way", pct)]
    if session.finished:
        headline = f"All {session.total} cards mastered. Well done!" if session.total else "This deck has no cards."
        step = "Spaced review will bring them back just before you would forget them."
    else:
        missed = f", {len(misses)} missed" if misses else ""
        headline = (f"Round {session.round} done. {len(asked)} card{'s' if len(asked) != 1 else ''} asked, "
                    f"{first_time} right the first time{missed}. "
                    f"{session.mastered_count} of {session.total} cards mastered.")
        unseen = session.never_asked
        still = f" Still to learn: {unseen} card{'s' if unseen != 1 else ''} not asked yet." if unseen else ""
        step = (f"{pct} of the way: each right answer in a row counts, {MASTERED_STREAK} master a card.{still} "
                f"Start the next round (Enter): {left} card{'s' if left != 1 else ''} still to master.")
    return SessionSummary("learn", headline, figures, _items(cards[i].front for i in learned),
                          _items(cards[i].front for i in review), step)


def exam_summary(run: ExamRun) -> SessionSummary:
    got, total = run.score()
    mistakes = run.mistakes()
    wrong_prompts = {m.prompt for m in mistakes}
    right = [p for q in run.questions if q.answered
             for p, ok in zip(q.prompts, q.results, strict=False) if ok and p not in wrong_prompts]
    review = [f"{m.prompt} → {m.right}" for m in mistakes]
    step = "Study the mistakes in Learn, then take a new test." if mistakes else "Every answer was right."
    figures = [("Score", f"{got} / {total}"), ("Percent", f"{run.percent():.0f} %"), ("To review", str(len(mistakes)))]
    return SessionSummary("test", f"Score: {got} / {total} · {run.percent():.0f} %", figures,
                          _items(right), _items(review), step)


def matching_summary(elapsed_ms: int, mistakes: int, penalty_ms: int, pairs: list[StudyCard], missed: set[int],
                     best_ms: int | None, new_best: bool, had_best: bool) -> SessionSummary:
    secs = f"{elapsed_ms / 1000:.1f} s"
    penalty = f" (with {penalty_ms / 1000:.1f} s of penalties)" if penalty_ms else ""
    best = f"{best_ms / 1000:.1f} s" if best_ms is not None else "—"
    verdict = "A new best time!" if new_best and had_best else f"Best: {best}."
    figures = [("Time", secs), ("Wrong pairs", str(mistakes)), ("Best", best)]
    first_try = [c.front for c in pairs if c.id not in missed]
    review = [c.front for c in pairs if c.id in missed]
    step = "Play again to beat your time (Enter)." if not review else "Review the pairs you mixed up in Flashcards."
    return SessionSummary("match", f"Done in {secs}{penalty}. {verdict}", figures, _items(first_try),
                          _items(review), step)


def spaced_summary(ratings: list[tuple[str, int]], scale: str = "4", next_due: str = "") -> SessionSummary:
    """`ratings`: (front, key pressed) for each answer kept; key 1 is Again on both scales."""
    weak = 2 if scale == "5" else 1  # 1-2 on the confidence scale, Again on the 4-button one
    review = [f for f, k in ratings if k <= weak]
    learned = [f for f, k in ratings if k > weak]
    n = len(ratings)
    headline = f"Done for today! You reviewed {n} card{'s' if n != 1 else ''}." if n else "Nothing is due."
    figures = [("Reviewed", str(n)), ("Remembered", str(len(learned))), ("Forgot", str(len(review)))]
    step = f"Next review: {next_due}." if next_due else "Come back tomorrow."
    return SessionSummary("spaced", headline, figures, _items(learned), _items(review), step)
