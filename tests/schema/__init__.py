"""API tests through the real ASGI app, one package per slice."""
