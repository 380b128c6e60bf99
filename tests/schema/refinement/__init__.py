"""API tests of refinement, its views and live subscriptions."""
