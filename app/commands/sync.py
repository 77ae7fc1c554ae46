"""`recall sync` and `recall server init|add-user`: the local copy and a PostgreSQL server.

Progress goes to stderr; `--json` prints one summary document on stdout. A server that
cannot be reached or refuses the login is one line (exit 1); the local copy is untouched and
the next `recall sync` tries again.
"""

from __future__ import annotations

import sys

from app.commands.common import UserError, json_output, open_store_for, print_json


def register(sub) -> None:
    p = sub.add_parser("sync", help="exchange reviews and edits with the sync server")
    p.add_argument("--server", metavar="URL", help="postgresql://user@host[:port]/db (remembered, no password)")
    p.add_argument("--save-password", action="store_true", help="keep the password in the system keyring")
    json_output(p, _sync, help="print a JSON summary")

    srv = sub.add_parser("server", help="set up a PostgreSQL database as a Recall sync and class server")
    ssub = srv.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    p = ssub.add_parser("init", help="create or upgrade the schema (run as the database's owner)")
    p.add_argument("url", metavar="URL", help="postgresql://owner@host/db")
    json_output(p, _init)
    p = ssub.add_parser("add-user", help="a login for a teacher or student (password asked, or on stdin)")
    p.add_argument("url", metavar="URL", help="postgresql://owner@host/db")
    p.add_argument("name", help="user name: lower-case letters, digits, _")
    p.add_argument("--password-stdin", action="store_true", help="read the new user's password from stdin")
    p.set_defaults(handler=_add_user)


def wrap(fn):
    """SyncError -> one-line user error."""
    from app.sync.server import SyncError

    try:
        return fn()
    except SyncError as exc:
        raise UserError(str(exc)) from exc


def login(args, url: str | None = None):
    from app.sync import service

    target = service.server_url(url if url is not None else getattr(args, "server", None))
    server = service.open_server(target, save_password=getattr(args, "save_password", False))
    service.remember_server(target)
    return server


def _progress(step: str, done: int, total: int) -> None:
    if total > 1 or step in ("push", "pull", "done"):
        print(f"sync: {step} {done}/{total}" if total > 1 else f"sync: {step}", file=sys.stderr, flush=True)


def _sync(args) -> int:
    def run() -> int:
        from app.sync.service import sync_now

        server = login(args)
        store = open_store_for(args)
        try:
            summary = sync_now(store, server, _progress)
        finally:
            store.close()
            server.close()
        if args.json:
            print_json(summary.as_json())
        else:
            up, down = summary.pushed, summary.pulled
            print(
                f"synced with {summary.server} as {summary.user}: sent {up['reviews']} reviews, "
                f"{up['cards']} cards; received {down['reviews']} reviews, {down['cards']} cards, "
                f"{down['decks']} decks"
            )
        return 0

    return wrap(run)


def _init(args) -> int:
    from app.sync.admin import init_server

    rev = wrap(lambda: init_server(args.url))
    if args.json:
        print_json({"schema": rev})
    else:
        print(f"server ready (schema {rev})")
    return 0


def _add_user(args) -> int:
    import getpass

    from app.store.db import Store, StoreError
    from app.sync.admin import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"Password for the new user {args.name}: ")
    try:
        store = Store(args.url)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    try:
        wrap(lambda: add_user(store.engine, args.name, password))
    finally:
        store.close()
    print(f"user {args.name} can now log in")
    return 0
