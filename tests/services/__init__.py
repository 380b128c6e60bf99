"""Service tests, one package per slice."""
