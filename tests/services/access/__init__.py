"""Service tests of access: the permission matrix."""
