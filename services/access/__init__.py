"""Who may do what: actors, the permission rules, sign-in accounts and API tokens."""
