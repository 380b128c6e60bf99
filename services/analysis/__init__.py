"""The dependency-graph analyses of a plan, loaded into the engine and cached."""
