"""Helpers every subcommand module shares."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from app.config import ENV_DB, database_url
from app.stdio import out

if TYPE_CHECKING:
    from app.store.db import Store


class UserError(Exception):
    """Something the user can fix; printed as one line, exit code 1."""


class UsageError(UserError):
    """Missing, contradictory or unsupported arguments: one line, exit code 2 (as argparse)."""


def open_store_for(args, *, create: bool = True) -> Store:
    """The store `--db` names. Reading commands pass `create=False`: a database named by
    `--db` or RECALL_DB that does not exist is then "no Recall database at ..." rather than a
    new empty one (and its folder) made at a typo. Recall's own default database is still
    made on first use, as the window makes it."""
    # Imported here so `recall --version` and `--help` never pay for SQLAlchemy.
    from app.store.db import Store, StoreError, UnsupportedDatabase

    explicit = bool(getattr(args, "db", None) or os.environ.get(ENV_DB))
    try:
        return Store(database_url(getattr(args, "db", None)), create=create or not explicit)
    except UnsupportedDatabase as exc:
        raise UsageError(str(exc)) from exc
    except StoreError as exc:
        raise UserError(str(exc)) from exc


@contextmanager
def user_errors(*kinds: type[Exception]) -> Iterator[None]:
    """Errors of these kinds are the user's to fix: they leave as one-line `UserError`s."""
    try:
        yield
    except kinds as exc:
        raise UserError(str(exc)) from exc


def print_json(doc: Any) -> None:
    """`--json` output: one JSON document on stdout and nothing else."""
    stream = out()  # the real stdout even when called from a worker thread
    stream.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
    stream.flush()


def json_output(parser, handler, help: str | None = "print JSON") -> None:
    """End a subcommand's arguments the way every one ends: `--json` (one JSON document on
    stdout, keys a contract) and the handler that runs it."""
    parser.add_argument("--json", action="store_true", help=help)
    parser.set_defaults(handler=handler)
