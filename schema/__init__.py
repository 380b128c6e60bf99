"""The API: Strawberry types, queries, mutations, loaders, error mapping and the Litestar app."""
