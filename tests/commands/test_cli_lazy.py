"""`recall <command>` imports and registers only the module of that command.

The table in app/cli.py (COMMANDS) must say, for every subcommand, the module that registers
it; a command missing there would still work (every module is registered then) but lose the
fast start, and one listed under the wrong module would break.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from app.cli import COMMAND_MODULES, COMMANDS, _command_in, build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_matches_what_each_module_registers():
    registered = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMANDS


def test_the_command_is_found_past_global_options():
    assert _command_in(["decks", "--json"]) == "decks"
    assert _command_in(["--db", "x.sqlite3", "decks"]) == "decks"
    assert _command_in(["--db=x.sqlite3", "due", "--at", "now"]) == "due"
    assert _command_in(["--help"]) is None
    assert _command_in(["--version"]) is None
    assert _command_in([]) is None


def test_one_command_builds_only_its_own_parser_and_help_lists_all():
    one = build_parser(["decks", "--json"])
    sub = next(a for a in one._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == {k for k, v in COMMANDS.items() if v == "app.commands.cards"}
    every = build_parser(["--help"])
    sub = next(a for a in every._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMANDS)


def test_recall_decks_imports_no_sqlalchemy(tmp_path):
    db = tmp_path / "r.sqlite3"
    code = (
        "import sys; sys.argv = ['recall', '--db', sys.argv[1], 'decks', '--json'];"
        "from app.cli import main; rc = main(sys.argv[1:]);"
        "sys.stderr.write(' '.join(m for m in ('sqlalchemy', 'torch', 'rapidfuzz', 'PySide6') if m in sys.modules))"
    )
    # first run migrates the (empty, so new) database through the Store, the second reads it;
    # `decks` makes no database at a --db path that does not exist (tests/e2e/test_cli_walk.py)
    db.touch()
    for expect_sqlalchemy in (True, False):
        p = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == "[]"
        assert ("sqlalchemy" in p.stderr.split()) is expect_sqlalchemy, p.stderr
        assert not {"torch", "rapidfuzz", "PySide6"} & set(p.stderr.split())
