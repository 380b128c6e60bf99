"""The whole suite: graph engine, services and API per slice, browser tests, benchmarks."""
