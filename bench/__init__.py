"""Benchmarks: `python -m bench` prints one table; every figure beside a baseline from the same run."""
