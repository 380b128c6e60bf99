"""Domain and persistence: one package per slice of the product, over core plumbing."""
