"""Benchmarks against micrograd: ``make bench`` (``python -m tests.benchmarks``)."""
