"""API tests of the organisation."""
