"""Refinement: the ART's program backlog refinement and teams' technical refinement."""
