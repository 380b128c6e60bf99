"""The API of the change history and the ART's activity feed."""
