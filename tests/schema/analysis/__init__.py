"""API tests of the dependency-graph analyses."""
