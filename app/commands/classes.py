"""`recall class create|join|share|list|report`: classes on the sync server."""

from __future__ import annotations

import sys
from pathlib import Path

from app.commands.common import UserError, json_output, open_store_for, print_json
from app.commands.sync import login, wrap


def register(sub) -> None:
    cls = sub.add_parser("class", help="classes on the sync server: create, join, share decks, report")
    csub = cls.add_subparsers(dest="class_command", metavar="ACTION", required=True)

    def server_arg(p) -> None:
        p.add_argument("--server", metavar="URL", help="the sync server (default: the one `recall sync` uses)")

    p = csub.add_parser("create", help="create a class you teach; prints its join code")
    p.add_argument("name")
    server_arg(p)
    json_output(p, _create)
    p = csub.add_parser("join", help="join a class with the code your teacher gave you")
    p.add_argument("code")
    server_arg(p)
    json_output(p, _join)
    p = csub.add_parser("share", help="share one of your decks with a class you teach")
    p.add_argument("name", metavar="CLASS")
    p.add_argument("deck")
    server_arg(p)
    json_output(p, _share)
    p = csub.add_parser("list", help="the classes you teach or are in")
    server_arg(p)
    json_output(p, _list)
    p = csub.add_parser("report", help="progress of a class: students x decks, weakest cards")
    p.add_argument("name", metavar="CLASS")
    p.add_argument("--format", choices=["csv", "json", "html"], default="csv")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    server_arg(p)
    p.set_defaults(handler=_report)


def _with_server(args, fn):
    def run():
        server = login(args)
        try:
            return fn(server)
        finally:
            server.close()

    return wrap(run)


def _print_doc(args, doc: dict, line: str) -> int:
    """The server's answer: as it is with `--json`, else one line for a person."""
    if args.json:
        print_json(doc)
    else:
        print(line)
    return 0


def _create(args) -> int:
    from app.sync.classes import create_class

    doc = _with_server(args, lambda s: create_class(s, args.name))
    return _print_doc(args, doc, f"class {doc['name']!r} created; students join with: recall class join {doc['join_code']}")


def _join(args) -> int:
    from app.sync.classes import join_class

    doc = _with_server(args, lambda s: join_class(s, args.code))
    return _print_doc(args, doc, f"joined {doc['name']!r} (teacher {doc['teacher']}); run `recall sync` to get its decks")


def _share(args) -> int:
    from app.store.repo import DeckNotFound, get_deck
    from app.sync.classes import share_deck
    from app.sync.service import sync_now

    def run(server) -> None:
        store = open_store_for(args)
        try:
            with store.session() as s:
                try:
                    deck = get_deck(s, args.deck)
                except DeckNotFound as exc:
                    raise UserError(str(exc)) from exc
                if deck.sync_owner is not None:
                    raise UserError(f"{args.deck!r} belongs to {deck.sync_owner}; share your own decks")
            sync_now(store, server, lambda *_: None)  # the deck must be on the server to be shared
            with store.session() as s:
                deck = get_deck(s, args.deck)
            share_deck(server, args.name, deck.uuid, deck.name)
        finally:
            store.close()

    _with_server(args, run)
    doc = {"class": args.name, "deck": args.deck, "shared": True}
    return _print_doc(args, doc, f"shared {args.deck!r} with {args.name!r}")


def _list(args) -> int:
    from app.sync.classes import list_classes

    rows = _with_server(args, list_classes)
    if args.json:
        print_json({"classes": rows})
    elif not rows:
        print("no classes yet")
    else:
        for r in rows:
            extra = f" code {r['join_code']}, {r['students']} students," if r["role"] == "teacher" else ""
            print(f"{r['name']} ({r['role']}, teacher {r['teacher']}){extra} {r['decks']} decks")
    return 0


def _report(args) -> int:
    from app.sync.report import FORMATS, build_report

    report = _with_server(args, lambda s: build_report(s, args.name))
    doc = FORMATS[args.format](report)
    if args.output:
        Path(args.output).write_text(doc, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        from app.stdio import out

        stream = out()
        stream.write(doc)
        stream.flush()
    return 0
