"""The API of plan items: features, stories, components, dependencies, moves."""
