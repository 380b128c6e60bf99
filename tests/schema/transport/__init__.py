"""API tests of the HTTP transport."""
