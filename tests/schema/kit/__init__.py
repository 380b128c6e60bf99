"""API tests of the shared plumbing: execution, limits, nodes, statement counts."""
