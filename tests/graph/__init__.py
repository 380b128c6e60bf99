"""Tests of the graph engine, against brute-force oracles on small graphs."""
