"""`recall ...`: the command line. With no subcommand it opens the window.

Each group of subcommands lives in its own module under `app/commands/` with
`register(subparsers)`; registering must stay cheap (no torch, no Qt), so that
`recall --version` and `recall decks` start fast.

Exit codes: 0 success, 1 a user error (one line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.commands.common import UsageError, UserError
from app.stdio import guarded_stdout

COMMAND_MODULES = (
    "app.commands.cards",
    "app.commands.schedule",
    "app.commands.grade",
    "app.commands.voice",
    "app.commands.sync",
    "app.commands.classes",
)
# Which module registers each subcommand, so that `recall decks` imports and registers only its
# own module (all six cost more than the command itself). tests/commands/test_cli_lazy.py checks
# that this table matches what the modules register.
COMMANDS = {
    **dict.fromkeys(("import", "decks", "cards", "export", "deck"), "app.commands.cards"),
    **dict.fromkeys(("due", "review", "undo", "stats", "optimize"), "app.commands.schedule"),
    **dict.fromkeys(("grade", "grader"), "app.commands.grade"),
    **dict.fromkeys(("transcribe", "say", "call"), "app.commands.voice"),
    **dict.fromkeys(("sync", "server"), "app.commands.sync"),
    "class": "app.commands.classes",
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not a global option), if any."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("--db="):
            # --help, --version, an abbreviation...: argparse judges those with every command
            return None if word.startswith("-") else word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv` naming a known subcommand, only that subcommand's
    module is imported and registered (the others are neither needed nor shown then)."""
    parser = argparse.ArgumentParser(
        prog="recall", description="Recall: study decks of cards, by screen or by voice."
    )
    parser.add_argument("--version", action="version", version=f"recall {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: RECALL_DB, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = _command_in(argv) if argv is not None else None
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that group is not built yet
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command is None:
        from app.ui.launch import run_app

        return run_app(db=args.db)
    # Libraries (pyttsx3, espeak, whisper) print; only the command's own output may reach stdout.
    with guarded_stdout():
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        print(f"recall: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"recall: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("recall: cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `recall cards X --json | head`: the reader left; that is not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        # Damage found mid-use, a full disk, a lock held too long: the action's transaction
        # was rolled back, so say so in one line rather than a traceback.
        orig = getattr(exc, "orig", None) or exc
        print(f"recall: {_database_problem(args, orig)}; nothing from this action was saved", file=sys.stderr)
        return 1


def _database_problem(args: argparse.Namespace, orig: BaseException) -> str:
    """A full disk, a read-only folder or damage, each said as what it is."""
    import sqlite3

    if not isinstance(orig, sqlite3.Error):
        return f"database error: {orig}"
    from app.config import database_url
    from app.store.db import _sqlite_path, sqlite_problem

    return sqlite_problem(orig, _sqlite_path(database_url(getattr(args, "db", None))))


def _is_database_error(exc: BaseException) -> bool:
    sa_exc = sys.modules.get("sqlalchemy.exc")  # only loaded once a command opened the store
    return sa_exc is not None and isinstance(exc, sa_exc.DatabaseError)


if __name__ == "__main__":
    sys.exit(main())
