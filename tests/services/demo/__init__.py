"""Service tests of the demo seed."""
