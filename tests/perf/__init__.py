"""Benchmarks, run by `make bench` only."""
