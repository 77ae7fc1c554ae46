"""The study modes' logic, free of Qt: flashcards, learn rounds, generated tests, matching,
answer checking, mastery levels, deck figures and recording each answer.

Above scheduling and grader; the UI and commands drive it. Names load on first use, so
importing one module (e.g. `app.study.deck_stats_sql` for `recall decks`) loads no others.
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(),
    {
        ".cards": ("Answer", "StudyCard", "load_study_cards"),
        ".recording": ("save_answer", "store_recorder"),
        ".answer_check": ("Check", "Verdict", "check_answer"),
        ".mastery": ("LEVELS", "level_for", "mastery_percent"),
        ".deck_stats": ("DeckSummary", "deck_summaries"),
        ".flashcards": ("FlashcardSession",),
        ".learn": ("LearnSession",),
        ".test_gen": ("ExamRun", "GeneratedTest", "generate_test"),
        ".matching": ("MatchGame",),
        ".session_summary": ("SessionSummary",),
    },
)
