"""The study modes the window can open, and whether each is installed."""

from __future__ import annotations

import importlib.util

# mode -> (module, class, label). The class takes (store, deck_id, parent) and has a `closed` signal.
MODES: dict[str, tuple[str, str, str]] = {
    "flashcards": ("app.ui.flashcards_view", "FlashcardsView", "Flashcards"),
    "learn": ("app.ui.learn_view", "LearnView", "Learn"),
    "test": ("app.ui.test_view", "TestView", "Test"),
    "match": ("app.ui.matching_view", "MatchingView", "Match"),
    "spaced": ("app.ui.spaced_view", "SpacedView", "Spaced review"),
    "stats": ("app.ui.stats_view", "StatsView", "Stats"),
    "call": ("app.ui.call_view", "CallView", "Call"),
}

# What each mode is for, shown on the deck page's mode choices.
DESCRIPTIONS: dict[str, str] = {
    "flashcards": "Flip through the cards and sort them into know / still learning",
    "learn": "Adaptive rounds until you know it: choices first, then typed answers",
    "test": "A generated exam with a score and a review of your mistakes",
    "match": "Race the clock pairing terms with their answers",
    "spaced": "Review what is due today, timed by FSRS so you never forget",
    "stats": "Your reviews, retention and the forecast for the next 30 days",
    "call": "A voice tutor: hear each question, answer aloud, hear the verdict",
}


def mode_available(mode: str) -> bool:
    """Whether a mode's module is installed, without importing it (Call pulls in torch)."""
    try:
        return importlib.util.find_spec(MODES[mode][0]) is not None
    except (KeyError, ImportError, ValueError):
        return False
