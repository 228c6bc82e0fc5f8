"""Benchmarks: `python -m bench` (see README). Not part of the installed package."""
