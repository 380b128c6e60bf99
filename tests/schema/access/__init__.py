"""API tests of access: sign-in, sessions, tokens."""
