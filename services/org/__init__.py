"""The organisation: ARTs, teams, people and their roles."""
