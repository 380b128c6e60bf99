"""How the API is served: the Litestar app, HTTP, WebSocket, auth and the CLI."""
