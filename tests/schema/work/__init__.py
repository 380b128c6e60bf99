"""API tests of plan items: features, stories, components, dependencies."""
