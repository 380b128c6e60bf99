"""The change history: who changed what and when, recorded on every flush."""
