"""API tests of the calendar."""
