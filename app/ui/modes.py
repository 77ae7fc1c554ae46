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


def mode_available(mode: str) -> bool:
    """Whether a mode's module is installed, without importing it (Call pulls in torch)."""
    try:
        return importlib.util.find_spec(MODES[mode][0]) is not None
    except (KeyError, ImportError, ValueError):
        return False
