"""Service tests of refinement: the views and their scenario."""
