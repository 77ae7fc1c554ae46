"""Spaced review with FSRS: the study day, today's queue and deck counts, recording a review
(and undoing it), the statistics, the parameter optimiser and the simulator.

Built on the store; the study modes, commands and UI read it. Names load on first use.
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(),
    {
        ".days": ("StudyDay", "rollover_hour", "set_rollover_hour", "study_day"),
        ".queue": ("DayCounts", "Queue", "build_queue", "deck_counts"),
        ".review": ("ReviewResult", "format_interval", "preview", "record_review", "scheduler_for"),
        ".session": ("SpacedSession",),
        ".grades": ("rating_for_result", "rating_for_verdict"),
        ".undo": ("NothingToUndo", "UndoConflict", "undo_review"),
        ".stats": ("Stats", "collect_stats"),
        ".today": ("Today", "ago", "last_studied", "today_overview"),
        ".optimizer": ("OptimizeRefused", "optimize", "restore_previous"),
        ".simulate": ("write_history",),
    },
)
