"""API plumbing every slice shares: relay, selection, filters, errors, loaders, limits."""
