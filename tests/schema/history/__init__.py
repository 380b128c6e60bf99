"""API tests of the change history."""
