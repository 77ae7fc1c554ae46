"""Benchmark rows for `python -m tests.bench`: one module per area, each exposing `ROWS`."""
