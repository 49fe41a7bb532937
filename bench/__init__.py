"""Benchmarks: programs that print figures, run as ``python -m bench <area>``."""
