"""`recall deck folder DECK FOLDER` and `recall deck rename-folder OLD NEW`: the library's folders
(app/store/folders.py) from the command line; registered with the other `deck` actions in
app/commands/cards.py."""

from __future__ import annotations

from app.commands.cards import _load_deck
from app.commands.common import UsageError, UserError, open_store_for, print_json, user_errors


def _folder(text: str) -> str:
    from app.store.folders import clean_folder

    with user_errors(ValueError):
        return clean_folder(text)


def deck_folder(args) -> int:
    from app.store.repo import set_deck_folder

    folder = _folder(args.folder)
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            deck = _load_deck(session, args.name)
            name, old = deck.name, deck.folder
            set_deck_folder(session, deck, folder)
    finally:
        store.close()
    if args.json:
        print_json({"deck": name, "folder": folder, "old": old})
    elif folder:
        print(f"Moved {name!r} to the folder {folder!r}")
    else:
        print(f"Took {name!r} out of {old!r}" if old else f"{name!r} is in no folder")
    return 0


def folder_rename(args) -> int:
    from app.store.repo import folder_names, rename_folder

    old, new = _folder(args.old), _folder(args.new)
    if not old:
        raise UsageError("give the folder to rename (see `recall decks`)")
    store = open_store_for(args)
    try:
        with store.transaction() as session:
            if old not in folder_names(session):
                raise UserError(f"no folder named {old!r} (see `recall decks`)")
            n = rename_folder(session, old, new)
    finally:
        store.close()
    if args.json:
        print_json({"old": old, "folder": new, "decks": n})
    else:
        where = f"to {new!r}" if new else "out to the top (the folder is gone)"
        print(f"Moved {n} deck{'s' if n != 1 else ''} from {old!r} {where}")
    return 0
