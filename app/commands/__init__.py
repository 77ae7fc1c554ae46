"""The `recall` subcommands, one module per group, each with `register(subparsers)`; printing,
`--json` output and CLI errors live here, not in the layers below.

`app.cli` imports only the module of the subcommand given (see its COMMANDS table).
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(), {".common": ("UserError", "open_store_for", "print_json")}
)
