"""Benchmarks that write JSON results; never part of the pass/fail suite."""
