"""`recall import|decks|cards|export|deck ...`: getting cards in and out, and looking at decks.

Registering imports nothing but argparse; the formats and the store load in the handlers, so
`recall --version` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.commands.common import UsageError, UserError, json_output, open_store_for, print_json

# Kept literal so registering does not import the formats package; a test checks it matches.
IMPORT_FORMATS = ("auto", "knowt", "brainscape", "quizlet-page", "dash-list", "csv", "tsv", "apkg", "json")
EXPORT_FORMATS = ("csv", "tsv", "json", "apkg")


def register(sub) -> None:
    p = sub.add_parser(
        "import", help="import cards from files (page copies, CSV/TSV, Anki .apkg, Recall JSON)"
    )
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="files to import (- reads standard input); all or none are saved"
    )
    p.add_argument("--deck", metavar="NAME", help="deck to import into (default: the file's title or name)")
    p.add_argument(
        "--format", choices=IMPORT_FORMATS, default="auto", help="the files' format (default: detect)"
    )
    p.add_argument(
        "--separator",
        metavar="S",
        help="CSV/TSV: between term and definition (tab, comma, semicolon or text)",
    )
    p.add_argument(
        "--card-separator", metavar="S", help="CSV/TSV: between cards (default: new line; e.g. semicolon)"
    )
    p.add_argument("--skip-duplicates", action="store_true", help="leave out cards already in the deck")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="show the cards, the dropped lines and why, and the confidence; write nothing",
    )
    json_output(p, _import, help="print the result as JSON")

    p = sub.add_parser("decks", help="list decks with card, due and mastery figures")
    json_output(p, _decks)

    p = sub.add_parser("cards", help="list a deck's cards")
    p.add_argument("deck", metavar="DECK")
    json_output(p, _cards)

    p = sub.add_parser("export", help="export a deck as CSV, TSV (Quizlet), Recall JSON or Anki .apkg")
    p.add_argument("deck", metavar="DECK")
    p.add_argument("--format", choices=EXPORT_FORMATS, help="default: from the output file's extension")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="file to write")
    json_output(p, _export, help="print the result as JSON")

    p = sub.add_parser("deck", help="create, rename, delete or file a deck in a folder")
    dsub = p.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    c = dsub.add_parser("create", help="make an empty deck")
    c.add_argument("name", metavar="NAME")
    json_output(c, _deck_create, help=None)
    r = dsub.add_parser("rename", help="rename a deck")
    r.add_argument("old", metavar="OLD")
    r.add_argument("new", metavar="NEW")
    json_output(r, _deck_rename, help=None)
    d = dsub.add_parser("delete", help="delete a deck with its cards and review history")
    d.add_argument("name", metavar="NAME")
    d.add_argument("--yes", action="store_true", help="really delete (required)")
    json_output(d, _deck_delete, help=None)
    f = dsub.add_parser("folder", help='put a deck in a library folder ("A/B" nests; "" takes it out)')
    f.add_argument("name", metavar="DECK")
    f.add_argument("folder", metavar="FOLDER")
    json_output(f, _deck_folder, help=None)
    rf = dsub.add_parser("rename-folder", help='rename a folder, the folders inside it too ("" empties it)')
    rf.add_argument("old", metavar="OLD")
    rf.add_argument("new", metavar="NEW")
    json_output(rf, _folder_rename, help=None)


def _db_error(exc: Exception) -> UserError:
    orig = getattr(exc, "orig", None) or exc
    return UserError(f"the database refused the change, nothing was saved ({orig})")


def _import(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from app.formats import FormatError, parse_file
    from app.formats.base import incomplete_note
    from app.formats.service import import_parsed

    parsed = []
    for path in args.paths:
        try:
            if path == "-":
                from app.formats import parse_bytes

                deck = parse_bytes(sys.stdin.buffer.read(), args.format, args.separator, args.card_separator)
                deck.name = deck.name or "Pasted deck"
            else:
                deck = parse_file(path, args.format, args.separator, args.card_separator)
            parsed.append((path, deck))
        except FormatError as exc:
            raise UserError(f"{exc}; nothing was imported") from exc
    if getattr(args, "dry_run", False):
        return _import_dry_run(args, parsed)
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            results = [
                (path, import_parsed(session, deck, args.deck, skip_duplicates=args.skip_duplicates))
                for path, deck in parsed
            ]
    except SQLAlchemyError as exc:
        raise _db_error(exc) from exc
    finally:
        store.close()

    left_out = {}
    for _path, deck in parsed:
        for what, n in deck.unsupported.items():
            left_out[what] = left_out.get(what, 0) + n
    if left_out:  # never silently dropped: say what Recall could not carry
        items = ", ".join(f"{n} x {what}" for what, n in left_out.items())
        print(f"recall: note: not imported: {items}", file=sys.stderr)
    incomplete: dict[str, int] = {}
    for _path, deck in parsed:
        for why, n in deck.incomplete.items():
            incomplete[why] = incomplete.get(why, 0) + n
    if incomplete:  # a card with an empty side is left out, and said so
        print(f"recall: note: {incomplete_note(incomplete)}", file=sys.stderr)
    dupes = sum(r.duplicates for _, r in results)
    if dupes and not args.skip_duplicates:
        print(
            f"recall: note: {dupes} imported card{'s were' if dupes != 1 else ' was'} already in the deck; "
            "import with --skip-duplicates to leave such cards out",
            file=sys.stderr,
        )
    if args.json:
        print_json(
            {
                "imported": [
                    {"file": str(path), **r.as_json(), "unsupported": deck.unsupported, "incomplete": deck.incomplete}
                    for (path, r), (_p, deck) in zip(results, parsed, strict=True)
                ],
                "added": sum(r.added for _, r in results),
                "skipped": sum(r.skipped for _, r in results),
                "duplicates": dupes,
                "incomplete": sum(incomplete.values()),
            }
        )
        return 0
    for path, r in results:
        extra = f", skipped {r.skipped} duplicate{'s' if r.skipped != 1 else ''}" if r.skipped else ""
        new = " (new deck)" if r.created else ""
        print(
            f"{Path(path).name}: imported {r.added} card{'s' if r.added != 1 else ''} into {r.deck_name!r}{new}{extra}"
        )
    return 0


def _import_dry_run(args, parsed) -> int:
    """What an import would do; the database is not even opened."""
    from app.formats.base import incomplete_note
    from app.formats.service import default_deck_name

    reports = [
        {"file": str(path), "deck": args.deck or default_deck_name(deck), **deck.report()} for path, deck in parsed
    ]
    if args.json:
        total = sum(len(deck.cards) for _, deck in parsed)
        print_json({"dry_run": True, "imported": reports, "cards": total, "added": 0, "skipped": 0, "duplicates": 0})
        return 0
    for r in reports:
        flag = ", uncertain" if r["uncertain"] else ""
        n = r["card_count"]
        print(
            f"{Path(r['file']).name}: {n} card{'s' if n != 1 else ''} as {r['format']} "
            f"(confidence {r['confidence']:.2f}{flag})"
        )
        for c in r["cards"]:
            print(f"  Q: {c['front']!r}\n  A: {c['back']!r}")
        for d in r["dropped"]:
            print(f"  dropped line {d['line']}: {d['text']!r} ({d['reason']})")
        for name, n in r["unsupported"].items():
            print(f"  not imported: {n} x {name}")
        if r["incomplete"]:
            print(f"  {incomplete_note(r['incomplete'])}")
    print("Dry run: nothing was written.")
    return 0


def _deck_rows(args) -> list:
    """The deck figures; on a current SQLite file through sqlite3 alone (no SQLAlchemy to import)."""
    from app.config import database_url
    from app.store.db import StoreError, sqlite_reader

    try:
        con = sqlite_reader(database_url(getattr(args, "db", None)))
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    if con is not None:
        import sqlite3

        from app.study.deck_stats_sql import deck_figures

        try:
            return deck_figures(con)
        except sqlite3.DatabaseError as exc:  # as the CLI says it for the store's errors
            raise UserError(f"database error: {exc}; nothing from this action was saved") from exc
        finally:
            con.close()
    from app.study.deck_stats import deck_summaries

    store = open_store_for(args, create=False)
    try:
        with store.session() as session:
            return deck_summaries(session)
    finally:
        store.close()


def _decks(args) -> int:
    rows = _deck_rows(args)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print("No decks yet. Import one with: recall import FILE")
        return 0
    width = min(48, max(len("Deck"), *(len(r.name) for r in rows)))
    folders = any(r.folder for r in rows)  # the column only once a deck is in a folder
    print(f"{'Deck':<{width}}  {'Cards':>7}  {'Due':>6}  {'Mastery':>7}" + ("  Folder" if folders else ""))
    for r in rows:
        name = r.name if len(r.name) <= width else r.name[: width - 1] + "…"
        line = f"{name:<{width}}  {r.cards:>7}  {r.due:>6}  {r.mastery:>6.0f}%"
        print(f"{line}  {r.folder}".rstrip() if folders else line)
    return 0


def _load_deck(session, name: str):
    from app.store.repo import DeckNotFound, get_deck

    try:
        return get_deck(session, name)
    except DeckNotFound as exc:
        raise UserError(f"{exc} (see `recall decks`)") from exc


def _cards(args) -> int:
    from app.store.repo import deck_cards

    store = open_store_for(args, create=False)
    try:
        with store.session() as session:
            deck = _load_deck(session, args.deck)
            cards = [(c.id, c.front, c.back, c.tag_list) for c in deck_cards(session, deck)]
    finally:
        store.close()
    if args.json:
        print_json([{"id": i, "front": f, "back": b, "tags": t} for i, f, b, t in cards])
        return 0

    def one_line(s: str) -> str:
        return s.replace("\t", " ").replace("\n", " / ")

    for i, f, b, t in cards:
        print(f"{i}\t{one_line(f)}\t{one_line(b)}\t{' '.join(t)}")
    return 0


def _export(args) -> int:
    from app.formats.export import format_for_path, write_export
    from app.store.repo import card_records

    fmt = args.format or format_for_path(args.output)
    if fmt is None:
        raise UsageError(
            f"cannot tell the format from {args.output!r}; pass --format {'|'.join(EXPORT_FORMATS)}"
        )
    out = Path(args.output)
    if not out.parent.is_dir():
        raise UserError(f"the folder {out.parent} does not exist")
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name")
    store = open_store_for(args, create=False)
    try:
        with store.session() as session:
            deck = _load_deck(session, args.deck)
            name, description = deck.name, deck.description
            records = card_records(session, deck)
    finally:
        store.close()
    try:
        write_export(out, fmt, name, records, description)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from exc
    if args.json:
        print_json({"deck": name, "format": fmt, "cards": len(records), "path": str(out)})
    else:
        print(
            f"Exported {len(records)} card{'s' if len(records) != 1 else ''} from {name!r} to {out} ({fmt})"
        )
    return 0


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserError("a deck name cannot be empty")
    if len(name) > 200:
        raise UserError("a deck name can be at most 200 characters")
    return name


def _deck_create(args) -> int:
    from app.store.repo import get_or_create_deck

    name = _clean_name(args.name)
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            deck, created = get_or_create_deck(session, name)
            if not created:
                raise UserError(f"a deck named {name!r} already exists")
            deck_id = deck.id
    finally:
        store.close()
    print_json({"deck": name, "id": deck_id}) if args.json else print(f"Created deck {name!r}")
    return 0


def _deck_rename(args) -> int:
    from sqlalchemy import select

    from app.store.models import Deck

    new = _clean_name(args.new)
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            deck = _load_deck(session, args.old)
            if new != deck.name and session.scalar(select(Deck.id).where(Deck.name == new)) is not None:
                raise UserError(f"a deck named {new!r} already exists")
            deck.name = new
    finally:
        store.close()
    print_json({"deck": new, "old": args.old}) if args.json else print(f"Renamed {args.old!r} to {new!r}")
    return 0


def _deck_delete(args) -> int:
    from sqlalchemy import delete, func, select

    from app.store.models import Card, Deck

    store = open_store_for(args)
    try:
        with store.transaction() as session:
            deck = _load_deck(session, args.name)
            n = session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id)) or 0
            if not args.yes:
                raise UserError(f"deck {deck.name!r} has {n} cards; add --yes to delete it and its history")
            # Set-based delete: the foreign keys cascade to cards, states and the review log.
            session.execute(delete(Deck).where(Deck.id == deck.id))
    finally:
        store.close()
    print_json({"deleted": args.name, "cards": n}) if args.json else print(
        f"Deleted {args.name!r} ({n} cards)"
    )
    return 0



def _deck_folder(args) -> int:
    from app.commands.deck_folders import deck_folder

    return deck_folder(args)


def _folder_rename(args) -> int:
    from app.commands.deck_folders import folder_rename

    return folder_rename(args)
