"""The API of refinement: sessions, agendas, queues, readiness, views, live events."""
