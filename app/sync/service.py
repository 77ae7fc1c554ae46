"""Finding the sync server and logging in, for the commands (and the app's Settings).

The server URL lives in settings.json as `sync_server`, always without a password;
RECALL_SYNC_SERVER or `--server` override it. The password comes from, in order: the URL
given on the command line, the system keyring (`keyring`, saved with --save-password), libpq's
PGPASSWORD or ~/.pgpass, and last a prompt (on a terminal only). It is never written to disk
by Recall itself.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from app.config import load_settings, save_settings
from app.store.db import Store
from app.sync.exchange import Progress, Summary, run_sync
from app.sync.server import (
    LoginRefused,
    Server,
    SyncError,
    classify,
    connect,
    label,
    parse,
    save_keyring_password,
)

ENV_SERVER = "RECALL_SYNC_SERVER"
SETTING = "sync_server"
Ask = Callable[[str], str]


def server_url(arg: str | None = None) -> str:
    url = arg or os.environ.get(ENV_SERVER) or load_settings().get(SETTING)
    if not url:
        raise SyncError("no sync server set: recall sync --server postgresql://user@host/db")
    return url


def remember_server(url: str) -> str:
    """Keep the server in settings.json, without its password; returns what was kept."""
    bare = label(url)
    settings = load_settings()
    if settings.get(SETTING) != bare:
        settings[SETTING] = bare
        save_settings(settings)
    return bare


def _terminal_ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise SyncError("no password for the sync server (run on a terminal, save one with --save-password, "
                        "or set PGPASSWORD)")  # fmt: skip
    return getpass.getpass(prompt)


def open_server(url: str, *, ask: Ask | None = _terminal_ask, save_password: bool = False) -> Server:
    """Log in; on a refused login with no password given, ask once (and maybe save it)."""
    u = parse(url)
    try:
        server = connect(url)
    except LoginRefused:
        if u.password is not None or ask is None:
            raise
        password = ask(f"Password for {u.username}@{u.host}: ")
        server = connect(url, password)
        if save_password and not save_keyring_password(u, password):
            print("recall: no system keyring here; the password was not saved", file=sys.stderr)
        return server
    if save_password and u.password is not None and not save_keyring_password(u, u.password):
        print("recall: no system keyring here; the password was not saved", file=sys.stderr)
    return server


def sync_now(store: Store, server: Server, progress: Progress) -> Summary:
    """One sync; a server that drops away midway is the same one-line error as one never reached."""
    try:
        return run_sync(store, server, progress)
    except DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc.orig, Exception) and "connection" in str(exc.orig).lower():
            u = parse(server.label)
            raise classify(exc, u, f"{u.host}:{u.port or 5432}") from exc
        raise SyncError(f"the sync server refused the sync: {' '.join(str(exc.orig).split())[:300]}") from exc
