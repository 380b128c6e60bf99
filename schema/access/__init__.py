"""The API of access: the viewer, API tokens and passwords."""
