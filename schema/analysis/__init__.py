"""The API of the dependency-graph analyses; every result says why, in words."""
