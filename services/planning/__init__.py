"""The calendar of an ART: planning intervals, iterations, milestones, team capacity."""
