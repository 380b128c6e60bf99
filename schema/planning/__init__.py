"""The API of the calendar: planning intervals, iterations, milestones, capacity."""
