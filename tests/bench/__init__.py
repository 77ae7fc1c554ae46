"""Benchmarks: print figures against a minimal reference; never fail on a time."""
