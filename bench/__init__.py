"""Benchmarks: run with ``python -m bench.NAME --help``; they print figures, they assert nothing."""
