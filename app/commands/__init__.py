"""The `recall` subcommands, one module per group."""
