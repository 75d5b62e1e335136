"""Benchmarks: each prints its figures next to their targets. Run with `python -m bench [name …]`."""
