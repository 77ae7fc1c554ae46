"""Offline-first sync with a PostgreSQL server, and classes on that server.

The local SQLite store stays the one the app reads and writes; `run_sync` exchanges
its decks, cards, reviews and card states with a server (the same store schema on
PostgreSQL, see app/store/migrations/versions/0002). Conflict rules: README.md here.
Names load on first use (no SQLAlchemy engine or driver at import).
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(),
    {
        ".server": ("LoginRefused", "Server", "SyncError", "connect"),
        ".exchange": ("Summary", "run_sync"),
        ".service": ("open_server", "sync_now"),
        ".classes": ("create_class", "join_class", "list_classes", "share_deck"),
        ".report": ("ClassReport", "build_report"),
        ".admin": ("add_user", "init_server"),
    },
)
