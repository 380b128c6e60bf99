"""Plan items: features, stories, components, dependencies, readiness and moves."""
