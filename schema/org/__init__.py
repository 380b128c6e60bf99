"""The API of the organisation: ARTs, teams, people and memberships."""
