"""Offline-first sync with a PostgreSQL server, and classes on that server.

The local SQLite store stays the one the app reads and writes; `sync.run_sync` exchanges
its decks, cards, reviews and card states with a server (the same store schema on
PostgreSQL, see app/store/migrations/versions/0002). Conflict rules: README.md here.
"""
