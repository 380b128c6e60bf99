"""Browser tests: the real frontend in headless Chromium against a real server."""
